from __future__ import annotations

import shlex
from collections.abc import Callable
from pathlib import Path

import pytest

from dockwright.errors import ProjectError
from dockwright.project.apps import detect_app, normalise_route, signatures
from dockwright.project.command_prefixes import without_prefixes
from dockwright.project.facts import AppFacts
from dockwright.project.tree import ProjectTree

MakeProject = Callable[[dict[str, str | bytes]], Path]


def app_of(root: Path, **kw: object) -> AppFacts:
    tree = ProjectTree(root)
    pyproject = tree.read_toml("pyproject.toml") if tree.is_file("pyproject.toml") else None
    return detect_app(tree, pyproject, **kw)  # type: ignore[arg-type]


FLASK = (
    "from flask import Flask\n\napp = Flask(__name__)\n\n@app.get('/healthz')\ndef h():\n    return 'ok'\n"
)


def test_every_framework_row_names_a_source() -> None:
    for fw in signatures().frameworks:
        assert fw.source.startswith("https://")


def test_flask_app_object(make_project: MakeProject) -> None:
    app = app_of(make_project({"app.py": FLASK}))
    assert app.framework.value == "flask"
    assert app.command.value == ("gunicorn", "--bind", "0.0.0.0:8000", "app:app")
    assert app.health_path.value == "/healthz"
    assert app.health_path.evidence[0].file == "app.py"
    assert app.kind.value == "web"


def test_flask_factory_and_explicit_port(make_project: MakeProject) -> None:
    src = (
        "import flask\n\ndef create_app():\n    app = flask.Flask(__name__)\n    return app\n\n"
        "if __name__ == '__main__':\n    create_app().run(port=5000)\n"
    )
    app = app_of(make_project({"web/app.py": src, "web/__init__.py": ""}))
    assert app.command.value == ("gunicorn", "--bind", "0.0.0.0:5000", "web.app:create_app()")
    assert app.port.value == 5000
    assert app.health_path.value is None  # → TCP probe


def test_fastapi_beats_flask_and_uses_uvicorn(make_project: MakeProject) -> None:
    root = make_project(
        {
            "main.py": (
                "from fastapi import FastAPI\napp = FastAPI()\n\n"
                "@app.get('/livez')\nasync def l():\n    return 1\n"
            ),
            "legacy.py": FLASK,
        }
    )
    app = app_of(root)
    assert app.framework.value == "fastapi"
    assert app.command.value == ("uvicorn", "main:app", "--host", "0.0.0.0", "--port", "8000")
    assert app.health_path.value == "/livez"  # routes of the FastAPI modules, not the Flask leftover


def test_starlette_routes_and_aiohttp(make_project: MakeProject) -> None:
    star = (
        "from starlette.applications import Starlette\nfrom starlette.routing import Route\n"
        "app = Starlette(routes=[Route('/ping', lambda r: None)])\n"
    )
    assert app_of(make_project({"app.py": star})).health_path.value == "/ping"
    aio = "from aiohttp import web\n\ndef make_app(argv):\n    app = web.Application()\n    return app\n"
    app = app_of(make_project({"server.py": aio}))
    assert app.framework.value == "aiohttp"
    assert app.port.value == 8080
    assert app.command.value[-1] == "server:make_app"


def test_django(make_project: MakeProject) -> None:
    root = make_project(
        {
            "manage.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'site1.settings')\n",
            "site1/__init__.py": "",
            "site1/settings.py": "WSGI_APPLICATION = 'site1.wsgi.application'\n",
            "site1/wsgi.py": "application = None\n",
            "site1/urls.py": "from django.urls import path\nurlpatterns = [path('healthz/', None)]\n",
        }
    )
    app = app_of(root)
    assert app.framework.value == "django"
    assert app.command.value == ("gunicorn", "--bind", "0.0.0.0:8000", "site1.wsgi:application")
    assert app.command.evidence[0].file == "site1/settings.py"
    # issue 11: Django serves `path("healthz/")` at /healthz/ (without the slash it answers a redirect)
    assert app.health_path.value == "/healthz/"


