"""An app under a folder whose name is no Python identifier (``my-service/api/app.py``): no import
from the work directory can name ``my-service.api.app``, so the server imports ``api.app`` from that
folder (``uvicorn --app-dir``, ``gunicorn --chdir``), and the app runs from its source tree: an
installed wheel has no such folder under the work directory."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from dockwright.project.detect import detect_project
from dockwright.project.detectors.base import importable
from dockwright.project.detectors.servers import runner

MakeProject = Callable[[dict[str, str | bytes]], Path]

PYPROJECT = """
[tool.poetry]
name = "my-service"
version = "0.1.0"
packages = [{include = "my-service"}]

[tool.poetry.dependencies]
python = "^3.11"
fastapi = "^0.110"
uvicorn = "^0.29"
flask = "^3.0"
gunicorn = "^22.0"

[build-system]
requires = ["poetry-core"]
build-backend = "poetry.core.masonry.api"
"""


def test_the_module_is_named_below_the_last_folder_that_is_no_identifier() -> None:
    assert importable("my-service/api/app.py", "my-service.api.app") == ("my-service", "api.app")
    assert importable("a-b/c-d/web/__init__.py", "a-b.c-d.web") == ("a-b/c-d", "web")
    assert importable("shop/api/app.py", "shop.api.app") == ("", "shop.api.app")
    assert importable("src/shop/app.py", "shop.app") == ("", "shop.app")


def test_an_asgi_app_is_served_from_its_folder_and_from_source(make_project: MakeProject) -> None:
    root = make_project(
        {
            "pyproject.toml": PYPROJECT,
            "my-service/__init__.py": "",
            "my-service/api/__init__.py": "",
            "my-service/api/app.py": "from fastapi import FastAPI\n\napp = FastAPI()\n",
        }
    )
    facts = detect_project(root, python="3.12")
    command = facts.app.command.value
    assert command[:3] == ("uvicorn", "--app-dir", "my-service") and "api.app:app" in command
    assert facts.layout.is_package.value is False
    assert "my-service (--app-dir)" in facts.layout.is_package.evidence[0].detail


def test_a_wsgi_app_gets_gunicorn_chdir(make_project: MakeProject) -> None:
    root = make_project(
        {
            "pyproject.toml": PYPROJECT.replace('fastapi = "^0.110"\n', ""),
            "my-service/__init__.py": "",
            "my-service/web.py": "from flask import Flask\n\napp = Flask(__name__)\n",
        }
    )
    command = detect_project(root, python="3.12").app.command.value
    assert command[:3] == ("gunicorn", "--chdir", "my-service") and "web:app" in command


def test_workers_import_from_the_folder_through_their_own_option(make_project: MakeProject) -> None:
    root = make_project(
        {
            "pyproject.toml": PYPROJECT.replace(
                'fastapi = "^0.110"\n', 'fastapi = "^0.110"\ndramatiq = "^1.17"\n'
            ),
            "my-service/__init__.py": "",
            "my-service/api/__init__.py": "",
            "my-service/api/app.py": "from fastapi import FastAPI\n\napp = FastAPI()\n",
            "my-service/jobs/__init__.py": "",
            "my-service/jobs/tasks.py": "import dramatiq\n\n@dramatiq.actor\ndef work():\n    pass\n",
        }
    )
    others = detect_project(root, python="3.12").app.other_processes
    # dramatiq's --path takes several folders, so it follows the module
    assert any(o.startswith("worker: dramatiq jobs.tasks --path my-service ") for o in others), others


def test_celery_takes_its_workdir_before_the_sub_command() -> None:
    celery = runner("celery")
    assert celery is not None
    assert celery.argv(target="jobs", chdir="my-service")[:5] == (
        "celery",
        "--workdir",
        "my-service",
        "-A",
        "jobs",
    )
    assert celery.argv(target="jobs")[:3] == ("celery", "-A", "jobs")


def test_a_worker_importing_from_a_folder_runs_from_source(make_project: MakeProject) -> None:
    root = make_project(
        {
            "pyproject.toml": PYPROJECT.replace('fastapi = "^0.110"\n', 'dramatiq = "^1.17"\n'),
            "my-service/__init__.py": "",
            "my-service/jobs/__init__.py": "",
            "my-service/jobs/tasks.py": "import dramatiq\n\n@dramatiq.actor\ndef work():\n    pass\n",
        }
    )
    facts = detect_project(root, python="3.12")
    assert facts.app.command.value == ("dramatiq", "jobs.tasks", "--path", "my-service")
    assert facts.layout.is_package.value is False
    assert "my-service (--path)" in facts.layout.is_package.evidence[0].detail
