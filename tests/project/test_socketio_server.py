"""What a Socket.IO server needs from gunicorn (project/socketio_server.py): one worker, and the worker
type of its async mode, so that one client's long-poll does not hold the only sync worker."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from dockwright.project.detect import detect_project

MakeProject = Callable[[dict[str, str | bytes]], Path]

CHAT = (
    "from flask import Flask\n"
    "from flask_socketio import SocketIO\n\n"
    "app = Flask(__name__)\n"
    "socketio = SocketIO(app{mode})\n\n"
    "@socketio.on('message')\n"
    "def message(data):\n"
    "    socketio.send(data)\n"
)

# the factory layout: the server made at import, bound to the app in the factory
FACTORY = {
    "board/__init__.py": (
        "from flask import Flask\n"
        "from flask_socketio import SocketIO\n\n"
        "socketio = SocketIO()\n\n\n"
        "def create_app():\n"
        "    app = Flask(__name__)\n"
        "    socketio.init_app(app)\n"
        "    return app\n"
    ),
    "serve.py": (
        "from board import create_app, socketio\n\n"
        "app = create_app()\n\n"
        "if __name__ == '__main__':\n"
        "    socketio.run(app)\n"
    ),
}


def _argv(make_project: MakeProject, deps: str, files: dict[str, str | bytes]) -> tuple[str, ...]:
    facts = detect_project(make_project({"requirements.txt": deps, **files}), python="3.13")
    return facts.app.command.value


def test_threading_mode_gets_one_worker_with_threads(make_project: MakeProject) -> None:
    argv = _argv(make_project, "flask\nflask-socketio\n", {"chat.py": CHAT.format(mode="")})
    assert argv[:5] == ("gunicorn", "--workers", "1", "--threads", "100")
    assert argv[-1] == "chat:app"


def test_the_evidence_names_the_server_line_and_the_mode(make_project: MakeProject) -> None:
    facts = detect_project(
        make_project({"requirements.txt": "flask\nflask-socketio\n", "chat.py": CHAT.format(mode="")}),
        python="3.13",
    )
    said = [e for e in facts.app.command.evidence if "Socket.IO" in e.detail]
    assert said and said[0].file == "chat.py" and said[0].line == 5
    assert "threading" in said[0].detail


def test_eventlet_installed_gets_its_worker_and_a_gunicorn_that_has_it(make_project: MakeProject) -> None:
    facts = detect_project(
        make_project(
            {"requirements.txt": "flask\nflask-socketio\neventlet\n", "chat.py": CHAT.format(mode="")}
        ),
        python="3.13",
    )
    assert facts.app.command.value[:5] == ("gunicorn", "--workers", "1", "--worker-class", "eventlet")
    assert facts.app.adds.value == ("gunicorn<26",)
    # kept (Flask-SocketIO runs eventlet whenever it is installed), and its stop said
    said = [n for n in facts.notes if n.startswith("chat.py:5: the Socket.IO server runs in eventlet mode")]
    assert said and "exits 1 at `docker stop`" in said[0] and "replace eventlet by gevent" in said[0]


def test_gevent_gets_its_worker_and_no_eventlet_note(make_project: MakeProject) -> None:
    facts = detect_project(
        make_project(
            {"requirements.txt": "flask\nflask-socketio\ngevent\n", "chat.py": CHAT.format(mode="")}
        ),
        python="3.13",
    )
    assert facts.app.command.value[:5] == ("gunicorn", "--workers", "1", "--worker-class", "gevent")
    assert facts.app.adds.value == ("gunicorn[gevent]",)
    assert not [n for n in facts.notes if "eventlet mode" in n]


def test_gevent_with_gevent_websocket_gets_its_websocket_worker(make_project: MakeProject) -> None:
    deps = "flask\nflask-socketio\ngevent\ngevent-websocket\ngunicorn\n"
    argv = _argv(make_project, deps, {"chat.py": CHAT.format(mode="")})
    assert "geventwebsocket.gunicorn.workers.GeventWebSocketWorker" in argv
    assert argv[argv.index("--workers") + 1] == "1"


def test_a_written_async_mode_outranks_the_installed_packages(make_project: MakeProject) -> None:
    files: dict[str, str | bytes] = {"chat.py": CHAT.format(mode=", async_mode='threading'")}
    argv = _argv(make_project, "flask\nflask-socketio\neventlet\ngunicorn\n", files)
    assert "--threads" in argv and "eventlet" not in argv


def test_a_factory_bound_server_counts(make_project: MakeProject) -> None:
    argv = _argv(make_project, "flask\nflask-socketio\n", dict(FACTORY))
    assert argv[:5] == ("gunicorn", "--workers", "1", "--threads", "100")


def test_options_the_own_image_sets_are_kept(make_project: MakeProject) -> None:
    files: dict[str, str | bytes] = {
        "chat.py": CHAT.format(mode=""),
        "Dockerfile": 'FROM python:3.12-slim\nCOPY . .\nCMD ["gunicorn", "-k", "eventlet", "-w", "1", "chat:app"]\n',
    }
    argv = _argv(make_project, "flask\nflask-socketio\neventlet\ngunicorn\n", files)
    assert argv.count("eventlet") == 1 and "--workers" not in argv and "--worker-class" not in argv


def test_a_plain_flask_app_gets_nothing(make_project: MakeProject) -> None:
    argv = _argv(make_project, "flask\n", {"web.py": "from flask import Flask\n\napp = Flask(__name__)\n"})
    assert "--workers" not in argv and "--threads" not in argv


def test_an_asgi_socketio_server_gets_nothing(make_project: MakeProject) -> None:
    app = (
        "import socketio\nfrom fastapi import FastAPI\n\n"
        "sio = socketio.AsyncServer(async_mode='asgi')\n"
        "api = FastAPI()\n"
        "app = socketio.ASGIApp(sio, api)\n"
    )
    argv = _argv(make_project, "fastapi\npython-socketio\nuvicorn\n", {"main.py": app})
    assert argv[0] == "uvicorn" and "--workers" not in argv


def test_the_project_s_own_gunicorn_start_gets_the_options_too(make_project: MakeProject) -> None:
    """A Procfile's (or a platform's) ``gunicorn app:app`` serving a Socket.IO app: its own start, with
    the options the server needs (inside the shell line a ``$PORT`` makes)."""
    files: dict[str, str | bytes] = {
        "chat.py": CHAT.format(mode=""),
        "Procfile": "web: gunicorn --bind 0.0.0.0:$PORT chat:app\n",
    }
    argv = _argv(make_project, "flask\nflask-socketio\ngunicorn\n", files)
    line = "exec gunicorn --workers 1 --threads 100 --graceful-timeout 5 --bind 0.0.0.0:$PORT chat:app"
    assert argv == ("/bin/sh", "-c", line)


def test_settings_of_the_gunicorn_config_are_kept(make_project: MakeProject) -> None:
    files: dict[str, str | bytes] = {
        "chat.py": CHAT.format(mode=""),
        "gunicorn.conf.py": "worker_class = 'gthread'\nthreads = 50\n",
    }
    argv = _argv(make_project, "flask\nflask-socketio\ngunicorn\n", files)
    assert "--workers" in argv and "--threads" not in argv and "--worker-class" not in argv


def test_a_start_given_on_the_command_line_is_run_as_given(make_project: MakeProject) -> None:
    root = make_project(
        {"requirements.txt": "flask\nflask-socketio\ngunicorn\n", "chat.py": CHAT.format(mode="")}
    )
    facts = detect_project(root, python="3.13", start="gunicorn --bind 0.0.0.0:8000 chat:app")
    assert facts.app.command.value == ("gunicorn", "--bind", "0.0.0.0:8000", "chat:app")


def test_an_option_joined_to_its_short_flag_is_the_command_s_own(make_project: MakeProject) -> None:
    files: dict[str, str | bytes] = {
        "chat.py": CHAT.format(mode=""),
        "Procfile": "web: gunicorn -w2 chat:app\n",
    }
    argv = _argv(make_project, "flask\nflask-socketio\ngunicorn\n", files)
    assert "--workers" not in argv and "-w2" in argv and "--threads" in argv


def test_the_graceful_timeout_is_under_docker_stop_s(make_project: MakeProject) -> None:
    argv = _argv(make_project, "flask\nflask-socketio\n", {"chat.py": CHAT.format(mode="")})
    assert argv[argv.index("--graceful-timeout") + 1] == "5"


def test_a_graceful_timeout_the_config_sets_is_kept(make_project: MakeProject) -> None:
    files: dict[str, str | bytes] = {
        "chat.py": CHAT.format(mode=""),
        "gunicorn.conf.py": "graceful_timeout = 20\n",
        "Procfile": "web: gunicorn chat:app\n",
    }
    assert "--graceful-timeout" not in _argv(make_project, "flask\nflask-socketio\ngunicorn\n", files)
