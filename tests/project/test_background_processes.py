"""A start script that runs several processes in the background and waits for them (a shell as their
supervisor) is not used, and the note says why and what to do (project/entry_wrapper.py)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from dockwright.project.entry_wrapper import unused_dockerfile_script
from dockwright.project.tree import ProjectTree

MakeProject = Callable[[dict[str, str | bytes]], Path]

SCRIPT = (
    "python manage.py migrate\n"
    "daphne -b 0.0.0.0 -p 8000 desk.asgi:application &\n"
    "celery -A desk worker -l INFO &\n"
    "celery -A desk beat -l INFO &\n"
    "wait\n"
)


def test_processes_started_side_by_side_are_named(make_project: MakeProject) -> None:
    root = make_project({"start.sh": SCRIPT, "Dockerfile": 'FROM python:3.12-slim\nCMD ["sh", "start.sh"]\n'})
    note = unused_dockerfile_script(ProjectTree(root))
    assert note is not None
    assert note.startswith(
        "start.sh, the script the repository's Dockerfile runs, is not used: it starts 3 processes"
    )
    assert "celery -A desk beat -l INFO" in note and "--process NAME" in note
    assert "its other steps (python manage.py migrate)" in note


def test_one_background_helper_is_not_a_supervisor(make_project: MakeProject) -> None:
    script = "redis-server &\nexec_me=1\ngunicorn app:app\n"
    root = make_project({"start.sh": script, "Dockerfile": 'FROM python:3.12-slim\nCMD ["sh", "start.sh"]\n'})
    note = unused_dockerfile_script(ProjectTree(root))
    assert note is not None and "in the background" not in note
