"""The note on a script the repository's Dockerfile runs and the image does not: it names the real
reason. A script that needs root (chown, then ``exec gosu app gunicorn ...``) does exec the server: it
is unused because the image starts as its non-root user, not for its last line."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from dockwright.project.apps import detect_app
from dockwright.project.tree import ProjectTree

MakeProject = Callable[[dict[str, str | bytes]], Path]

APP = "from flask import Flask\n\napp = Flask(__name__)\n"
DOCKERFILE = 'FROM python:3.12-slim\nCOPY . /srv/shop\nENTRYPOINT ["./docker/entrypoint.sh"]\n'
AS_ROOT = """#!/bin/bash
set -euo pipefail
echo preparing
python -c "print('ready')"
chown -R shop:shop /srv/shop
exec gosu shop gunicorn shop:app \\
    --bind 0.0.0.0:8000 \\
    --workers 3 \\
    "$@"
"""
NO_EXEC = "#!/bin/sh\npython -c \"print('ready')\"\necho started > /tmp/started\n"


def _notes(make_project: MakeProject, script: str) -> list[str]:
    root = make_project(
        {
            "shop.py": APP,
            "requirements.txt": "flask\ngunicorn\n",
            "docker/Dockerfile": DOCKERFILE,
            "docker/entrypoint.sh": script,
        }
    )
    notes: list[str] = []
    detect_app(ProjectTree(root), None, dependencies=frozenset({"flask", "gunicorn"}), notes=notes)
    return [n for n in notes if n.startswith("docker/entrypoint.sh")]


def test_a_script_that_needs_root_is_said_so(make_project: MakeProject) -> None:
    notes = _notes(make_project, AS_ROOT)
    assert len(notes) == 1
    assert "runs chown" in notes[0] and "non-root user" in notes[0]
    assert "neither passes" not in notes[0]


def test_a_script_that_neither_passes_on_nor_execs_keeps_its_note(make_project: MakeProject) -> None:
    notes = _notes(make_project, NO_EXEC)
    assert len(notes) == 1 and "neither passes the command on" in notes[0]


LAUNCH = """#!/bin/sh
set -e
MODULE_NAME=${MODULE_NAME:-shop}
export APP_MODULE=${APP_MODULE:-"$MODULE_NAME:app"}
gunicorn --forwarded-allow-ips "*" -c /srv/shop/gunicorn_conf.py "$APP_MODULE"
"""


def test_a_script_another_start_outranks_still_gets_its_note(make_project: MakeProject) -> None:
    """A script whose last line starts the server without exec may run inline; when another source's
    start is chosen (a justfile recipe here) the script is not used, and the note says so."""
    root = make_project(
        {
            "shop.py": APP,
            "requirements.txt": "flask\ngunicorn\n",
            "Dockerfile": 'FROM python:3.12-slim\nCMD ["/srv/shop/entrypoints/gunicorn.sh"]\n',
            "entrypoints/gunicorn.sh": LAUNCH,
            "justfile": "run:\n    gunicorn --bind 0.0.0.0:8000 shop:app\n",
        }
    )
    notes: list[str] = []
    app = detect_app(ProjectTree(root), None, dependencies=frozenset({"flask", "gunicorn"}), notes=notes)
    if app.command.evidence[0].file == "entrypoints/gunicorn.sh":
        return  # the script is the start: no note owed
    assert any(n.startswith("entrypoints/gunicorn.sh") and "not used" in n for n in notes), notes
