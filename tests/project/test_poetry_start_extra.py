"""A Poetry server whose web framework and server are in an extra (``[tool.poetry.extras]``) gets it."""

from __future__ import annotations

from pathlib import Path

import pytest

from dockwright.errors import ProjectError
from dockwright.project.detect import detect_project
from dockwright.project.extras import with_extras
from dockwright.project.optional_extras import poetry_extras
from dockwright.project.start_extras import extras_for_start
from dockwright.project.tree import ProjectTree

PYPROJECT = """\
[tool.poetry]
name = "podman-lite"
version = "0.1.0"
description = ""
authors = ["A <a@example.org>"]

[tool.poetry.dependencies]
python = ">=3.10"
requests = "^2.31"
fastapi = {version = "0.*", optional = true}
uvicorn = {version = "0.*", optional = true}

[tool.poetry.extras]
server = ["fastapi", "uvicorn"]

[tool.poetry.scripts]
lite = "lite.cli:main"

[build-system]
requires = ["poetry-core>=1.0.0"]
build-backend = "poetry.core.masonry.api"
"""

API = "from fastapi import FastAPI\n\napp = FastAPI()\n\n\n@app.get('/')\ndef home():\n    return {}\n"


def _project(tmp_path: Path) -> Path:
    for rel, text in {
        "pyproject.toml": PYPROJECT,
        "lite/__init__.py": "",
        "lite/api.py": API,
        "lite/cli.py": "import requests\n\n\ndef main():\n    pass\n",
    }.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(text, encoding="utf-8")
    return tmp_path


def test_poetry_extras_table_is_read_with_the_optional_dependencies(tmp_path: Path) -> None:
    tree = ProjectTree(_project(tmp_path))
    extras = poetry_extras(tree.read_toml("pyproject.toml"))
    assert extras == {"server": ("server", ["fastapi==0.*", "uvicorn==0.*"])}


def test_the_server_in_an_extra_asks_for_that_extra(tmp_path: Path) -> None:
    tree = ProjectTree(_project(tmp_path))
    pyproject = tree.read_toml("pyproject.toml")
    found = extras_for_start(tree, pyproject, ("uvicorn", "lite.api:app", "--host", "0.0.0.0"))
    assert [e for e, _ in found] == ["server"]
    assert found[0][1].file == "pyproject.toml" and found[0][1].line == 14
    assert "the start runs uvicorn, which only the extra 'server' installs" in found[0][1].detail
    # the CLI needs nothing optional
    assert extras_for_start(tree, pyproject, ("lite",)) == []


def test_the_plan_resolves_the_main_dependencies_and_the_extra(tmp_path: Path) -> None:
    facts = detect_project(_project(tmp_path), python="3.13")
    assert facts.app.command.value[:2] == ("uvicorn", "lite.api:app")
    assert facts.dependencies.declared == ("requests<3.0,>=2.31", "fastapi==0.*", "uvicorn==0.*")
    assert any("optional extra server installed, the start needs it" in n for n in facts.notes)


def test_an_unknown_poetry_extra_is_one_line(tmp_path: Path) -> None:
    tree = ProjectTree(_project(tmp_path))
    facts = detect_project(tmp_path, python="3.13")
    with pytest.raises(
        ProjectError, match=r"no extra gpu in pyproject.toml \[tool.poetry.extras\] \(it has: server\)"
    ):
        with_extras(tree, tree.read_toml("pyproject.toml"), facts.dependencies, ("gpu",), "podman-lite")
