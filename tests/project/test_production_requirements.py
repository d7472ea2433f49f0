"""``requirements.txt`` that includes a production-named file and adds development tools around it: the
image installs the included file (hedy's pytest, pylint and pyinstaller were locked into the image)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from dockwright.project.managers import requirements_files
from dockwright.project.tree import ProjectTree

MakeProject = Callable[[dict[str, str | bytes]], Path]


def test_the_included_production_file_comes_first(make_project: MakeProject) -> None:
    root = make_project(
        {
            "requirements.txt": "# tools for developing\n-r requirements-prod.txt\npytest==8.3.4\npylint==3.3.3\n",
            "requirements-prod.txt": "flask==3.1.0\n",
            "requirements-dev.txt": "ruff==0.8.0\n",
        }
    )
    assert requirements_files(ProjectTree(root))[0] == "requirements-prod.txt"


def test_without_such_an_include_requirements_txt_stays_first(make_project: MakeProject) -> None:
    root = make_project(
        {
            "requirements.txt": "-r requirements-base.txt\nflask==3.1.0\n",
            "requirements-base.txt": "click==8.1.8\n",
            "requirements-prod.txt": "gunicorn==23.0.0\n",
        }
    )
    assert requirements_files(ProjectTree(root))[0] == "requirements.txt"
