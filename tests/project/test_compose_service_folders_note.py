"""A root with a dependency file of its own (a lint or CI list) whose compose file builds every service
from a folder holding a project of its own (``build: ./api``, ``build: ./board``): the root's plan says
which folders the repository builds its images from (project/workspace.py ``service_folders_note``).
Examples of our own."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from dockwright.errors import ProjectError
from dockwright.project.detect import detect_project

MakeProject = Callable[[dict[str, str | bytes]], Path]

COMPOSE = """services:
  api:
    build:
      context: ./api
    ports:
      - "8888:8888"
  board:
    build: ./board
    ports:
      - "8501:8501"
"""


def _files(compose: str = COMPOSE, ui: str = "board") -> dict[str, str | bytes]:
    compose = compose.replace("board", ui)
    return {
        "requirements.txt": "flask\nstreamlit\n",  # every service's, for the linter
        "docker-compose.yaml": compose,
        "api/requirements.txt": "flask\n",
        "api/api.py": "from flask import Flask\n\napp = Flask(__name__)\n",
        "api/Dockerfile": 'FROM python:3.12\nCOPY . .\nCMD ["python", "api.py"]\n',
        f"{ui}/requirements_{ui}.txt": "streamlit\n",
        f"{ui}/board.py": "import streamlit as st\n\nst.title('board')\n",
    }


@pytest.mark.parametrize("ui", ["board", "frontend"])  # a Python UI in a folder named like a JS client
def test_the_root_plan_names_the_folders_the_services_are_built_from(
    make_project: MakeProject, ui: str
) -> None:
    facts = detect_project(make_project(_files(ui=ui)), python="3.12")
    said = [n for n in facts.notes if "api/" in n and f"{ui}/" in n]
    assert said and "dockwright init api" in said[0]
    assert "docker-compose.yaml" in said[0]


def test_no_note_when_a_service_is_built_from_the_root(make_project: MakeProject) -> None:
    compose = COMPOSE + "  web:\n    build: .\n"
    facts = detect_project(make_project(_files(compose)), python="3.12")
    assert not [n for n in facts.notes if "dockwright init api" in n]


def test_without_root_dependencies_a_python_frontend_folder_is_one_of_the_apps(
    make_project: MakeProject,
) -> None:
    files = _files(ui="frontend")
    del files["requirements.txt"]
    with pytest.raises(ProjectError, match=r"api/, frontend/"):
        detect_project(make_project(files), python="3.12")
