"""A compose file at the repository root whose services are built from the app's folder
(``build: ./project``) names the app's processes (web, worker, beat from one image)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from dockwright.errors import ProjectError
from dockwright.project.apps import detect_app
from dockwright.project.tree import ProjectTree
from dockwright.project.workspace import locate

MakeProject = Callable[[dict[str, str | bytes]], Path]

TASKS = """\
from celery import Celery

app = Celery("shop", broker="amqp://guest@localhost//")
"""

WEB = """\
from flask import Flask

app = Flask(__name__)
"""

COMPOSE = """\
services:
  web:
    build: ./project
    command: gunicorn --bind 0.0.0.0:5000 web:app
    ports:
      - 8080:5000
  queue:
    build:
      context: project
    command: celery -A tasks worker -l info
  scheduler:
    build: ./project
    command: celery -A tasks beat -l info
  docs:
    build: ./docs
    command: mkdocs serve
  cache:
    image: redis:7
"""

FILES: dict[str, str | bytes] = {
    "compose.yaml": COMPOSE,
    "project/requirements.txt": "flask\ngunicorn\ncelery\n",
    "project/web.py": WEB,
    "project/tasks.py": TASKS,
    "docs/requirements.txt": "mkdocs\n",
}


def test_the_root_compose_file_names_the_processes_of_the_app_folder(make_project: MakeProject) -> None:
    root = make_project(FILES)
    assert locate(root).app == root / "project"
    app = detect_app(
        ProjectTree(root / "project"), None, dependencies=frozenset({"flask", "gunicorn", "celery"})
    )
    assert app.command.value == ("gunicorn", "--bind", "0.0.0.0:5000", "web:app")
    assert app.port.value == 5000
    assert (app.command.evidence[0].file, app.command.evidence[0].line) == ("../compose.yaml", 2)
    others = " | ".join(app.other_processes)
    assert "queue: celery -A tasks worker -l info" in others
    assert "scheduler: celery -A tasks beat -l info" in others
    assert "mkdocs" not in others  # built from another folder


def test_a_process_of_the_root_compose_file_can_be_chosen(make_project: MakeProject) -> None:
    root = make_project(FILES)
    beat = detect_app(
        ProjectTree(root / "project"), None, process="scheduler", dependencies=frozenset({"celery"})
    )
    assert beat.command.value[:6] == ("celery", "-A", "tasks", "beat", "-l", "info")
    assert beat.kind.value == "worker"


def test_no_compose_file_is_read_above_a_repository_root(make_project: MakeProject) -> None:
    root = make_project({**FILES, "project/.git/HEAD": "ref: refs/heads/main\n"})
    app = detect_app(
        ProjectTree(root / "project"), None, dependencies=frozenset({"flask", "gunicorn", "celery"})
    )
    assert not app.command.evidence[0].file.startswith("../")
    with pytest.raises(ProjectError, match="no such process"):
        detect_app(
            ProjectTree(root / "project"), None, process="scheduler", dependencies=frozenset({"celery"})
        )
