"""An aiohttp factory taking no argument, in a project that depends on gunicorn: aiohttp's gunicorn worker."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from dockwright.errors import ProjectError
from dockwright.project.apps import detect_app
from dockwright.project.facts import AppFacts
from dockwright.project.tree import ProjectTree

MakeProject = Callable[[dict[str, str | bytes]], Path]

ASYNC_FACTORY = (
    "from aiohttp import web\n\nclass Ping(web.View):\n    async def get(self):\n        return web.Response(text='ok')\n\n"
    "async def create_app() -> web.Application:\n    app = web.Application()\n"
    "    app.add_routes([web.view('/ping', Ping)])\n    return app\n"
)
SYNC_FACTORY = "from aiohttp import web\n\ndef build():\n    app = web.Application()\n    return app\n"
ARGV_FACTORY = "from aiohttp import web\n\ndef init(argv):\n    return web.Application()\n"


def app_of(root: Path, deps: tuple[str, ...]) -> AppFacts:
    return detect_app(ProjectTree(root), None, dependencies=frozenset(deps))


def test_async_factory_is_named_bare_for_the_worker(make_project: MakeProject) -> None:
    root = make_project({"svc/__init__.py": "", "svc/app.py": ASYNC_FACTORY})
    app = app_of(root, ("aiohttp", "gunicorn"))
    assert app.command.value == (
        "gunicorn",
        "--bind",
        "0.0.0.0:8080",
        "--worker-class",
        "aiohttp.GunicornWebWorker",
        "svc.app:create_app",
    )
    assert app.adds.value == ()
    assert app.health_path.value == "/ping", "a class-based view's path is a route"


def test_plain_factory_is_named_as_a_call(make_project: MakeProject) -> None:
    root = make_project({"web.py": SYNC_FACTORY})
    app = app_of(root, ("aiohttp", "gunicorn"))
    assert app.command.value[-1] == "web:build()"


def test_without_gunicorn_the_factory_is_not_guessed(make_project: MakeProject) -> None:
    root = make_project({"svc/__init__.py": "", "svc/app.py": ASYNC_FACTORY})
    with pytest.raises(ProjectError, match="cannot tell how the app starts"):
        app_of(root, ("aiohttp",))


def test_argv_factory_keeps_aiohttps_own_runner(make_project: MakeProject) -> None:
    root = make_project({"web.py": ARGV_FACTORY})
    app = app_of(root, ("aiohttp", "gunicorn"))
    assert app.command.value[:3] == ("python", "-m", "aiohttp.web")
