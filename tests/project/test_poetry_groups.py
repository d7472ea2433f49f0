"""Poetry installs every dependency group that is not ``optional = true`` (``poetry install``; ``--only
main`` or ``--without`` leave some out): a ``prod`` group holding the server is part of the app's run
time, a ``dev``/``test``/``lint`` group is not (project/poetry_groups.py)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from dockwright.api import plan
from dockwright.lock.convert import convert
from dockwright.project.managers import read_dependencies
from dockwright.project.poetry_groups import installed_groups
from dockwright.project.tree import ProjectTree

MakeProject = Callable[[dict[str, str | bytes]], Path]
H = "sha256:" + "d" * 64


def _pkg(name: str, extra: str = "") -> str:
    return (
        f'[[package]]\nname = "{name}"\nversion = "1.0"\noptional = false\npython-versions = "*"\n{extra}'
        f'files = [{{file = "{name}-1.0-py3-none-any.whl", hash = "{H}"}}]\n\n'
    )


PYPROJECT = """
[tool.poetry]
name = "notes"
version = "0.1.0"
package-mode = false

[tool.poetry.dependencies]
python = "^3.11"
webkit = "^1.0"

[tool.poetry.group.dev.dependencies]
lintkit = "^1.0"

[tool.poetry.group.prod.dependencies]
greenserve = "^1.0"

[tool.poetry.group.bench]
optional = true

[tool.poetry.group.bench.dependencies]
loadtest = "^1.0"
"""
META = '[metadata]\nlock-version = "2.0"\npython-versions = "^3.11"\ncontent-hash = "x"\n'


def _locked(make_project: MakeProject, lock: str) -> list[str]:
    root = make_project({"pyproject.toml": PYPROJECT, "poetry.lock": lock, "app.py": "print(1)\n"})
    tree = ProjectTree(root)
    deps = read_dependencies(tree, tree.read_toml("pyproject.toml"), python="3.12.11")
    return sorted(p.name for p in deps.locked)


def test_a_1_5_lock_installs_the_prod_group(make_project: MakeProject) -> None:
    lock = _pkg("webkit") + _pkg("greenserve", 'dependencies = {eventkit = "*"}\n') + _pkg("eventkit")
    lock += _pkg("lintkit") + _pkg("loadtest") + META
    assert _locked(make_project, lock) == ["eventkit", "greenserve", "webkit"]


def test_a_2_x_lock_with_groups_per_package(make_project: MakeProject) -> None:
    lock = (
        _pkg("webkit", 'groups = ["main"]\n')
        + _pkg("greenserve", 'groups = ["prod"]\n')
        + _pkg("lintkit", 'groups = ["dev"]\n')
        + _pkg("loadtest", 'groups = ["bench"]\n')
        + META
    )
    assert _locked(make_project, lock) == ["greenserve", "webkit"]


def test_a_1_4_lock_whose_category_says_dev_for_every_other_group(make_project: MakeProject) -> None:
    lock = (
        _pkg("webkit", 'category = "main"\n')
        + _pkg("greenserve", 'category = "dev"\n')
        + _pkg("lintkit", 'category = "dev"\n')
        + _pkg("loadtest", 'category = "dev"\n')
        + META.replace('"2.0"', '"1.1"')
    )
    assert _locked(make_project, lock) == ["greenserve", "webkit"]


@pytest.mark.parametrize(
    ("table", "expected"),
    [
        ({}, []),
        ({"prod": {"dependencies": {"a": "*"}}, "test": {"dependencies": {"b": "*"}}}, ["prod"]),
        ({"server": {"optional": True, "dependencies": {"a": "*"}}}, []),
        ({"Docs": {"dependencies": {"a": "*"}}, "deploy": {"dependencies": {"a": "*"}}}, ["deploy"]),
    ],
)
def test_installed_groups(table: dict[str, object], expected: list[str]) -> None:
    assert installed_groups({"tool": {"poetry": {"group": table}}}) == expected


def test_the_plan_names_the_installed_group(make_project: MakeProject) -> None:
    lock = _pkg("webkit") + _pkg("greenserve") + _pkg("lintkit") + _pkg("loadtest") + META
    root = make_project({"pyproject.toml": PYPROJECT, "poetry.lock": lock, "app.py": "print(1)\n"})
    decision = next(d for d in plan(root).decisions if d.topic == "lock")
    assert "with the Poetry group prod (pyproject.toml:13 " in decision.reason


def test_the_converted_lock_holds_the_prod_group(make_project: MakeProject) -> None:
    lock = _pkg("webkit") + _pkg("greenserve", 'dependencies = {eventkit = "*"}\n') + _pkg("eventkit")
    lock += _pkg("lintkit") + _pkg("loadtest") + META
    root = make_project({"pyproject.toml": PYPROJECT, "poetry.lock": lock, "app.py": "print(1)\n"})
    text = convert(root, "convert-poetry", "poetry.lock", "3.12.5")
    names = [line.split("==")[0] for line in text.splitlines() if "==" in line]
    assert names == ["eventkit", "greenserve", "webkit"]


@pytest.mark.parametrize(
    ("install", "expected"),
    [
        ("poetry install --only main --no-root", ["webkit"]),
        ("poetry install --only=main", ["webkit"]),
        ("poetry install --without dev,prod", ["webkit"]),
        ("poetry install --without dev \\\n    --no-root", ["greenserve", "webkit"]),
    ],
)
def test_the_own_image_s_install_line_narrows_the_groups(
    make_project: MakeProject, install: str, expected: list[str]
) -> None:
    lock = _pkg("webkit") + _pkg("greenserve") + _pkg("lintkit") + _pkg("loadtest") + META
    dockerfile = (
        f"FROM python:3.12-slim\nRUN pip install poetry\nCOPY . .\nRUN {install}\nCMD python app.py\n"
    )
    root = make_project(
        {"pyproject.toml": PYPROJECT, "poetry.lock": lock, "app.py": "print(1)\n", "Dockerfile": dockerfile}
    )
    assert _locked(make_project, lock) == ["greenserve", "webkit"]  # without the recipe
    tree = ProjectTree(root)
    deps = read_dependencies(tree, tree.read_toml("pyproject.toml"), python="3.12.11")
    assert sorted(p.name for p in deps.locked) == expected
    text = convert(root, "convert-poetry", "poetry.lock", "3.12.5")
    assert [line.split("==")[0] for line in text.splitlines() if "==" in line] == expected
