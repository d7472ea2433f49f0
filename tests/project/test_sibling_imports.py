"""A served module in a folder that is not a package, importing its neighbours by bare name
(``app/main.py``: ``from interfaces import greeting`` beside ``app/interfaces.py``), is imported from that
folder (detectors.base.sibling_folder through web.served): ``app.main`` from the root fails with
``No module named 'interfaces'``."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from dockwright.project.detect import detect_project

MakeProject = Callable[[dict[str, str | bytes]], Path]

FASTAPI = "from fastapi import FastAPI\n\nfrom interfaces import greeting\n\napp = FastAPI()\n"
FLASK = "from flask import Flask\n\nfrom interfaces import greeting\n\napp = Flask(__name__)\n"
NEIGHBOUR = "def greeting():\n    return 'hi'\n"


def _start(make_project: MakeProject, files: dict[str, str]) -> tuple[str, ...]:
    return detect_project(make_project(files)).app.command.value


def test_uvicorn_imports_the_module_from_its_folder(make_project: MakeProject) -> None:
    files = {"app/main.py": FASTAPI, "app/interfaces.py": NEIGHBOUR, "requirements.txt": "fastapi\n"}
    app = detect_project(make_project(files)).app
    assert app.command.value[:4] == ("uvicorn", "--app-dir", "app", "main:app")
    assert "imported as main from app/" in app.command.evidence[0].detail


def test_gunicorn_changes_to_the_folder(make_project: MakeProject) -> None:
    files = {"app/main.py": FLASK, "app/interfaces.py": NEIGHBOUR, "requirements.txt": "flask\ngunicorn\n"}
    assert _start(make_project, files) == ("gunicorn", "--chdir", "app", "--bind", "0.0.0.0:8000", "main:app")


def test_a_neighbouring_package_counts_too(make_project: MakeProject) -> None:
    files = {
        "service/web/main.py": FLASK.replace("from interfaces", "from interfaces.hello"),
        "service/interfaces/__init__.py": "",
        "service/interfaces/hello.py": NEIGHBOUR,
        "requirements.txt": "flask\ngunicorn\n",
    }
    assert _start(make_project, files)[:4] == ("gunicorn", "--chdir", "service", "--bind")
    assert _start(make_project, files)[-1] == "web.main:app"


def test_a_package_module_importing_relatively_keeps_its_dotted_name(make_project: MakeProject) -> None:
    """With app/__init__.py and a relative import in the module, a top-level name would break that."""
    files = {
        "app/__init__.py": "",
        "app/main.py": FASTAPI + "from .settings import NAME\n",
        "app/settings.py": "NAME = 'x'\n",
        "app/interfaces.py": NEIGHBOUR,
        "requirements.txt": "fastapi\nuvicorn\n",
    }
    assert _start(make_project, files)[:2] == ("uvicorn", "app.main:app")


def test_a_package_module_written_as_a_script_is_imported_from_its_folder(make_project: MakeProject) -> None:
    """app/__init__.py, but the module imports nothing relatively and its neighbours by bare name (the
    project runs it as ``python app/app.py``, whose folder goes on sys.path): ``app.app`` from the root
    stops with ``No module named 'pages'``; the server imports ``app`` from app/."""
    files = {
        "app/__init__.py": "",
        "app/app.py": FLASK.replace("from interfaces", "from pages.navbar"),
        "app/pages/__init__.py": "",
        "app/pages/navbar.py": NEIGHBOUR,
        "requirements.txt": "flask\ngunicorn\n",
    }
    assert _start(make_project, files) == ("gunicorn", "--chdir", "app", "--bind", "0.0.0.0:8000", "app:app")


def test_an_import_the_root_satisfies_keeps_the_root(make_project: MakeProject) -> None:
    files = {
        "app/main.py": FASTAPI,
        "app/interfaces.py": NEIGHBOUR,
        "interfaces.py": NEIGHBOUR,
        "requirements.txt": "fastapi\nuvicorn\n",
    }
    assert _start(make_project, files)[:2] == ("uvicorn", "app.main:app")


def test_no_bare_neighbour_import_keeps_the_root(make_project: MakeProject) -> None:
    files = {
        "app/main.py": FASTAPI.replace("from interfaces import greeting\n", ""),
        "requirements.txt": "fastapi\n",
    }
    assert _start(make_project, files)[:2] == ("uvicorn", "app.main:app")


def test_a_dash_module_written_as_a_script_is_imported_from_its_folder(make_project: MakeProject) -> None:
    dash = (
        "from dash import Dash, html\n\nfrom pages.navbar import greeting\n\napp = Dash(__name__)\n"
        "app.layout = html.Div(greeting())\n\nif __name__ == '__main__':\n    app.run(port=8080)\n"
    )
    files = {
        "app/__init__.py": "",
        "app/app.py": dash,
        "app/pages/__init__.py": "",
        "app/pages/navbar.py": NEIGHBOUR,
        "requirements.txt": "dash\ngunicorn\n",
    }
    start = _start(make_project, files)
    assert start[:3] == ("gunicorn", "--chdir", "app") and start[-1] == "app:app"
