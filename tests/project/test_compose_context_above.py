"""A compose service built from a folder ABOVE the app (``build: {context: ., dockerfile:
services/api/Dockerfile}``: the monorepo layout, the context holding the shared libraries) is the app's
when its Dockerfile is in the app's folder."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from dockwright.project.apps import detect_app
from dockwright.project.tree import ProjectTree

MakeProject = Callable[[dict[str, str | bytes]], Path]

WEB = "from flask import Flask\n\napp = Flask(__name__)\n"

COMPOSE = """\
services:
  api:
    build:
      context: .
      dockerfile: services/api/Dockerfile
    command: gunicorn --bind 0.0.0.0:7000 web:app
    ports:
      - 80:7000
  other:
    build:
      context: .
      dockerfile: services/other/Dockerfile
    command: python other.py
  worker:
    build:
      context: .
      dockerfile: services/api/Dockerfile
"""

RECIPE = """\
FROM python:3.13-slim
WORKDIR /srv
COPY libs/ /libs/
COPY services/api/ .
CMD ["celery", "-A", "tasks", "worker"]
"""

FILES: dict[str, str | bytes] = {
    "compose.yaml": COMPOSE,
    "services/api/requirements.txt": "flask\ngunicorn\ncelery\n",
    "services/api/web.py": WEB,
    "services/api/tasks.py": "from celery import Celery\n\napp = Celery('x')\n",
    "services/api/Dockerfile": RECIPE,
    "services/other/requirements.txt": "requests\n",
    "services/other/other.py": "print('x')\n",
    "services/other/Dockerfile": "FROM python:3.13-slim\n",
    "libs/common/setup.py": "",
}


def test_a_service_whose_dockerfile_is_in_the_app_folder_names_its_start(make_project: MakeProject) -> None:
    root = make_project(FILES)
    app = detect_app(
        ProjectTree(root / "services" / "api"), None, dependencies=frozenset({"flask", "gunicorn", "celery"})
    )
    assert app.command.value == ("gunicorn", "--bind", "0.0.0.0:7000", "web:app")
    assert app.port.value == 7000
    assert app.command.evidence[0].file == "../../compose.yaml"
    others = " | ".join(app.other_processes)
    assert "worker: celery -A tasks worker" in others  # its Dockerfile's CMD, the app folder copied
    assert "other.py" not in others  # built from another folder's Dockerfile


def test_a_service_with_a_root_dockerfile_is_not_the_apps(make_project: MakeProject) -> None:
    files = {**FILES, "compose.yaml": COMPOSE.replace("services/api/Dockerfile", "Dockerfile")}
    root = make_project({**files, "Dockerfile": RECIPE})
    app = detect_app(
        ProjectTree(root / "services" / "api"), None, dependencies=frozenset({"flask", "gunicorn"})
    )
    assert app.command.evidence[0].file != "../../compose.yaml"
