"""A Poetry project with neither poetry.lock nor a [project] table: its [tool.poetry.dependencies] are
what the lock resolves (uv reads no [tool.poetry] table), never an empty lock; an entry no index can
serve stops the plan with one line."""

from __future__ import annotations

from pathlib import Path

import pytest

from dockwright import api
from dockwright.errors import ProjectError

PYPROJECT = """\
[tool.poetry]
name = "notes"
version = "0.1.0"
description = ""
authors = ["N <n@example.org>"]
package-mode = false

[tool.poetry.dependencies]
python = "^3.11"
flask = "^3.0"
requests = "~2.31"
rich = {version = "13.7.1", python = ">=3.11"}
httpx = {version = "^0.27", extras = ["http2"]}
redis = {version = "^5", optional = true}
"""


def _project(root: Path, pyproject: str = PYPROJECT) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "pyproject.toml").write_text(pyproject)
    (root / "notes.py").write_text("from flask import Flask\napp = Flask(__name__)\n")
    return root


def test_the_poetry_table_is_what_the_lock_resolves(tmp_path: Path) -> None:
    plan = api.plan(_project(tmp_path / "notes"), index_lookup=False)
    assert plan.lock.generate and plan.lock.requirements == (
        "flask<4.0,>=3.0",
        "requests<2.32,>=2.31",
        'rich==13.7.1; python_full_version >= "3.11"',
        "httpx[http2]<0.28,>=0.27",
    )
    declared = plan.facts.dependencies.declared_evidence
    assert [(e.file, e.line) for e in declared] == [("pyproject.toml", 8)]


@pytest.mark.parametrize(
    ("entry", "why"),
    [
        ('tools = {url = "https://files.example.org/tools-1.0.tar.gz"}', "installs from a url"),
        ('tools = [{version = "^1", python = "<3.12"}, {version = "^2", python = ">=3.12"}]', "several"),
        ('tools = "^x.y"', "tools"),
    ],
)
def test_an_entry_no_index_serves_is_refused_in_one_line(tmp_path: Path, entry: str, why: str) -> None:
    root = _project(tmp_path / "notes", PYPROJECT + entry + "\n")
    with pytest.raises(ProjectError, match="poetry lock") as refused:
        api.plan(root, index_lookup=False)
    assert why in str(refused.value) and "\n" not in str(refused.value)
    assert refused.value.line == 15


def test_a_git_entry_is_a_git_line(tmp_path: Path) -> None:
    entry = 'tools = {git = "git@git.example.org:org/tools.git", tag = "v1.2", subdirectory = "pkg"}\n'
    plan = api.plan(_project(tmp_path / "notes", PYPROJECT + entry), index_lookup=False)
    assert (
        plan.lock.requirements[-1]
        == "tools @ git+ssh://git@git.example.org/org/tools.git@v1.2#subdirectory=pkg"
    )


def test_a_poetry_package_is_left_to_uv_and_poetry_core(tmp_path: Path) -> None:
    packaged = PYPROJECT.replace("package-mode = false\n", "") + (
        '[build-system]\nrequires = ["poetry-core"]\nbuild-backend = "poetry.core.masonry.api"\n'
    )
    plan = api.plan(_project(tmp_path / "notes", packaged), index_lookup=False)
    assert plan.lock.requirements == () and plan.lock.source == "pyproject.toml"
