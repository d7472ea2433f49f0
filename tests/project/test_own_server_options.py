"""The server options of the repository's own image (project/own_server_options.py): when its
Dockerfile runs the server the plan chose on the same app, its tuning options are carried into the
planned command, the plan keeping its own bind."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from dockwright.project.detect import detect_project

MakeProject = Callable[[dict[str, str | bytes]], Path]

FLASK = "from flask import Flask\n\napp = Flask(__name__)\n"
FASTAPI = "from fastapi import FastAPI\n\napp = FastAPI()\n"


def _project(make_project: MakeProject, deps: str, app: str, cmd: str) -> Path:
    return make_project(
        {
            "requirements.txt": deps,
            "shop/__init__.py": "",
            "shop/web.py": app,
            "gunicorn.conf.py": "timeout = 30\n",
            "Dockerfile": f"FROM python:3.12-slim\nWORKDIR /srv\nCOPY . .\nEXPOSE 8000\nCMD {cmd}\n",
        }
    )


def test_waitress_options_are_carried_without_its_listen(make_project: MakeProject) -> None:
    cmd = '["waitress-serve", "--listen", "*:8000", "--max-request-body-size=52428800", "shop.web:app"]'
    facts = detect_project(_project(make_project, "flask\nwaitress\n", FLASK, cmd), python="3.13")
    assert facts.app.command.value == (
        "waitress-serve",
        "--max-request-body-size=52428800",
        "--listen=0.0.0.0:8000",
        "shop.web:app",
    )
    own = [e for e in facts.app.command.evidence if e.file == "Dockerfile"]
    assert own and own[0].line == 5 and "--max-request-body-size=52428800" in own[0].detail


def test_gunicorn_options_with_values_and_flags(make_project: MakeProject) -> None:
    cmd = (
        '["gunicorn", "-w", "4", "--threads=2", "-b", "0.0.0.0:9000", "--preload", "--timeout", "120",'
        ' "--pid", "/run/gunicorn.pid", "-c", "gunicorn.conf.py", "shop.web:app"]'
    )
    facts = detect_project(_project(make_project, "flask\ngunicorn\n", FLASK, cmd), python="3.13")
    argv = facts.app.command.value
    assert argv[0] == "gunicorn" and argv[-1] == "shop.web:app"
    assert "-w 4 --threads=2 --preload --timeout 120 -c gunicorn.conf.py" in " ".join(argv)
    assert "/run/gunicorn.pid" not in argv  # a path only that image had
    assert argv.count("0.0.0.0:9000") == 1 and "-b" not in argv  # the plan binds, on the image's port


def test_uvicorn_worker_count_and_proxy_headers(make_project: MakeProject) -> None:
    cmd = (
        '["uvicorn", "shop.web:app", "--host", "0.0.0.0", "--port", "80", "--workers", "4",'
        ' "--proxy-headers", "--log-config", "/etc/app/log.yaml"]'
    )
    facts = detect_project(_project(make_project, "fastapi\nuvicorn\n", FASTAPI, cmd), python="3.13")
    argv = " ".join(facts.app.command.value)
    assert "--workers 4 --proxy-headers" in argv
    assert "/etc/app/log.yaml" not in argv and "--log-config" not in argv
    assert argv.count("--port") == 1


def test_a_worker_class_from_no_installed_distribution_is_left_out(make_project: MakeProject) -> None:
    cmd = '["gunicorn", "-k", "gevent", "--worker-connections", "500", "shop.web:app"]'
    facts = detect_project(_project(make_project, "flask\ngunicorn\n", FLASK, cmd), python="3.13")
    argv = facts.app.command.value
    assert "gevent" not in argv and "--worker-connections" in argv


def test_another_app_or_server_carries_nothing(make_project: MakeProject) -> None:
    other_app = '["gunicorn", "-w", "4", "other.web:app"]'
    facts = detect_project(_project(make_project, "flask\ngunicorn\n", FLASK, other_app), python="3.13")
    assert "-w" not in facts.app.command.value
    other_server = '["waitress-serve", "--threads=8", "shop.web:app"]'
    facts = detect_project(_project(make_project, "flask\ngunicorn\n", FLASK, other_server), python="3.13")
    assert "--threads=8" not in facts.app.command.value


def test_a_value_from_the_image_environment_is_left_out(make_project: MakeProject) -> None:
    cmd = "gunicorn --workers $WORKERS --timeout 60 shop.web:app"
    facts = detect_project(_project(make_project, "flask\ngunicorn\n", FLASK, cmd), python="3.13")
    argv = facts.app.command.value
    assert "$WORKERS" not in argv and "--workers" not in argv and "--timeout" in argv


def test_fastapi_run_is_uvicorn_s_front_end(make_project: MakeProject) -> None:
    """FastAPI's documented image runs ``fastapi run FILE``: uvicorn with its options on that file's app.
    Its worker count and proxy headers are carried; its bind is the plan's; ``--reload`` is not carried."""
    cmd = (
        '["fastapi", "run", "shop/web.py", "--port", "80", "--host", "0.0.0.0", "--workers", "4",'
        ' "--proxy-headers", "--reload"]'
    )
    facts = detect_project(
        _project(make_project, "fastapi[standard]\nuvicorn\n", FASTAPI, cmd), python="3.13"
    )
    argv = facts.app.command.value
    assert argv[0] == "uvicorn" and "shop.web:app" in argv
    assert "--workers 4 --proxy-headers" in " ".join(argv)
    assert "--reload" not in argv and argv.count("--port") == 1
