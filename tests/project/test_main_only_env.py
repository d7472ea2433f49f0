"""A variable read only by a module's own program (its ``__main__`` block, or a function only that block
calls) is not the start's: a launcher runs that module as a child with an environment it builds itself.
It counts when the start runs the module, or another module imports it (project/main_only.py)."""

from __future__ import annotations

import ast
from collections.abc import Callable
from pathlib import Path

import pytest

from dockwright.project.detect import detect_project
from dockwright.project.main_only import main_only_lines

MakeProject = Callable[[dict[str, str | bytes]], Path]

PYPROJECT = (
    '[project]\nname = "jobs"\nversion = "1.0"\nrequires-python = ">=3.11"\ndependencies = []\n\n'
    '[project.scripts]\njobs = "jobs.cli:main"\n\n'
    '[build-system]\nrequires = ["hatchling"]\nbuild-backend = "hatchling.build"\n'
)
RUNNER = """\
import os


def _setup():
    return os.environ["JOB_SETTINGS"]


def main():
    project = os.environ["JOB_PROJECT"]
    print(project, _setup())


if __name__ == "__main__":
    main()
"""
LAUNCHER = """\
import subprocess
import sys

RUNNER = "jobs.runner"


def main():
    subprocess.run([sys.executable, "-m", RUNNER, "crawl"], env={"JOB_PROJECT": "x", "JOB_SETTINGS": "y"})
"""


def test_the_lines_only_the_main_block_runs() -> None:
    assert main_only_lines(ast.parse(RUNNER)) == ((13, 14), (8, 10), (4, 5))
    assert main_only_lines(ast.parse("def main():\n    pass\n")) == ()


@pytest.mark.parametrize(
    ("cli", "start", "required"),
    [
        (LAUNCHER, None, []),
        (
            "from jobs.runner import main as run\n\n\ndef main():\n    run()\n",
            None,
            ["JOB_PROJECT", "JOB_SETTINGS"],
        ),
        (LAUNCHER, "python -m jobs.runner", ["JOB_PROJECT", "JOB_SETTINGS"]),
    ],
    ids=["child-process", "imported", "run-as-script"],
)
def test_a_variable_only_the_modules_program_reads(
    make_project: MakeProject, cli: str, start: str | None, required: list[str]
) -> None:
    root = make_project(
        {"pyproject.toml": PYPROJECT, "jobs/__init__.py": "", "jobs/cli.py": cli, "jobs/runner.py": RUNNER}
    )
    app = detect_project(root, python="3.12", start=start).app
    assert sorted(f.value for f in app.required_env) == required


def test_a_factory_the_server_names_runs(make_project: MakeProject) -> None:
    """``gunicorn 'app:create_app()'`` calls the factory its ``__main__`` block also calls."""
    app = (
        "import os\nfrom flask import Flask\n\n\ndef create_app():\n    app = Flask(__name__)\n"
        "    app.config['DB'] = os.environ['DATABASE_URL']\n    return app\n\n\n"
        "if __name__ == '__main__':\n    create_app().run()\n"
    )
    root = make_project({"requirements.txt": "flask==3.1.0\ngunicorn==23.0.0\n", "app.py": app})
    facts = detect_project(root, python="3.12", start="gunicorn 'app:create_app()'")
    assert [f.value for f in facts.app.required_env] == ["DATABASE_URL"]
