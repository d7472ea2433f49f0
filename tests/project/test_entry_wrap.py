"""An entry script that execs the server a Procfile line starts, after its own steps (migrations), is
the container's start."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from dockwright.project.apps import detect_app
from dockwright.project.facts import AppFacts
from dockwright.project.tree import ProjectTree

MakeProject = Callable[[dict[str, str | bytes]], Path]

SITE = "from flask import Flask\n\nsite = Flask(__name__)\n"
BOOT = "#!/bin/sh\nflask --app shop db upgrade\nexec gunicorn -b :5000 --access-logfile - shop:site\n"


def app_of(root: Path, notes: list[str], **kw: object) -> AppFacts:
    deps = frozenset({"flask", "gunicorn"})
    return detect_app(ProjectTree(root), None, dependencies=deps, notes=notes, **kw)  # type: ignore[arg-type]


def test_script_wrapping_the_procfile_server_is_the_start(make_project: MakeProject) -> None:
    root = make_project({"shop.py": SITE, "Procfile": "web: gunicorn shop:site\n", "boot.sh": BOOT})
    notes: list[str] = []
    app = app_of(root, notes)
    assert app.command.value == ("sh", "boot.sh")
    assert app.port.value == 5000
    assert any("boot.sh ends by running the server Procfile:1" in n and "boot.sh:3" in n for n in notes)


def test_a_script_serving_another_target_does_not_move(make_project: MakeProject) -> None:
    other = BOOT.replace("shop:site", "admin:site")
    root = make_project(
        {"shop.py": SITE, "admin.py": SITE, "Procfile": "web: gunicorn shop:site\n", "boot.sh": other}
    )
    notes: list[str] = []
    app = app_of(root, notes)
    assert app.command.value[0] == "gunicorn" and "shop:site" in app.command.value
    assert not any("ends by running the server" in n for n in notes)


def test_procfile_with_its_own_steps_keeps_its_rank(make_project: MakeProject) -> None:
    procfile = "web: flask --app shop db upgrade && gunicorn shop:site\n"
    root = make_project({"shop.py": SITE, "Procfile": procfile, "docker/entrypoint.sh": BOOT})
    notes: list[str] = []
    app = app_of(root, notes)
    assert app.command.value == ("/bin/sh", "-c", "flask --app shop db upgrade && exec gunicorn shop:site")
    assert not any("ends by running the server" in n for n in notes)


def test_a_docker_folder_script_wraps_a_compose_command(make_project: MakeProject) -> None:
    compose = "services:\n  web:\n    build: .\n    command: gunicorn shop:site\n    ports: ['5000:5000']\n"
    root = make_project({"shop.py": SITE, "compose.yaml": compose, "docker/entrypoint.sh": BOOT})
    notes: list[str] = []
    app = app_of(root, notes)
    assert app.command.value == ("sh", "docker/entrypoint.sh")


BOT_MAIN = "import asyncio\n\n\nasync def main():\n    await asyncio.sleep(3600)\n\n\nasyncio.run(main())\n"
BOT_UNIT = "[Service]\nExecStart=/srv/bot/.venv/bin/python -m chatbot\nRestart=always\n"
BOT_ENTRY = "#!/usr/bin/env bash\nset -e\nalembic upgrade head\nexec python -m chatbot\n"


def test_a_script_execing_the_units_long_running_module_is_the_start(make_project: MakeProject) -> None:
    """A service unit says ``python -m pkg`` runs for good (a bot: no server, no port); the entry script
    the repository's image runs applies migrations, then execs the same command: the script is the
    container's start, and a worker like the unit's."""
    root = make_project(
        {
            "chatbot/__init__.py": "",
            "chatbot/__main__.py": BOT_MAIN,
            "deploy/chatbot.service": BOT_UNIT,
            "docker-entrypoint.sh": BOT_ENTRY,
            "Dockerfile": 'FROM python:3.12-slim\nCOPY . /app\nWORKDIR /app\nENTRYPOINT ["./docker-entrypoint.sh"]\n',
        }
    )
    notes: list[str] = []
    app = app_of(root, notes)
    assert app.command.value == ("bash", "docker-entrypoint.sh")
    assert app.kind.value == "worker"
    assert any("docker-entrypoint.sh ends by running" in n and "deploy/chatbot.service" in n for n in notes)


def test_a_script_running_another_module_does_not_take_the_units_place(make_project: MakeProject) -> None:
    root = make_project(
        {
            "chatbot/__init__.py": "",
            "chatbot/__main__.py": BOT_MAIN,
            "tools/__init__.py": "",
            "tools/__main__.py": "print('x')\n",
            "deploy/chatbot.service": BOT_UNIT,
            "docker-entrypoint.sh": BOT_ENTRY.replace("-m chatbot", "-m tools"),
        }
    )
    notes: list[str] = []
    app = app_of(root, notes)
    assert app.command.value == ("python", "-m", "chatbot")
