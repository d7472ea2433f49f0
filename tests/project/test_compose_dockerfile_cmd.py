"""A compose service without ``command:`` built from a Dockerfile its ``build.dockerfile`` names runs that
Dockerfile's CMD (detectors/compose.py). Examples of our own."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from dockwright.project.apps import detect_app
from dockwright.project.tree import ProjectTree

MakeProject = Callable[[dict[str, str | bytes]], Path]

TASKS = 'from celery import Celery\n\napp = Celery("site", broker="redis://redis:6379/0")\n'
COMPOSE = """services:
  worker:
    build:
      context: .
      dockerfile: ./docker/worker/Dockerfile
  beat:
    build:
      context: .
      dockerfile: ./docker/beat/Dockerfile
  redis:
    image: redis:7
"""


def _files(copy: str, cmd: str) -> dict[str, str | bytes]:
    return {
        "docker-compose.yml": COMPOSE,
        "docker/worker/Dockerfile": f"FROM python:3.12\nWORKDIR /app\n{copy}\nCMD {cmd.replace('beat', 'worker')}\n",
        "docker/beat/Dockerfile": f"FROM python:3.12\nWORKDIR /app\n{copy}\nCMD {cmd}\n",
        "requirements.txt": "celery[redis]\n",
        "site/main/__init__.py": "",
        "site/main/celery.py": TASKS,
        "tasks.py": TASKS,
    }


def test_a_service_without_command_runs_its_dockerfile_s_cmd(make_project: MakeProject) -> None:
    root = make_project(_files("COPY . .", '["celery", "-A", "tasks", "beat", "-l", "info"]'))
    app = detect_app(ProjectTree(root), None, process="beat", dependencies=frozenset({"celery"}))
    assert app.command.value[:6] == ("celery", "-A", "tasks", "beat", "-l", "info")
    assert app.command.value[-2:] == ("--schedule", "celerybeat/celerybeat-schedule")
    assert "docker/beat/Dockerfile:4" in app.command.evidence[0].detail


def test_a_celery_command_from_a_copied_folder_runs_with_workdir(make_project: MakeProject) -> None:
    root = make_project(_files("COPY ./site/ .", '["celery", "--app", "main", "beat"]'))
    app = detect_app(ProjectTree(root), None, process="beat", dependencies=frozenset({"celery"}))
    assert app.command.value[:5] == ("celery", "--workdir", "site", "--app", "main")
    assert [w.value for w in app.writable] == ["site/celerybeat"]


def test_another_command_from_a_copied_folder_is_not_read(make_project: MakeProject) -> None:
    root = make_project(_files("COPY ./site/ .", '["python", "run_beat.py"]'))
    app = detect_app(ProjectTree(root), None, dependencies=frozenset({"celery"}))
    assert "beat" not in app.process
