"""A bare ASGI callable (no framework) is served by an ASGI server as ``module:app``."""

from __future__ import annotations

import ast
from collections.abc import Callable
from pathlib import Path

from dockwright.project.apps import detect_app
from dockwright.project.detectors.asgi_callable import callables
from dockwright.project.tree import ProjectTree

MakeProject = Callable[[dict[str, str | bytes]], Path]

HANDLER = (
    "async def app(scope, receive, send):\n"
    "    await send({'type': 'http.response.start', 'status': 204, 'headers': []})\n"
    "    await send({'type': 'http.response.body', 'body': b''})\n"
)


def test_async_function_is_served_by_uvicorn_added_to_the_lock(make_project: MakeProject) -> None:
    root = make_project({"relay.py": "import json\n\n\n" + HANDLER})
    app = detect_app(ProjectTree(root), None, dependencies=frozenset())
    assert app.kind.value == "web"
    assert app.framework.value == "asgi"
    assert app.command.value == ("uvicorn", "relay:app", "--host", "0.0.0.0", "--port", "8000")
    assert (app.command.evidence[0].file, app.command.evidence[0].line) == ("relay.py", 4)
    assert app.adds.value == ("uvicorn",)


def test_the_server_the_project_depends_on_serves_it(make_project: MakeProject) -> None:
    root = make_project(
        {"edge/__init__.py": "", "edge/gateway.py": HANDLER, "requirements.txt": "hypercorn\n"}
    )
    app = detect_app(ProjectTree(root), None, dependencies=frozenset({"hypercorn"}))
    assert app.command.value == ("hypercorn", "--bind", "0.0.0.0:8000", "edge.gateway:app")
    assert app.adds.value == ()


def test_instance_of_a_class_with_an_async_call_is_an_app() -> None:
    source = (
        "class Gateway:\n"
        "    def __init__(self, routes):\n        self.routes = routes\n\n"
        "    async def __call__(self, scope, receive, send):\n        pass\n\n\n"
        "handler = Gateway({})\n"
    )
    assert callables(ast.parse(source)) == [
        ("handler", 9, "app `handler` = Gateway(), whose __call__ takes (scope, receive, send)")
    ]


def test_app_is_preferred_and_helpers_are_not_apps() -> None:
    source = (
        "async def _lifespan(scope, receive, send):\n    pass\n\n"
        "async def websocket(scope, receive, send, room):\n    pass\n\n"  # four parameters: a helper
        "async def echo(scope, receive, send):\n    pass\n\n"
        "async def app(scope, receive, send):\n    pass\n\n"
        "def build():\n    async def inner(scope, receive, send):\n        pass\n    return inner\n"
    )
    assert [name for name, _, _ in callables(ast.parse(source))] == ["app", "echo"]


def test_a_framework_app_wins_over_a_middleware_class(make_project: MakeProject) -> None:
    root = make_project(
        {
            "main.py": (
                "from fastapi import FastAPI\n\n"
                "class Timing:\n    def __init__(self, app):\n        self.app = app\n\n"
                "    async def __call__(self, scope, receive, send):\n        await self.app(scope, receive, send)\n\n"
                "api = FastAPI()\nwrapped = Timing(api)\n"
            ),
        }
    )
    app = detect_app(ProjectTree(root), None, dependencies=frozenset({"fastapi", "uvicorn"}))
    assert app.framework.value == "fastapi"
    assert app.command.value[:2] == ("uvicorn", "main:api")


def test_a_test_stub_is_not_the_app(make_project: MakeProject) -> None:
    root = make_project({"tests/test_relay.py": HANDLER, "cli.py": "print('hi')\n"})
    app = detect_app(ProjectTree(root), None, dependencies=frozenset())
    assert app.framework.value is None
