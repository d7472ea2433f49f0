"""A compose service that runs a production server with its reloader (``uvicorn main:app --reload``):
the same server without the development option is the start, with a note; a framework's development
server (``flask run``) stays refused, and its note says which marker made it one (project/apps.py)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from dockwright.project.detect import detect_project

MakeProject = Callable[[dict[str, str | bytes]], Path]

API = "from fastapi import FastAPI\n\napp = FastAPI()\n"
COMPOSE = """\
services:
  web:
    build: .
    command: uvicorn main:app --host 0.0.0.0 --port 8004 --reload --reload-dir /usr/src/app
    ports:
      - 8004:8004
  dashboard:
    build: .
    command: celery --broker=redis://redis:6379/0 flower --port=5555
    ports:
      - 5556:5555
"""


def test_the_compose_web_service_runs_without_its_reloader(make_project: MakeProject) -> None:
    files: dict[str, str | bytes] = {
        "requirements.txt": "fastapi==0.115.6\nuvicorn==0.34.0\ncelery==5.4.0\nflower==2.0.1\n",
        "main.py": API,
        "docker-compose.yml": COMPOSE,
    }
    facts = detect_project(make_project(files), python="3.13")
    assert facts.app.command.value == ("uvicorn", "main:app", "--host", "0.0.0.0", "--port", "8004")
    assert facts.app.port.value == 8004
    said = [n for n in facts.notes if "--reload --reload-dir /usr/src/app, a development option" in n]
    assert len(said) == 1 and said[0].startswith("docker-compose.yml:")


def test_a_frameworks_development_server_is_refused_naming_why(make_project: MakeProject) -> None:
    files: dict[str, str | bytes] = {
        "requirements.txt": "flask==3.1.0\n",
        "app.py": "from flask import Flask\n\napp = Flask(__name__)\n",
        "docker-compose.yml": "services:\n  web:\n    build: .\n    command: flask run --host 0.0.0.0\n",
    }
    facts = detect_project(make_project(files), python="3.13")
    assert facts.app.command.value[0] == "gunicorn"
    assert any("runs a development server (flask run)" in n for n in facts.notes)
