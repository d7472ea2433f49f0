"""A compose service whose own Dockerfile copies single files and folders to paths of its own (``WORKDIR
/ticker``, ``COPY ./jobs/tick.py .``) and runs the script there (``ENTRYPOINT python /ticker/tick.py``):
the planned image runs the project's file (``python jobs/tick.py``) and the service is a process of the
plan (detectors/compose.py, project/own_copies.py). Examples of our own."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from dockwright.dockerfile.parser import parse
from dockwright.project.apps import detect_app
from dockwright.project.own_copies import image_copies, placed
from dockwright.project.tree import ProjectTree

MakeProject = Callable[[dict[str, str | bytes]], Path]

COMPOSE = """services:
  web:
    build:
      context: .
      dockerfile: web.Dockerfile
    ports:
      - "8000:8000"
  ticker:
    build:
      context: .
      dockerfile: ticker.Dockerfile
  queue:
    image: redis:7
"""
WEB = 'FROM python:3.12\nWORKDIR /app\nCOPY . .\nCMD ["gunicorn", "-b", "0.0.0.0:8000", "shop.web:app"]\n'
TICKER = (
    "FROM python:3.12\nCOPY requirements.txt /\nRUN pip install -r /requirements.txt\n"
    "WORKDIR /ticker\nCOPY ./jobs/tick.py .\nCOPY ./jobs/helpers ./helpers\n"
    "ENTRYPOINT python /ticker/tick.py\n"
)
TICK = "import time\n\nfrom helpers.clock import beat\n\nif __name__ == '__main__':\n    while True:\n        beat()\n        time.sleep(60)\n"


def _files(ticker: str = TICKER) -> dict[str, str | bytes]:
    return {
        "docker-compose.yml": COMPOSE,
        "web.Dockerfile": WEB,
        "ticker.Dockerfile": ticker,
        "requirements.txt": "flask\ngunicorn\n",
        "shop/__init__.py": "",
        "shop/web.py": "from flask import Flask\n\napp = Flask(__name__)\n",
        "jobs/tick.py": TICK,
        "jobs/helpers/__init__.py": "",
        "jobs/helpers/clock.py": "def beat() -> None:\n    print('tick', flush=True)\n",
    }


def test_a_file_copied_to_the_working_directory_lands_inside_it(make_project: MakeProject) -> None:
    tree = ProjectTree(make_project(_files()))
    copies = image_copies(tree, parse(TICKER, "ticker.Dockerfile"))
    assert placed(tree, copies, "/ticker/tick.py") == "jobs/tick.py"
    assert placed(tree, copies, "/ticker/helpers/clock.py") == "jobs/helpers/clock.py"
    assert placed(tree, copies, "/ticker") is None  # the folder, not the file


def test_a_service_runs_the_project_file_its_dockerfile_copied(make_project: MakeProject) -> None:
    root = make_project(_files())
    app = detect_app(ProjectTree(root), None, process="ticker", dependencies=frozenset({"flask", "gunicorn"}))
    assert app.command.value == ("python", "jobs/tick.py")
    assert app.kind.value == "worker"
    assert "ticker.Dockerfile:7" in app.command.evidence[0].detail


def test_the_web_service_stays_the_start_and_the_copied_script_is_listed(make_project: MakeProject) -> None:
    root = make_project(_files())
    app = detect_app(ProjectTree(root), None, dependencies=frozenset({"flask", "gunicorn"}))
    assert app.process == "web"
    assert any(p.startswith("ticker") for p in app.other_processes)


@pytest.mark.parametrize(
    "ticker",
    [
        TICKER.replace("ENTRYPOINT python /ticker/tick.py", "ENTRYPOINT python /ticker/missing.py"),
        TICKER.replace("COPY ./jobs/tick.py .\n", ""),
    ],
    ids=["a file no copy put there", "no copy of the script"],
)
def test_a_script_the_image_does_not_get_from_the_project_is_not_read(
    make_project: MakeProject, ticker: str
) -> None:
    root = make_project(_files(ticker))
    app = detect_app(ProjectTree(root), None, dependencies=frozenset({"flask", "gunicorn"}))
    assert not any(p.startswith("ticker") for p in app.other_processes)


def test_a_recipe_that_adds_the_whole_tree_elsewhere_is_left_as_it_was(make_project: MakeProject) -> None:
    """``ADD . /code/`` then ``ENTRYPOINT ["/code/run.sh"]``, ``CMD ["gunicorn", ...]``: the service runs the
    project as a whole, from a folder of its own; its paths are not read one by one (the web app the
    plan starts, not another process)."""
    files = _files(
        "FROM python:3.12\nWORKDIR /code/\nADD . /code/\n"
        'ENTRYPOINT ["/code/run.sh"]\nCMD ["gunicorn", "-c", "/code/etc/gunicorn.conf.py", "shop.web:app"]\n'
    )
    files["run.sh"] = '#!/bin/sh\nexec "$@"\n'
    files["etc/gunicorn.conf.py"] = "workers = 2\n"
    app = detect_app(ProjectTree(make_project(files)), None, dependencies=frozenset({"flask", "gunicorn"}))
    assert not any(p.startswith("ticker") for p in app.other_processes)
