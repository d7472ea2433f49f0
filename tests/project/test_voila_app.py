"""A notebook of a project depending on voila is served by ``voila`` on all interfaces; a Procfile
running ``voila`` is a command the image can run."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from dockwright.project.detect import detect_project

MakeProject = Callable[[dict[str, str | bytes]], Path]

NOTEBOOK = '{"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}\n'


def test_the_shallowest_notebook_is_served(make_project: MakeProject) -> None:
    files: dict[str, str | bytes] = {
        "requirements.txt": "voila\nipywidgets\n",
        "views/sales.ipynb": NOTEBOOK,
        "board.ipynb": NOTEBOOK,
        "docs/tour.ipynb": NOTEBOOK,
    }
    app = detect_project(make_project(files)).app
    assert app.command.value == ("voila", "board.ipynb", "--no-browser", "--Voila.ip=0.0.0.0", "--port=8866")
    assert app.kind.value == "web"
    assert app.port.value == 8866


def test_a_launch_line_names_the_notebook_and_port(make_project: MakeProject) -> None:
    files: dict[str, str | bytes] = {
        "requirements.txt": "voila\n",
        "board.ipynb": NOTEBOOK,
        "views/sales.ipynb": NOTEBOOK,
        "run.sh": "#!/bin/sh\nvoila --port 9100 views/sales.ipynb\n",
    }
    app = detect_project(make_project(files)).app
    assert app.command.value[:2] == ("voila", "views/sales.ipynb")
    assert app.port.value == 9100


def test_notebooks_without_voila_are_no_app(make_project: MakeProject) -> None:
    files: dict[str, str | bytes] = {
        "requirements.txt": "pandas\n",
        "board.ipynb": NOTEBOOK,
        "main.py": "import sys\n\nif __name__ == '__main__':\n    print(sys.argv)\n",
    }
    assert detect_project(make_project(files)).app.command.value[0] != "voila"


def test_a_procfile_running_voila_is_used(make_project: MakeProject) -> None:
    files: dict[str, str | bytes] = {
        "requirements.txt": "voila\n",
        "board.ipynb": NOTEBOOK,
        "Procfile": "web: voila --port=$PORT --Voila.ip=0.0.0.0 --no-browser board.ipynb\n",
    }
    app = detect_project(make_project(files)).app
    assert app.command.evidence[0].file == "Procfile"
    assert "voila --port=$PORT" in " ".join(app.command.value)
