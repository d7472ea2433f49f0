"""A package whose app is built lazily by its module's ``__getattr__`` (PEP 562) is served as
``pkg.app:app``, before another module's own copy of the app (rw37: zou served its debug module, then
its event-stream server, instead of ``zou.app:app``)."""

from __future__ import annotations

from tests.project.conftest import MakeProject
from tests.project.test_start_detectors import app_of

FACTORY = """from flask import Flask


def create_app(config=None):
    app = Flask(__name__)
    return app


def __getattr__(name):
    if name == "app":
        return create_app()
    raise AttributeError(name)
"""
EVENTS = "from shop.app import create_app\n\napp = create_app()\n"
DEBUG = "from shop.app import create_app\n\napp = create_app()\n\nif __name__ == '__main__':\n    app.run(debug=True)\n"


def test_the_lazily_built_app_of_the_factory_module_is_served(make_project: MakeProject) -> None:
    files = {
        "shop/__init__.py": "",
        "shop/app/__init__.py": FACTORY,
        "shop/events.py": EVENTS,
        "shop/debug.py": DEBUG,
    }
    app = app_of(make_project(files), deps=("flask", "gunicorn"))
    assert app.command.value[-1] == "shop.app:app"
    assert app.command.evidence[0].file == "shop/app/__init__.py"


def test_a_debug_module_is_not_the_start_when_another_module_serves(make_project: MakeProject) -> None:
    files = {
        "shop/__init__.py": "",
        "shop/debug.py": DEBUG.replace("shop.app", "shop.web"),
        "shop/web.py": FACTORY.split("\n\ndef __getattr__")[0] + "\n\napp = create_app()\n",
    }
    app = app_of(make_project(files), deps=("flask", "gunicorn"))
    assert app.command.value[-1] == "shop.web:app"
