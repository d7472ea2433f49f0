"""Several lock files: the one the repository's own image installs decides (``uv sync`` in its
Dockerfile beside a stale poetry.lock); without such a recipe the choice is still the user's."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from dockwright.errors import ProjectError
from dockwright.project.facts import Dependencies
from dockwright.project.managers import read_dependencies
from dockwright.project.tree import ProjectTree

MakeProject = Callable[[dict[str, str | bytes]], Path]

PYPROJECT = '[project]\nname = "svc"\nversion = "1.0"\nrequires-python = ">=3.11"\ndependencies = []\n'
UV_LOCK = 'version = 1\nrequires-python = ">=3.11"\n\n[[package]]\nname = "svc"\nversion = "1.0"\nsource = { editable = "." }\n'
POETRY_LOCK = '[metadata]\nlock-version = "2.0"\npython-versions = ">=3.11"\ncontent-hash = "x"\n'


def _detect(root: Path) -> Dependencies:
    tree = ProjectTree(root)
    return read_dependencies(tree, tree.read_toml("pyproject.toml"), python="3.12")


def test_the_lock_the_own_image_installs_decides(make_project: MakeProject) -> None:
    dockerfile = "FROM python:3.12-slim\nCOPY . /app\nWORKDIR /app\nRUN uv sync --locked --no-dev\n"
    root = make_project(
        {
            "pyproject.toml": PYPROJECT,
            "uv.lock": UV_LOCK,
            "poetry.lock": POETRY_LOCK,
            "Dockerfile": dockerfile,
        }
    )
    deps = _detect(root)
    assert deps.manager.value == "uv"
    assert deps.manager.evidence[0].file == "Dockerfile"


def test_without_a_recipe_the_choice_stays_the_users(make_project: MakeProject) -> None:
    root = make_project({"pyproject.toml": PYPROJECT, "uv.lock": UV_LOCK, "poetry.lock": POETRY_LOCK})
    with pytest.raises(ProjectError, match="disagree on the dependency manager"):
        _detect(root)