def test_procfile_web_line_wins(make_project: MakeProject) -> None:
    root = make_project({"app.py": FLASK, "Procfile": "release: x\nweb: gunicorn -b 0.0.0.0:9000 app:app\n"})
    app = app_of(root)
    assert app.command.value == ("gunicorn", "-b", "0.0.0.0:9000", "app:app")
    assert app.command.evidence[0].line == 2
    assert app.port.value == 9000
    assert app.framework.value == "flask"


def test_celery_worker_has_no_port_or_probe(make_project: MakeProject) -> None:
    root = make_project({"tasks.py": "from celery import Celery\nworker = Celery('t', broker='memory://')\n"})
    app = app_of(root)
    assert app.kind.value == "worker"
    assert app.command.value == ("celery", "-A", "tasks:worker", "worker", "--loglevel", "INFO")
    assert app.port.value is None
    assert app.health_path.value is None


def test_streamlit(make_project: MakeProject) -> None:
    app = app_of(make_project({"dash.py": "import streamlit as st\nst.write(1)\n"}))
    assert app.command.value[:3] == ("streamlit", "run", "dash.py")
    assert (app.port.value, app.health_path.value) == (8501, "/_stcore/health")


def test_console_script(make_project: MakeProject) -> None:
    root = make_project(
        {
            "pyproject.toml": '[project]\nname = "t"\n[project.scripts]\ntool = "t.cli:main"\n',
            "src/t/__init__.py": "",
            "src/t/cli.py": "def main():\n    pass\n",
        }
    )
    app = app_of(root)
    assert (app.kind.value, app.command.value, app.module.value) == ("cli", ("tool",), "t.cli")


def test_package_main_and_single_script(make_project: MakeProject) -> None:
    app = app_of(make_project({"pkg/__init__.py": "", "pkg/__main__.py": "print(1)\n"}))
    assert app.command.value == ("python", "-m", "pkg")
    script = app_of(make_project({"job.py": "if __name__ == '__main__':\n    pass\n", "util.py": ""}))
    assert (script.kind.value, script.command.value) == ("script", ("python", "job.py"))


def test_start_and_port_override(make_project: MakeProject) -> None:
    app = app_of(make_project({"job.py": "print(1)\n"}), start="gunicorn x:app", port=7000)
    assert app.command.value == ("gunicorn", "x:app")
    assert app.kind.value == "web"
    assert app.port.value == 7000
    assert app.port.evidence[0].file == "command line"


DJANGO_SITE: dict[str, str | bytes] = {
    "manage.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'site1.settings')\n"
    "from django.core.management import execute_from_command_line\n",
    "site1/__init__.py": "",
    "site1/settings.py": "WSGI_APPLICATION = 'site1.wsgi.application'\n",
    "site1/wsgi.py": "application = None\n",
}


