"""supervisord programs (detectors/supervisord.py): the web program is the start, on its port; the other
programs are the image's other processes; supervisord's expansions, environment and autostart."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from dockwright.project.apps import detect_app
from dockwright.project.facts import AppFacts
from dockwright.project.tree import ProjectTree

MakeProject = Callable[[dict[str, str | bytes]], Path]

# our own app: a Flask app and a Celery app in a package under src/
APP = "from flask import Flask\n\napp = Flask(__name__)\n"
TASKS = "from celery import Celery\n\ncelery = Celery('shop')\n"
FILES = {"src/shop/__init__.py": "", "src/shop/web.py": APP, "src/shop/tasks.py": TASKS}
CONF = """[supervisord]
nodaemon=true

[program:nginx]
command=/usr/sbin/nginx -g "daemon off;"

[program:web]
command=/srv/venv/bin/gunicorn --workers 3
    --bind 127.0.0.1:5005 shop.web:app
directory=/srv/shop/src
environment=SHOP_MODE="production",LOG_LEVEL=info

[program:worker]
command=celery -A shop.tasks worker --hostname=%(program_name)s@%%h
directory=/srv/shop/src
"""
DEPS = frozenset({"flask", "gunicorn", "celery"})


def _app(make_project: MakeProject, files: dict[str, str]) -> tuple[AppFacts, list[str]]:
    notes: list[str] = []
    app = detect_app(ProjectTree(make_project({**FILES, **files})), None, dependencies=DEPS, notes=notes)
    return app, notes


def test_the_web_program_is_the_start_on_its_port(make_project: MakeProject) -> None:
    app, _ = _app(make_project, {"deploy/supervisord.conf": CONF})
    assert app.command.value == (
        "gunicorn",
        "--chdir",
        "src",
        "--workers",
        "3",
        "--bind",
        "0.0.0.0:5005",
        "shop.web:app",
    )
    ev = app.command.evidence[0]
    assert (ev.file, ev.line) == ("deploy/supervisord.conf", 8) and "[program:web]" in ev.detail
    assert app.port.value == 5005
    env = {e.name: e.value for e in app.env}
    assert env["SHOP_MODE"] == "production" and env["LOG_LEVEL"] == "info"


def test_the_other_programs_are_the_image_s_other_processes(make_project: MakeProject) -> None:
    app, _ = _app(make_project, {"deploy/supervisord.conf": CONF})
    assert ("celery", "-A", "shop.tasks", "worker", "--hostname=worker@%h") in app.other_commands
    assert any(p.startswith("worker: celery") for p in app.other_processes)
    assert not any(p.startswith("nginx") for p in app.other_processes)  # not a Python program


def test_a_program_started_by_hand_is_not_read(make_project: MakeProject) -> None:
    conf = "[program:spare]\ncommand=gunicorn --bind 0.0.0.0:7000 shop.web:app\nautostart=false\n"
    app, _ = _app(make_project, {"supervisord.conf": conf})
    assert not any(e.file == "supervisord.conf" for e in app.command.evidence)


def test_a_variable_supervisord_reads_is_the_shell_s(make_project: MakeProject) -> None:
    conf = "[program:web]\ncommand=gunicorn --bind :%(ENV_PORT)s shop.web:app\ndirectory=/srv/shop/src\n"
    app, _ = _app(make_project, {"supervisord.conf": conf})
    assert app.command.value == ("/bin/sh", "-c", 'exec gunicorn --chdir src --bind ":${PORT}" shop.web:app')
    assert {e.name: e.value for e in app.env}["PORT"] == str(app.port.value)


def test_a_secret_in_a_program_s_environment_stays_out_of_the_image(make_project: MakeProject) -> None:
    conf = CONF.replace("LOG_LEVEL=info", 'SECRET_KEY="k8s-9f2c1e77"')
    app, notes = _app(make_project, {"deploy/supervisord.conf": conf})
    assert "SECRET_KEY" not in {e.name for e in app.env}
    assert "SECRET_KEY" in {f.value for f in app.required_env}
    assert not any("k8s-9f2c1e77" in n for n in notes)


def test_only_the_variables_supervisord_expands_reach_the_shell(make_project: MakeProject) -> None:
    """supervisord runs a command without a shell: a ``$(...)`` written in it is a literal word, which the
    ``sh -c`` line its ``%(ENV_PORT)s`` needs must keep literal."""
    conf = (
        "[program:web]\ncommand=gunicorn --bind :%(ENV_PORT)s --name $(id)`w` shop.web:app\n"
        "directory=/srv/shop/src\n"
    )
    app, _ = _app(make_project, {"supervisord.conf": conf})
    assert app.command.value == (
        "/bin/sh",
        "-c",
        "exec gunicorn --chdir src --bind \":${PORT}\" --name '$(id)`w`' shop.web:app",
    )
