"""aiohttp's runner (``python -m aiohttp.web ... module:factory``) calls the factory with the
command line's remaining arguments: a factory taking none fails at start (``TypeError: create_app()
takes 0 positional arguments but 1 was given``). Such a project starts through its package's
``__main__``, which serves with ``web.run_app``: a web process on aiohttp's port."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from dockwright.project.detect import detect_project

MakeProject = Callable[[dict[str, str | bytes]], Path]

FACTORY = """
from aiohttp import web


async def health(request):
    return web.json_response({"ok": True})


def create_app({params}) -> web.Application:
    app = web.Application()
    app.router.add_get("/health", health)
    return app
"""

MAIN = """
from aiohttp import web

from shop.app import create_app

if __name__ == "__main__":
    web.run_app(create_app())
"""


def _project(make_project: MakeProject, params: str) -> Path:
    return make_project(
        {
            "requirements.txt": "aiohttp==3.10.10\n",
            "shop/__init__.py": "",
            "shop/app.py": FACTORY.replace("{params}", params),
            "shop/__main__.py": MAIN,
        }
    )


def test_a_factory_taking_argv_is_served_by_the_runner(make_project: MakeProject) -> None:
    app = detect_project(_project(make_project, "argv=None"), python="3.12").app
    assert (
        app.command.value[:3] == ("python", "-m", "aiohttp.web")
        and "shop.app:create_app" in app.command.value
    )


def test_a_factory_taking_nothing_starts_through_the_package_main(make_project: MakeProject) -> None:
    app = detect_project(_project(make_project, ""), python="3.12").app
    assert app.command.value == ("python", "-m", "shop")
    assert app.kind.value == "web" and app.port.value == 8080
