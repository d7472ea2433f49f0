"""A start that changes directory (gunicorn's --chdir, celery's --workdir, a shell's ``cd``) moves the
files the app writes by a relative path there; uvicorn's --app-dir and granian's --working-dir do not
(they only put the folder on sys.path). Paths built from ``__file__`` never move."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from dockwright.project.apps import detect_app
from dockwright.project.start_cwd import start_folder
from dockwright.project.tree import ProjectTree

MakeProject = Callable[[dict[str, str | bytes]], Path]


@pytest.mark.parametrize(
    ("command", "folder"),
    [
        ("gunicorn --chdir site main:app", "site"),
        ("gunicorn --chdir=./site/ main:app", "site"),
        ("gunicorn -b 0.0.0.0:8000 --chdir site/web main:app", "site/web"),
        ("celery --workdir jobs -A tasks worker", "jobs"),
        ("uvicorn --app-dir site main:app", ""),
        ("granian --interface asgi --working-dir site main:app", ""),
        ("dramatiq tasks --path jobs", ""),
        ("gunicorn --chdir /srv/site main:app", ""),
        ("gunicorn --chdir .. main:app", ""),
        ("gunicorn main:app", ""),
    ],
)
def test_the_folder_a_server_runs_in(command: str, folder: str) -> None:
    assert start_folder(tuple(command.split())) == folder


@pytest.mark.parametrize(
    ("script", "folder"),
    [
        ("cd site && exec gunicorn main:app", "site"),
        ("cd site; python migrate.py; exec gunicorn --chdir web main:app", "site/web"),
        ("cd /app && exec gunicorn main:app", ""),
        ("python migrate.py && exec gunicorn main:app", ""),
        ("cd 'my site' && exec gunicorn --name 'a;cd b' main:app", "my site"),
        ("cd site || exit 1\ncd web; exec gunicorn main:app", "site/web"),
        ("echo 'x; cd elsewhere' && exec gunicorn main:app", ""),
    ],
)
def test_a_shell_start_s_cd_counts(script: str, folder: str) -> None:
    assert start_folder(("sh", "-c", script)) == folder


SITE = """import logging
import os

from flask import Flask

app = Flask(__name__)
app.logger.addHandler(logging.FileHandler("ledger.log"))
os.makedirs("uploads", exist_ok=True)
HERE = os.path.dirname(__file__)
app.logger.addHandler(logging.FileHandler(os.path.join(HERE, "beside.log")))
"""


def _plan(make_project: MakeProject, procfile: str) -> tuple[list[str], list[str]]:
    root = make_project({"site/main.py": SITE, "requirements.txt": "flask\ngunicorn\n", "Procfile": procfile})
    app = detect_app(ProjectTree(root), None)
    return sorted(f.value for f in app.writable), sorted(f.value for f in app.writable_files)


def test_relative_writes_follow_gunicorn_s_chdir(make_project: MakeProject) -> None:
    folders, files = _plan(make_project, "web: gunicorn --chdir site main:app\n")
    # the bare log name and the made folder are in site/, where the worker runs; the file built from
    # __file__ is beside the module whatever the working directory
    assert folders == ["site/uploads"]
    assert files == ["site/beside.log", "site/ledger.log"]


def test_relative_writes_stay_at_the_root_under_uvicorn_s_app_dir(make_project: MakeProject) -> None:
    folders, files = _plan(make_project, "web: uvicorn --app-dir site main:app\n")
    assert folders == ["uploads"]
    assert files == ["ledger.log", "site/beside.log"]
