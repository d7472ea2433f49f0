"""A module-level call of the project's app factory is the app object, with or without arguments."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from dockwright.project.apps import detect_app
from dockwright.project.facts import AppFacts
from dockwright.project.tree import ProjectTree

MakeProject = Callable[[dict[str, str | bytes]], Path]


def app_of(root: Path, deps: tuple[str, ...]) -> AppFacts:
    return detect_app(ProjectTree(root), None, dependencies=frozenset(deps))


def test_fastapi_factory_called_with_keywords_from_a_sibling_module(make_project: MakeProject) -> None:
    # the factory needs its router and settings, so only the module-level call can serve it
    factory = (
        "from fastapi import APIRouter, FastAPI\n\n"
        "def build(router: APIRouter, settings: object) -> FastAPI:\n"
        "    api = FastAPI(title=str(settings))\n    api.include_router(router)\n    return api\n"
    )
    main = "from .routes import router\nfrom .setup import build\n\nservice = build(router=router, settings='x')\n"
    root = make_project(
        {
            "shop/__init__.py": "",
            "shop/setup.py": factory,
            "shop/routes.py": "from fastapi import APIRouter\nrouter = APIRouter()\n",
            "shop/main.py": main,
            "shop/jobs.py": "from arq.connections import RedisSettings\nclass WorkerSettings:\n    functions = []\n",
        }
    )
    app = app_of(root, ("fastapi", "uvicorn", "arq"))
    assert app.kind.value == "web"
    assert app.command.value[:2] == ("uvicorn", "shop.main:service")
    assert app.command.evidence[0].file == "shop/main.py"
    assert app.command.evidence[0].line == 4
    assert app.command.evidence[0].detail == "fastapi app `service` = build(...)"


def test_flask_factory_taking_a_config_beats_the_celery_worker(make_project: MakeProject) -> None:
    factory = (
        "from flask import Flask\n\ndef create_app(config):\n"
        "    app = Flask(__name__)\n    app.config.from_object(config)\n    return app\n"
    )
    root = make_project(
        {
            "portal/__init__.py": factory,
            "portal/tasks.py": "from celery import Celery\nqueue = Celery('portal', broker='redis://r')\n",
            "wsgi.py": "from portal import create_app\n\nclass Config:\n    DEBUG = False\n\napp = create_app(Config)\n",
        }
    )
    app = app_of(root, ("flask", "gunicorn", "celery"))
    assert (app.kind.value, app.framework.value) == ("web", "flask")
    assert app.command.value[-1] == "wsgi:app"
    assert app.command.evidence[0].detail == "flask app `app` = create_app(...)"
    assert any("celery" in other for other in app.other_processes)


def test_a_call_of_something_else_is_not_the_app(make_project: MakeProject) -> None:
    # a module-level call whose function builds no app object stays what it is
    src = (
        "from flask import Flask\n\ndef create_app():\n    return Flask(__name__)\n\n"
        "def settings(name):\n    return {'name': name}\n\nconf = settings('x')\n"
    )
    app = app_of(make_project({"web.py": src}), ("flask", "gunicorn"))
    assert app.command.value[-1] == "web:create_app()"
