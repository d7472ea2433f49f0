"""A refusal about a workspace member names its files as the user sees them from the folder they gave
(``packages/api/pyproject.toml``), not from the member's own folder."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from dockwright import api
from dockwright.cli import cli
from dockwright.errors import ProjectError

MEMBER = (
    '[project]\nname = "api"\nversion = "0.1.0"\nrequires-python = ">=3.12"\ndependencies = ["flask"]\n'
    '[build-system]\nrequires = ["hatchling"]\nbuild-backend = "hatchling.build"\n'
)
ROOT = '[project]\nname = "root"\nversion = "0"\n[tool.uv.workspace]\nmembers = ["packages/*"]\n'


def _workspace(root: Path) -> Path:
    for rel, text in {
        "pyproject.toml": ROOT,
        "packages/api/pyproject.toml": MEMBER,
        "packages/api/api/__init__.py": "from flask import Flask\napp = Flask(__name__)\n",
        "packages/api/.python-version": "3.11\n",
    }.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    return root


def test_the_refusal_names_the_member_s_files_from_the_workspace_root(tmp_path: Path) -> None:
    root = _workspace(tmp_path / "ws")
    with pytest.raises(ProjectError) as refused:
        api.plan(root)
    assert "(packages/api/pyproject.toml:4)" in str(refused.value)
    assert "(packages/api/.python-version: 3.11" in str(refused.value)
    done = CliRunner().invoke(cli, ["plan", str(root), "--python", "3.11"])
    assert done.exit_code != 0 and "(packages/api/pyproject.toml:4)" in str(done.exception)


def test_given_the_member_itself_the_files_are_its_own(tmp_path: Path) -> None:
    root = _workspace(tmp_path / "ws")
    with pytest.raises(ProjectError, match=r"\(pyproject.toml:4\)"):
        api.plan(root / "packages" / "api")