@pytest.mark.parametrize(
    ("start", "port", "evidence", "loopback"),
    [
        ("python manage.py runserver 0.0.0.0:8000", 8000, "runserver 0.0.0.0:8000: port 8000", False),
        ("./manage.py runserver 0:9000", 9000, "runserver 0:9000: port 9000", False),
        (
            "python3 -u manage.py runserver --noreload [::]:8001",
            8001,
            "runserver [::]:8001: port 8001",
            False,
        ),
        ("python manage.py runserver", 8000, "runserver listens on port 8000 without an address", True),
        ("python manage.py runserver 127.0.0.1:7000", 7000, "runserver 127.0.0.1:7000: port 7000", True),
        ("python manage.py runserver 7000", 7000, "runserver 7000: port 7000", True),
        ("uv run manage.py runserver 0.0.0.0:8000", 8000, "runserver 0.0.0.0:8000: port 8000", False),
        (
            "poetry run python manage.py runserver 0.0.0.0:8002",
            8002,
            "runserver 0.0.0.0:8002: port 8002",
            False,
        ),
        ("python -m django runserver --settings site1.settings 0.0.0.0:8003", 8003, "port 8003", False),
        ("django-admin runserver -6", 8000, "runserver listens on port 8000", True),
        (
            'sh -c "python manage.py migrate && exec python manage.py runserver 0.0.0.0:8004"',
            8004,
            "port 8004",
            False,
        ),
    ],
)
def test_an_explicit_runserver_start_is_web_on_its_port(
    make_project: MakeProject, start: str, port: int, evidence: str, loopback: bool
) -> None:
    # rw40 start-port-ignored: `--start "python manage.py runserver 0.0.0.0:8000"` was a portless CLI
    notes: list[str] = []
    app = app_of(make_project(DJANGO_SITE), start=start, notes=notes)
    assert (app.kind.value, app.port.value) == ("web", port)
    assert evidence in app.port.evidence[0].detail
    # the start stays as given, less a project manager's runner (explicit_start.py)
    assert app.command.value == tuple(without_prefixes(shlex.split(start))[0])
    assert any(
        n.startswith("--start runs Django's development server")
        and f"gunicorn --bind 0.0.0.0:{port} site1.wsgi" in n
        for n in notes
    )
    assert any("a loopback address: nothing outside the container reaches it" in n for n in notes) == loopback


def test_an_explicit_runserver_start_whose_address_is_a_variable_says_so(make_project: MakeProject) -> None:
    notes: list[str] = []
    app = app_of(make_project(DJANGO_SITE), start="python manage.py runserver 0.0.0.0:$PORT", notes=notes)
    assert (app.kind.value, app.port.value) == ("web", 8000)
    assert any("'0.0.0.0:$PORT' is no literal [ADDR:]PORT" in n for n in notes)


@pytest.mark.parametrize(
    "start",
    [
        "python manage.py migrate",
        "python manage.py runserver_plus_not_django",
        "python tool.py runserver 0.0.0.0:8000",  # another program's `runserver` word
        "python manage.py shell -c 'print(1)'",
    ],
)
def test_an_explicit_start_that_runs_no_runserver_stays_a_cli(make_project: MakeProject, start: str) -> None:
    notes: list[str] = []
    app = app_of(make_project({**DJANGO_SITE, "tool.py": "print(1)\n"}), start=start, notes=notes)
    assert (app.kind.value, app.port.value) == ("cli", None)
    assert not any("development server" in n for n in notes)


def test_an_explicit_runserver_start_with_port_keeps_the_given_port(make_project: MakeProject) -> None:
    app = app_of(make_project(DJANGO_SITE), start="python manage.py runserver 0.0.0.0:8000", port=9100)
    assert (app.kind.value, app.port.value, app.port.evidence[0].detail) == ("web", 9100, "--port 9100")


def test_nothing_to_start(make_project: MakeProject) -> None:
    with pytest.raises(ProjectError, match="pass --start"):
        app_of(make_project({"a.py": "", "b.py": ""}))


def test_syntax_errors_are_notes(make_project: MakeProject) -> None:
    notes: list[str] = []
    tree = ProjectTree(make_project({"broken.py": "def (:\n", "app.py": FLASK}))
    assert detect_app(tree, None, notes=notes).framework.value == "flask"
    assert notes == ["broken.py: not valid Python syntax; skipped"]


def test_syntax_errors_in_test_and_doc_files_are_not_news(make_project: MakeProject) -> None:
    # a code generator's test data is full of files of newer syntax than the host's: never the app
    notes: list[str] = []
    files = {"tests/data/expected.py": "type X = int\n", "docs/demo/app.py": "def (:\n", "app.py": FLASK}
    tree = ProjectTree(make_project(files))
    assert detect_app(tree, None, notes=notes).framework.value == "flask"
    assert notes == []


@pytest.mark.parametrize(("raw", "norm"), [("healthz/", "/healthz/"), (r"^health$", "/health"), ("/", "/")])
def test_normalise_route(raw: str, norm: str) -> None:
    assert normalise_route(raw) == norm
