"""A server the start needs and the dependencies lack is added as the project itself names it elsewhere
(a dev group's ``uvicorn[standard]>=0.40``, an optional extra), with its extras and bounds; a bare name
only when the project names it nowhere (project.manage_servers.own_line)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from dockwright.project.detect import detect_project

MakeProject = Callable[[dict[str, str | bytes]], Path]

MAIN = {"main.py": "from fastapi import FastAPI\n\napp = FastAPI()\n"}


def _pyproject(extra: str) -> str:
    return '[project]\nname = "svc"\nversion = "1.0"\ndependencies = ["fastapi>=0.110"]\n' + extra


@pytest.mark.parametrize(
    ("extra", "added"),
    [
        (
            '\n[dependency-groups]\ndev = ["pytest>=8", "uvicorn[standard]>=0.40.0"]\n',
            "uvicorn[standard]>=0.40.0",
        ),
        ('\n[project.optional-dependencies]\nserve = ["uvicorn[standard]"]\n', "uvicorn[standard]"),
        ('\n[dependency-groups]\ndev = [{include-group = "lint"}]\nlint = ["ruff"]\n', "uvicorn"),
        ("\n[dependency-groups]\ndev = [\"uvicorn; sys_platform == 'win32'\"]\n", "uvicorn"),
        ("", "uvicorn"),
    ],
)
def test_the_server_is_added_as_the_project_names_it(
    make_project: MakeProject, extra: str, added: str
) -> None:
    facts = detect_project(make_project({**MAIN, "pyproject.toml": _pyproject(extra)}))
    app = facts.app
    assert app.command.value[0] == "uvicorn"
    assert app.adds.value == (added,)
    if added != "uvicorn":
        (evidence,) = app.adds.evidence
        assert evidence.file == "pyproject.toml" and evidence.line is not None
        assert f"the project's own line: {added}" in evidence.detail and "uvicorn added" in evidence.detail


def test_a_procfile_s_server_is_added_as_the_project_names_it(make_project: MakeProject) -> None:
    files = {
        "app.py": "from flask import Flask\n\napp = Flask(__name__)\n",
        "Procfile": "web: gunicorn app:app --bind 0.0.0.0:$PORT\n",
        "pyproject.toml": '[project]\nname = "svc"\nversion = "1.0"\ndependencies = ["flask"]\n'
        '\n[dependency-groups]\ndev = ["gunicorn[gevent]>=22"]\n',
    }
    app = detect_project(make_project(files)).app
    assert "gunicorn" in " ".join(app.command.value) and app.adds.value == ("gunicorn[gevent]>=22",)
    assert "the project's own line: gunicorn[gevent]>=22" in app.adds.evidence[0].detail


def test_a_procfile_server_the_project_lacks_is_added(make_project: MakeProject) -> None:
    """`web: gunicorn ... $PORT` runs under sh -c: its server is read from the last command (before, no
    add and no warning: the image stopped on `gunicorn: not found`)."""
    files = {
        "app.py": "from flask import Flask\n\napp = Flask(__name__)\n",
        "Procfile": "web: gunicorn app:app --bind 0.0.0.0:$PORT\n",
        "pyproject.toml": '[project]\nname = "svc"\nversion = "1.0"\ndependencies = ["flask"]\n',
    }
    app = detect_project(make_project(files)).app
    assert app.adds.value == ("gunicorn",)
