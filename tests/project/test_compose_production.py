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
