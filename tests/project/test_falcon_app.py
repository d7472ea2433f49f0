"""Falcon apps: ``falcon.App`` is served by a WSGI server, ``falcon.asgi.App`` (however imported) by an
ASGI one; demo code in a folder named in words (``websocket examples/``) is never the app."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from dockwright.project.apps import detect_app
from dockwright.project.detectors.base import outside_app
from dockwright.project.tree import ProjectTree

MakeProject = Callable[[dict[str, str | bytes]], Path]


def test_a_falcon_wsgi_app_object_is_served_by_gunicorn(make_project: MakeProject) -> None:
    root = make_project(
        {
            "notes/__init__.py": "import falcon\n\nrest = falcon.App(cors_enable=True)\n",
            "requirements.txt": "falcon\ngunicorn\n",
        }
    )
    app = detect_app(ProjectTree(root), None, dependencies=frozenset({"falcon", "gunicorn"}))
    assert app.framework.value == "falcon"
    assert app.command.value == ("gunicorn", "--bind", "0.0.0.0:8000", "notes:rest")


def test_a_falcon_asgi_factory_imported_by_name_is_served_by_uvicorn(make_project: MakeProject) -> None:
    root = make_project(
        {
            "svc/__init__.py": "",
            "svc/web.py": (
                "from falcon.asgi import App\n\n\ndef build():\n    api = App()\n    return api\n"
            ),
            "requirements.txt": "falcon\nuvicorn\n",
        }
    )
    app = detect_app(ProjectTree(root), None, dependencies=frozenset({"falcon", "uvicorn"}))
    assert app.framework.value == "falcon-asgi"
    assert app.command.value[:3] == ("uvicorn", "--factory", "svc.web:build")


def test_a_bare_app_call_of_another_library_is_no_falcon_app(make_project: MakeProject) -> None:
    root = make_project(
        {
            "gui.py": "import falcon\nfrom toga import App\n\nwindow = App('x', 'y')\n",
            "cli.py": "def main():\n    pass\n\nif __name__ == '__main__':\n    main()\n",
        }
    )
    app = detect_app(ProjectTree(root), None, dependencies=frozenset({"falcon", "toga"}))
    assert app.framework.value is None


def test_folders_named_in_words_for_examples_or_tests_are_not_the_app() -> None:
    assert outside_app("websocket examples/chat.py")
    assert outside_app("e2e-tests/app.py")
    assert not outside_app("contest/app.py")
    assert not outside_app("latest-api/app.py")
