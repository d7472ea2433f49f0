"""A server's short bind option with its value joined to it (``-b0.0.0.0:5000``: no space, no ``=``),
which argparse and click read as ``-b 0.0.0.0:5000``, settles the bind and gives the port for every
server whose ``[[bind]]`` rows list it as ``attached`` (servers.toml); uvicorn has no such option."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from dockwright.project.apps import detect_app
from dockwright.project.detectors.base import port_of_command
from dockwright.project.detectors.servers import bind_args, bind_env, bound_words, table
from dockwright.project.tree import ProjectTree

MakeProject = Callable[[dict[str, str | bytes]], Path]

SERVERS = frozenset({"hypercorn", "daphne", "uvicorn", "gunicorn"})


def _app(make_project: MakeProject, line: str) -> tuple[tuple[str, ...], set[str], int | None]:
    files: dict[str, str | bytes] = {
        "tally/__init__.py": "",
        "tally/asgi.py": "async def application(scope, receive, send):\n    pass\n",
        "Procfile": f"web: {line}\n",
    }
    app = detect_app(ProjectTree(make_project(files)), None, dependencies=SERVERS, notes=[])
    return app.command.value, {f"{e.name}={e.value}" for e in app.env}, app.port.value


@pytest.mark.parametrize(
    ("line", "port"),
    [
        ("hypercorn -b0.0.0.0:5000 tally.asgi:application", 5000),
        ("python -m hypercorn -w 2 -b0.0.0.0:5010 tally.asgi:application", 5010),
        ("daphne -b0.0.0.0 -p5020 tally.asgi:application", 5020),
    ],
)
def test_an_attached_bind_is_the_servers_own(make_project: MakeProject, line: str, port: int) -> None:
    command, _, found = _app(make_project, line)
    assert command == tuple(line.split())  # no second --bind added beside it
    assert found == port


def test_gunicorns_attached_bind_sets_no_port_variable(make_project: MakeProject) -> None:
    command, env, port = _app(make_project, "gunicorn -w 2 -b0.0.0.0:5030 tally.asgi:application")
    assert command[-2] == "-b0.0.0.0:5030"
    assert port == 5030 and not any(e.startswith("PORT=") for e in env)


def test_uvicorn_reads_no_attached_option() -> None:
    # `-b` is no uvicorn option: its rows list none, and its bind settings still apply
    assert not any(b.attached for b in table().binds if b.program == "uvicorn")
    assert bound_words("uvicorn", ("-b0.0.0.0:5000",)) == ("-b0.0.0.0:5000",)
    assert {name for name, _, _ in bind_env(("uvicorn", "-b0.0.0.0:5000", "a:b"), 8000)} == {
        "UVICORN_HOST",
        "UVICORN_PORT",
    }


def test_a_longer_option_sharing_the_letter_is_not_taken_for_it() -> None:
    assert bound_words("hypercorn", ("--bind", "x", "-b", "y")) == ("--bind", "x", "-b", "y")
    assert bind_args(("hypercorn", "-b0.0.0.0:5000", "a:b"), 8000) is None
    assert port_of_command(("sh", "-c", "sleep 1 && exec gunicorn -b0.0.0.0:5040 a:b")) == 5040
    assert port_of_command(("othertool", "-b0.0.0.0:5050")) is None  # no row says it reads so


def test_the_own_images_attached_bind_is_not_carried_beside_the_plans(make_project: MakeProject) -> None:
    files: dict[str, str | bytes] = {
        "tally/__init__.py": "",
        "tally/web.py": "from flask import Flask\n\napp = Flask(__name__)\n",
        "Dockerfile": 'FROM python:3.12-slim\nCOPY . /app\nCMD ["gunicorn", "-w", "3", "-b0.0.0.0:5000", "tally.web:app"]\n',
    }
    deps = frozenset({"flask", "gunicorn"})
    app = detect_app(ProjectTree(make_project(files)), None, dependencies=deps, notes=[])
    # the plan's own bind, on the port the image's binds (exposed_port.own_bound_port), and not that one too
    assert app.command.value == ("gunicorn", "-w", "3", "--bind", "0.0.0.0:5000", "tally.web:app")
