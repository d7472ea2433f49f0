"""A lock-less project naming by name only a package its monorepo's root installs from a folder (the PDM
monorepo layout) is refused: never resolved from an index, where the name may be another project's."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from dockwright.errors import ProjectError
from dockwright.project.workspace import locate

MakeProject = Callable[[dict[str, str | bytes]], Path]

ROOT = """\
[project]
name = "all"
version = "0"
dependencies = []

[tool.pdm.dev-dependencies]
dev = [
    "-e corelib @ file:///${PROJECT_ROOT}/pkgs/corelib",
    "-e svc @ file:///${PROJECT_ROOT}/pkgs/svc",
]
"""


def _member(deps: str) -> str:
    return f'[project]\nname = "svc"\nversion = "1"\ndependencies = [{deps}]\n'


def _files(deps: str) -> dict[str, str | bytes]:
    return {
        "pyproject.toml": ROOT,
        "pkgs/corelib/pyproject.toml": '[project]\nname = "corelib"\nversion = "1"\n',
        "pkgs/svc/pyproject.toml": _member(deps),
        "pkgs/svc/svc.py": "print('x')\n",
    }


def test_a_sibling_named_by_name_only_is_refused(make_project: MakeProject) -> None:
    root = make_project(_files('"corelib", "httpx"'))
    with pytest.raises(
        ProjectError, match=r"corelib, a dependency .* folder pkgs/corelib by \.\./\.\./pyproject"
    ):
        locate(root / "pkgs" / "svc")


def test_a_sibling_whose_folder_the_project_declares_is_planned(make_project: MakeProject) -> None:
    root = make_project(_files('"corelib @ file:///${PROJECT_ROOT}/../corelib"'))
    found = locate(root / "pkgs" / "svc")
    assert found.workspace is not None and found.workspace.kind == "path-dependencies"


def test_a_member_with_its_own_lock_or_no_sibling_is_left_alone(make_project: MakeProject) -> None:
    root = make_project({**_files('"corelib"'), "pkgs/svc/pdm.lock": ""})
    assert locate(root / "pkgs" / "svc").app == root / "pkgs" / "svc"
    other = make_project(_files('"httpx"'))
    assert locate(other / "pkgs" / "svc").workspace is None
