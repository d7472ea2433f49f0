"""A compose file named for production (``docker-compose.prod.yml``) beside the plain one: the plain one
of such a repository runs the development side (its database alone, a reloading server), the production
one builds and starts the app (detectors/compose.py)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from dockwright.project.detect import detect_project

MakeProject = Callable[[dict[str, str | bytes]], Path]

MAIN = "from fastapi import FastAPI\n\napp = FastAPI()\n"
REQS = "fastapi\nuvicorn\ngunicorn\n"
DB_ONLY = "services:\n  db:\n    image: postgres:16\n    ports: ['5432:5432']\n"
PROD = (
    "services:\n  api:\n    build:\n      context: .\n      dockerfile: Dockerfile.prod\n"
    "    ports: ['8000:8000']\n"
    "    command: gunicorn -k uvicorn.workers.UvicornWorker -b 0.0.0.0:8000 notes.main:app\n"
)


def _files(**extra: str) -> dict[str, str | bytes]:
    return {"requirements.txt": REQS, "notes/__init__.py": "", "notes/main.py": MAIN, **extra}


def test_the_production_compose_file_starts_the_app(make_project: MakeProject) -> None:
    files = _files(**{"docker-compose.yml": DB_ONLY, "docker-compose.prod.yml": PROD})
    app = detect_project(make_project(files), python="3.12").app
    assert app.command.value[:3] == ("gunicorn", "-k", "uvicorn.workers.UvicornWorker")
    assert app.command.evidence[0].file == "docker-compose.prod.yml"


def test_the_production_file_alone_and_other_spellings(make_project: MakeProject) -> None:
    app = detect_project(make_project(_files(**{"compose.production.yaml": PROD})), python="3.12").app
    assert app.command.evidence[0].file == "compose.production.yaml"


def test_an_override_that_builds_nothing_leaves_the_plain_file(make_project: MakeProject) -> None:
    plain = "services:\n  api:\n    build: .\n    ports: ['8000:8000']\n    command: uvicorn notes.main:app --host 0.0.0.0\n"
    override = "services:\n  api:\n    restart: always\n"
    files = _files(**{"docker-compose.yml": plain, "docker-compose.prod.yml": override})
    app = detect_project(make_project(files), python="3.12").app
    assert app.command.value[:2] == ("uvicorn", "notes.main:app")
    assert app.command.evidence[0].file == "docker-compose.yml"


def test_a_production_file_building_only_its_proxy_leaves_the_plain_file(make_project: MakeProject) -> None:
    # the production file runs the app from the image CI publishes and builds only its front proxy from
    # a folder of its own; the plain file builds the app: the plain file says how the app starts
    plain = (
        "services:\n  api:\n    build: .\n    ports: ['5000:5000']\n"
        "    command: uvicorn notes.main:app --host 0.0.0.0 --port 5000\n"
        "  jobs:\n    build: .\n    command: python -m notes.jobs\n"
    )
    prod = (
        "services:\n  api:\n    image: registry.example/notes:latest\n    expose: [5000]\n"
        "  proxy:\n    build: edge\n    ports: ['443:443']\n"
    )
    files = _files(
        **{
            "docker-compose.yml": plain,
            "docker-compose.prod.yml": prod,
            "edge/Dockerfile": "FROM nginx:1.27\nCOPY site.conf /etc/nginx/conf.d/\n",
            "notes/jobs.py": "print('jobs')\n",
        }
    )
    app = detect_project(make_project(files), python="3.12").app
    assert app.command.value[:2] == ("uvicorn", "notes.main:app")
    assert app.command.evidence[0].file == "docker-compose.yml"
    assert app.port.value == 5000
