"""Sanic apps are served by Sanic's own server CLI (``sanic module:app``), bound for a container."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from dockwright.project.apps import detect_app
from dockwright.project.tree import ProjectTree

MakeProject = Callable[[dict[str, str | bytes]], Path]


def test_sanic_app_object_is_served_by_the_sanic_cli(make_project: MakeProject) -> None:
    root = make_project(
        {
            "service.py": (
                "import sanic\n\nsvc = sanic.Sanic('labels')\n\n"
                "@svc.get('/')\nasync def index(request):\n    return sanic.response.text('ok')\n"
            ),
            "requirements.txt": "sanic\n",
        }
    )
    app = detect_app(ProjectTree(root), None, dependencies=frozenset({"sanic"}))
    assert app.kind.value == "web"
    assert app.framework.value == "sanic"
    assert app.command.value == ("sanic", "service:svc", "--host", "0.0.0.0", "--port", "8000")
    assert (app.command.evidence[0].file, app.command.evidence[0].line) == ("service.py", 3)
    assert app.port.value == 8000
    assert app.adds.value == ()  # the framework's own server: nothing to add to the lock


def test_from_import_of_sanic_and_a_port_in_run(make_project: MakeProject) -> None:
    root = make_project(
        {
            "api/__init__.py": "",
            "api/main.py": (
                "from sanic import Sanic\n\nhttp = Sanic('api')\n\n"
                "if __name__ == '__main__':\n    http.run(host='0.0.0.0', port=9100)\n"
            ),
        }
    )
    app = detect_app(ProjectTree(root), None, dependencies=frozenset({"sanic"}))
    assert app.command.value == ("sanic", "api.main:http", "--host", "0.0.0.0", "--port", "9100")


def test_a_compose_command_running_the_sanic_cli_is_the_start(make_project: MakeProject) -> None:
    """Before: dropped as a program nothing provides (sanic was no program the start may name): the
    framework default ran on 8000 without the service's workers."""
    root = make_project(
        {
            "service.py": "from sanic import Sanic\n\nsvc = Sanic('labels')\n",
            "requirements.txt": "sanic\n",
            "compose.yaml": (
                "services:\n  web:\n    build: .\n"
                "    command: sanic service:svc --host 0.0.0.0 --port 7000 --workers 2\n"
            ),
        }
    )
    app = detect_app(ProjectTree(root), None, dependencies=frozenset({"sanic"}))
    assert app.command.value == (
        "sanic",
        "service:svc",
        "--host",
        "0.0.0.0",
        "--port",
        "7000",
        "--workers",
        "2",
    )
    assert app.port.value == 7000 and app.command.evidence[0].file == "compose.yaml"
