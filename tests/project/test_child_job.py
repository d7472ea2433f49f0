"""An entry script whose last line runs a Python file of the project without ``exec`` (a job: a report,
a review bot, a container action) runs inline with ``exec`` added; a ``cd`` to where the repository's
own image keeps the project becomes the planned image's work directory (project/entry_steps.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from dockwright import api
from dockwright.project.entry_steps import job_inline
from dockwright.project.tree import ProjectTree

JOB = """import os


def main() -> None:
    print(os.environ.get("REPORT_DAY", "today"))


if __name__ == "__main__":
    main()
"""


def _project(
    tmp_path: Path,
    script: str,
    dockerfile: str = 'FROM python:3.12\nCOPY . .\nENTRYPOINT ["/entrypoint.sh"]\n',
) -> Path:
    root = tmp_path / "reports"
    (root / "src").mkdir(parents=True)
    (root / "src" / "run_report.py").write_text(JOB, encoding="utf-8")
    (root / "src" / "helpers.py").write_text("VALUE = 1\n", encoding="utf-8")
    (root / "requirements.txt").write_text("requests\n", encoding="utf-8")
    (root / "entrypoint.sh").write_text(script, encoding="utf-8")
    (root / "Dockerfile").write_text(dockerfile, encoding="utf-8")
    return root


@pytest.mark.parametrize(
    ("script", "line"),
    [
        ("#!/bin/bash\n\ncd /\npython src/run_report.py\n", "cd /app; exec python src/run_report.py"),
        (
            "#!/bin/sh\nset -e\ncd /srv/reports\npython3 -u src/run_report.py\n",
            "cd /app && exec python3 -u src/run_report.py",
        ),
        # a quoted folder is the folder (the shared `cd` reader, shell_lists.cd_folder)
        (
            '#!/bin/sh\ncd "/srv/reports"\npython src/run_report.py\n',
            "cd /app; exec python src/run_report.py",
        ),
        ("#!/bin/sh\npython src/run_report.py\n", "exec python src/run_report.py"),
        ("#!/bin/sh\nset -e\nuv run python src/run_report.py\n", "exec python src/run_report.py"),
    ],
)
def test_the_last_line_runs_inline_with_exec(tmp_path: Path, script: str, line: str) -> None:
    tree = ProjectTree(_project(tmp_path, script))
    argv = job_inline(tree, script)
    assert argv is not None and argv[1:] == ("-c", line)


@pytest.mark.parametrize(
    "script",
    [
        "#!/bin/sh\ncd /\npython src/missing.py\n",  # no such file in the project
        "#!/bin/sh\ncd /data\npython /opt/tools/report.py\n",  # a program of the repository's image
        '#!/bin/sh\nif [ -n "$DAY" ]; then\n  cd /\nfi\npython src/run_report.py\n',  # structure
        "#!/bin/sh\npython src/run_report.py &\n",  # sent to the background
        "#!/bin/sh\npip install -r requirements.txt\npython src/run_report.py\n",  # a development script
    ],
)
def test_other_scripts_are_not_read_as_a_job(tmp_path: Path, script: str) -> None:
    assert job_inline(ProjectTree(_project(tmp_path, script)), script) is None


def test_the_plan_runs_the_job_from_the_work_directory(tmp_path: Path) -> None:
    plan = api.plan(
        _project(tmp_path, "#!/bin/bash\n\ncd /\npython src/run_report.py\n"), syntax_directive=False
    )
    command = (*plan.entrypoint, *plan.cmd)
    assert command[-3:] == ("bash", "-c", "cd /app; exec python src/run_report.py")
    assert plan.expose is None
