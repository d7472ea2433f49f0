"""supervisord programs (detectors/supervisord.py): the web program is the start, on its port; the other
programs are the image's other processes; supervisord's expansions, environment and autostart."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

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


def _run_words(line: str) -> list[str]:
    """The words the shell line hands its program (PORT=8000), printed by printf in its place."""
    import subprocess

    shown = line.replace("exec gunicorn", "exec printf '%s\\n'", 1)
    done = subprocess.run(
        ["/bin/sh", "-c", shown], env={"PORT": "8000"}, capture_output=True, text=True, check=True
    )
    return done.stdout.splitlines()


def test_only_supervisord_s_variables_are_expanded_by_the_shell(make_project: MakeProject) -> None:
    # supervisord runs command= without a shell: a `$`, quote, backtick or `;` of its words is literal
    conf = (
        "[program:web]\n"
        "command=gunicorn --bind :%(ENV_PORT)s --name 'a;b $(echo x) `echo y`' "
        "--env 'TAG=$HOME-%(ENV_PORT)s\"q' shop.web:app\n"
        "directory=/srv/shop/src\n"
    )
    app, _ = _app(make_project, {"supervisord.conf": conf})
    assert app.command.value[:2] == ("/bin/sh", "-c")
    assert _run_words(app.command.value[2]) == [
        "--chdir",
        "src",
        "--bind",
        ":8000",
        "--name",
        "a;b $(echo x) `echo y`",
        "--env",
        'TAG=$HOME-8000"q',
        "shop.web:app",
    ]


def test_here_is_the_config_s_folder_in_the_image_and_environment_values_are_filled(
    make_project: MakeProject,
) -> None:
    conf = (
        "[program:web]\n"
        "command=gunicorn -c %(here)s/gunicorn.conf.py --bind :8000 shop.web:app\n"
        "directory=/srv/shop/src\n"
        'environment=DATABASE_URL="postgres://shop:pw-9f2c1e77@%(ENV_DB_HOST)s/shop",DATA="%(here)s/data",MODE=prod\n'
    )
    app, notes = _app(
        make_project, {"deploy/supervisord.conf": conf, "deploy/gunicorn.conf.py": "workers = 2\n"}
    )
    assert "/app/deploy/gunicorn.conf.py" in app.command.value
    env = {e.name: e.value for e in app.env}
    assert env["DATA"] == "/app/deploy/data" and env["MODE"] == "prod"
    # a value supervisord reads from its own environment is the run's: never a literal in the image
    assert "DATABASE_URL" not in env
    assert any("DATABASE_URL" in n and "DB_HOST" in n and "docker run -e" in n for n in notes)
    assert not any("pw-9f2c1e77" in n for n in notes)


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


PROCFILE = "web: gunicorn --chdir src shop.web:app\n"


def test_a_procfile_outranks_a_supervisord_file_the_image_does_not_run(make_project: MakeProject) -> None:
    app, _ = _app(make_project, {"deploy/supervisord.conf": CONF, "Procfile": PROCFILE})
    assert app.command.evidence[0].file == "Procfile"


def test_the_supervisord_file_the_own_image_runs_outranks_the_procfile(make_project: MakeProject) -> None:
    dockerfile = (
        "FROM python:3.13-slim\nCOPY . /srv/shop\nRUN pip install supervisor\n"
        'CMD ["supervisord", "-c", "/srv/shop/deploy/supervisord.conf"]\n'
    )
    app, notes = _app(
        make_project, {"deploy/supervisord.conf": CONF, "Procfile": PROCFILE, "Dockerfile": dockerfile}
    )
    ev = app.command.evidence[0]
    assert (ev.file, ev.line) == ("deploy/supervisord.conf", 8)
    assert app.port.value == 5005
    assert any(p.startswith("worker: celery") for p in app.other_processes)
    said = [n for n in notes if "supervisord" in n and "Procfile" in n]
    assert said and "Dockerfile:4" in said[0]


@pytest.mark.parametrize(
    "entrypoint",
    ['["./start.sh"]', '["/bin/sh", "-c", "./start.sh"]', '["/srv/shop/start.sh"]', "./start.sh"],
)
def test_an_entry_script_running_supervisord_on_a_copied_config(
    make_project: MakeProject, entrypoint: str
) -> None:
    # the image copies the file where Debian's supervisord includes it, and its entry script (the one
    # entry_script.own_image_script finds) runs supervisord after its own steps
    dockerfile = (
        "FROM python:3.13-slim\nWORKDIR /srv/shop\nRUN apt-get install -y supervisor\n"
        "COPY deploy/supervisord.conf /etc/supervisor/conf.d/shop.conf\nCOPY . .\n"
        f"ENTRYPOINT {entrypoint}\n"
    )
    script = "#!/bin/sh\nflask db upgrade\n/usr/bin/supervisord\n"
    app, notes = _app(
        make_project,
        {
            "deploy/supervisord.conf": CONF,
            "other/supervisord.conf": "[program:web]\ncommand=gunicorn --bind 0.0.0.0:6000 shop.web:app\n",
            "Procfile": PROCFILE,
            "Dockerfile": dockerfile,
            "start.sh": script,
        },
    )
    ev = app.command.evidence[0]
    assert (ev.file, ev.line) == ("deploy/supervisord.conf", 8)
    said = [n for n in notes if "supervisord" in n and "Procfile" in n]
    assert said and "start.sh:3" in said[0]


def test_a_compose_service_without_a_command_is_not_said_outranked(make_project: MakeProject) -> None:
    dockerfile = 'FROM python:3.13-slim\nCOPY . /srv/shop\nCMD ["supervisord", "-c", "/srv/shop/deploy/supervisord.conf"]\n'
    compose = "services:\n  shop:\n    build: .\n    ports:\n      - '5005:5005'\n"
    app, notes = _app(
        make_project, {"deploy/supervisord.conf": CONF, "Dockerfile": dockerfile, "compose.yaml": compose}
    )
    assert app.command.evidence[0].file == "deploy/supervisord.conf"
    assert not [n for n in notes if "the repository's own image runs supervisord" in n]


def test_the_app_server_is_the_start_before_a_queue_monitor_whose_file_sorts_first(
    make_project: MakeProject,
) -> None:
    """One file per program (conf.d): Celery's flower UI listens too, but the app's server is the start."""
    files = {
        **FILES,
        "deploy/supervisor/app_flower.conf": "[program:flower]\ncommand=celery -A shop.tasks flower --port=5555\n",
        "deploy/supervisor/app_server.conf": "[program:server]\ncommand=gunicorn --bind 0.0.0.0:8001 shop.web:app\n",
        "deploy/supervisor/app_worker.conf": "[program:worker]\ncommand=celery -A shop.tasks worker\n",
    }
    app, _ = _app(make_project, files)
    assert app.command.value[0] == "gunicorn" and app.port.value == 8001
