"""Prefect flows served by a script (``flow.serve(...)`` in its ``__main__`` block): a long-running worker,
``python FILE``, with a note that PREFECT_API_URL must name the server the runs are scheduled on
(project/detectors/prefect_serve.py)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from dockwright.project.detect import detect_project

MakeProject = Callable[[dict[str, str | bytes]], Path]

SERVE = """\
from prefect import flow


@flow(log_prints=True)
def tally() -> None:
    print("counted")


if __name__ == "__main__":
    tally.serve(name="tally", cron="0 3 * * *")
"""
ONE_OFF = """\
from nightly import tally

if __name__ == "__main__":
    tally()
"""


def test_a_served_flow_is_a_worker_that_needs_the_api_url(make_project: MakeProject) -> None:
    files: dict[str, str | bytes] = {"requirements.txt": "prefect\n", "nightly.py": SERVE, "once.py": ONE_OFF}
    facts = detect_project(make_project(files), python="3.12")
    assert facts.app.command.value == ("python", "nightly.py")
    assert facts.app.kind.value == "worker"
    assert any("PREFECT_API_URL" in n for n in facts.notes)


def test_the_api_url_the_project_sets_is_not_asked_for(make_project: MakeProject) -> None:
    compose = "services:\n  flows:\n    build: .\n    environment:\n      PREFECT_API_URL: http://prefect:4200/api\n"
    files: dict[str, str | bytes] = {
        "requirements.txt": "prefect\n",
        "nightly.py": SERVE,
        "once.py": ONE_OFF,
        "docker-compose.yml": compose,
    }
    facts = detect_project(make_project(files), python="3.12")
    assert facts.app.command.value == ("python", "nightly.py")
    assert not any("PREFECT_API_URL" in n for n in facts.notes)
