"""saq workers: a module-level settings dict naming a queue and functions runs as ``saq module.settings``
(project/detectors/saq_worker.py)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from dockwright.project.detect import detect_project

MakeProject = Callable[[dict[str, str | bytes]], Path]

JOBS = """\
import os

from saq import Queue

queue = Queue.from_url(os.environ.get("QUEUE_URL", "redis://127.0.0.1:6379"))


async def resize(ctx, *, path: str) -> str:
    return path


options = {"concurrency": 4}
settings = {"queue": queue, "functions": [resize], "concurrency": 4}
"""


def test_the_settings_dict_makes_the_worker(make_project: MakeProject) -> None:
    files: dict[str, str | bytes] = {
        "requirements.txt": "saq[redis]\n",
        "thumbs/__init__.py": "",
        "thumbs/jobs.py": JOBS,
    }
    app = detect_project(make_project(files), python="3.12").app
    assert app.command.value == ("saq", "thumbs.jobs.settings")
    assert app.kind.value == "worker"
    assert app.command.evidence[0].line == 13
