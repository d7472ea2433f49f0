"""A program that serves its Socket.IO app with ``socketio.run(app)`` (project/socketio_run.py): in
threading mode that is werkzeug's development server, which refuses to start outside a terminal."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from dockwright.project.detect import detect_project
from dockwright.project.facts import ProjectFacts

MakeProject = Callable[[dict[str, str | bytes]], Path]

BOARD = (
    "from flask import Flask\n"
    "from flask_socketio import SocketIO\n\n"
    "socketio = SocketIO()\n\n\n"
    "def create_app(debug=False):\n"
    "    app = Flask(__name__)\n"
    "    app.debug = debug\n"
    "    socketio.init_app(app)\n"
    "    return app\n"
)


def _facts(make_project: MakeProject, serve: str, deps: str = "flask\nflask-socketio\n") -> ProjectFacts:
    files: dict[str, str | bytes] = {
        "requirements.txt": deps,
        "board/__init__.py": BOARD,
        "serve.py": serve,
        "Procfile": "web: python serve.py\n",
    }
    return detect_project(make_project(files), python="3.13")


PLAIN = (
    "from board import create_app, socketio\n\n"
    "app = create_app(debug=True)\n\n"
    "if __name__ == '__main__':\n"
    "    socketio.run(app)\n"
)


def test_a_program_that_only_runs_an_app_built_at_import_is_served_by_gunicorn(
    make_project: MakeProject,
) -> None:
    facts = _facts(make_project, PLAIN)
    argv = facts.app.command.value
    assert argv[0] == "gunicorn" and argv[-1] == "serve:app"
    assert "0.0.0.0:8000" in " ".join(argv)
    assert argv[argv.index("--workers") + 1] == "1" and argv[argv.index("--threads") + 1] == "100"
    assert facts.app.adds.value == ("gunicorn",)
    said = [e for e in facts.app.command.evidence if "socketio.run" in e.detail]
    assert said and said[0].file == "serve.py" and said[0].line == 6


def test_host_and_port_read_before_the_run_still_count_as_a_plain_run(make_project: MakeProject) -> None:
    serve = (
        "import os\n"
        "from board import create_app, socketio\n\n"
        "app = create_app()\n\n"
        "if __name__ == '__main__':\n"
        "    port = int(os.environ.get('PORT', 5000))\n"
        "    socketio.run(app, host='0.0.0.0', port=port, allow_unsafe_werkzeug=True)\n"
    )
    assert _facts(make_project, serve).app.command.value[0] == "gunicorn"


def test_a_program_that_sets_its_app_up_is_kept_with_a_warning(make_project: MakeProject) -> None:
    serve = (
        "import sys\n"
        "from board import create_app, socketio\n\n"
        "app = create_app()\n\n"
        "if __name__ == '__main__':\n"
        "    app.config['ROOM'] = sys.argv[1]\n"
        "    socketio.run(app)\n"
    )
    facts = _facts(make_project, serve)
    assert facts.app.command.value == ("python", "serve.py")
    said = [n for n in facts.notes if n.startswith("serve.py:8:")]
    assert said and "gunicorn" in said[0] and "serve:app" in said[0]
    assert "not designed to run in production" in said[0]


def test_eventlet_s_server_listening_on_every_address_is_kept(make_project: MakeProject) -> None:
    serve = PLAIN.replace("socketio.run(app)", "socketio.run(app, host='0.0.0.0', port=5000)")
    facts = _facts(make_project, serve, "flask\nflask-socketio\neventlet\n")
    assert facts.app.command.value == ("python", "serve.py")
    assert not [n for n in facts.notes if n.startswith("serve.py:")]


def test_eventlet_s_server_on_the_loopback_is_served_by_gunicorn_s_worker(make_project: MakeProject) -> None:
    facts = _facts(make_project, PLAIN, "flask\nflask-socketio\neventlet\n")
    argv = facts.app.command.value
    assert argv[0] == "gunicorn" and argv[-1] == "serve:app" and "0.0.0.0:8000" in argv
    assert argv[argv.index("--worker-class") + 1] == "eventlet"
    said = [e for e in facts.app.command.evidence if e.file == "serve.py"]
    assert said and "127.0.0.1" in said[0].detail and "eventlet" in said[0].detail


def test_gevent_s_server_on_the_loopback_that_sets_its_app_up_is_said(make_project: MakeProject) -> None:
    serve = PLAIN.replace("    socketio.run(app)", "    app.config['ROOM'] = 'x'\n    socketio.run(app)")
    facts = _facts(make_project, serve, "flask\nflask-socketio\ngevent\n")
    assert facts.app.command.value == ("python", "serve.py")
    said = [n for n in facts.notes if n.startswith("serve.py:7:")]
    assert said and "127.0.0.1" in said[0] and "host=" in said[0] and "gevent" in said[0]


MAIN = "from board import socketio\nfrom board.web import app\n\nsocketio.run(app)\n"
WEB = "from board import create_app\n\napp = create_app()\n"
OWN_WEB = (
    "from flask import Flask\nfrom board import socketio\n\napp = Flask(__name__)\nsocketio.init_app(app)\n"
)


def test_python_m_pkg_reaching_socketio_run(make_project: MakeProject) -> None:
    files: dict[str, str | bytes] = {
        "requirements.txt": "flask\nflask-socketio\n",
        "board/__init__.py": BOARD,
        "board/web.py": WEB,
        "board/__main__.py": MAIN,
        "Procfile": "web: python -m board\n",
    }
    argv = detect_project(make_project(files), python="3.13").app.command.value
    assert argv[0] == "gunicorn" and argv[-1] == "board.web:app"


def test_an_own_image_running_python_m_pkg_reaching_socketio_run(make_project: MakeProject) -> None:
    files: dict[str, str | bytes] = {
        "requirements.txt": "flask\nflask-socketio\n",
        "board/__init__.py": BOARD,
        "board/web.py": OWN_WEB,
        "board/__main__.py": MAIN,
        "Dockerfile": 'FROM python:3.13-slim\nCOPY . /app\nWORKDIR /app\nEXPOSE 5000\nCMD ["python", "-m", "board"]\n',
    }
    facts = detect_project(make_project(files), python="3.13")
    argv = facts.app.command.value
    assert argv[0] == "gunicorn" and argv[-1] == "board.web:app"
    assert facts.app.port.value == 5000 and "0.0.0.0:5000" in argv


def test_a_compose_start_of_a_module_that_builds_its_own_server(make_project: MakeProject) -> None:
    chat = (
        "from flask import Flask\n"
        "from flask_socketio import SocketIO\n\n"
        "app = Flask(__name__)\n"
        "socketio = SocketIO(app)\n\n"
        "if __name__ == '__main__':\n"
        "    socketio.run(app, host='0.0.0.0', port=5000)\n"
    )
    compose = (
        "services:\n  web:\n    build: .\n    command: python chat.py\n    ports:\n      - '5000:5000'\n"
    )
    files: dict[str, str | bytes] = {
        "requirements.txt": "flask\nflask-socketio\n",
        "chat.py": chat,
        "compose.yaml": compose,
    }
    argv = detect_project(make_project(files), python="3.13").app.command.value
    assert argv[0] == "gunicorn" and argv[-1] == "chat:app" and "0.0.0.0:5000" in argv
