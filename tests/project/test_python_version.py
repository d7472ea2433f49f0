from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from dockwright.errors import ProjectError
from dockwright.project.python_version import detect_python, poetry_to_pep440, release_table
from dockwright.project.tree import ProjectTree

MakeProject = Callable[[dict[str, str | bytes]], Path]
LATEST = release_table().latest


def py(root: Path, override: str | None = None) -> tuple[str, str, str]:
    tree = ProjectTree(root)
    pyproject = tree.read_toml("pyproject.toml") if tree.is_file("pyproject.toml") else None
    facts = detect_python(tree, pyproject, override=override)
    return facts.requested.value, facts.version.value, facts.version.evidence[0].file


def test_table_names_its_source_and_default() -> None:
    table = release_table()
    assert table.default == "3.11"
    assert "python.org" in table.source
    assert all(v.startswith(k + ".") for k, v in table.latest.items())


def test_python_version_file(make_project: MakeProject) -> None:
    assert py(make_project({".python-version": "# pyenv\n3.12\n"})) == (
        "3.12",
        LATEST["3.12"],
        ".python-version",
    )
    assert py(make_project({".python-version": "3.11.4\n"}))[1] == "3.11.4"


def test_runtime_txt(make_project: MakeProject) -> None:
    assert py(make_project({"runtime.txt": "python-3.10.2\n"}))[1] == "3.10.2"


def test_pipfile(make_project: MakeProject) -> None:
    assert py(make_project({"Pipfile": '[requires]\npython_version = "3.13"\n'}))[1] == LATEST["3.13"]


def test_poetry_constraint(make_project: MakeProject) -> None:
    root = make_project({"pyproject.toml": '[tool.poetry.dependencies]\npython = "^3.12"\n'})
    assert py(root)[1] == LATEST["3.14"]  # default 3.11 not allowed → newest allowed


def test_requires_python_prefers_default(make_project: MakeProject) -> None:
    root = make_project({"pyproject.toml": '[project]\nname = "x"\nrequires-python = ">=3.9"\n'})
    assert py(root) == (">=3.9", LATEST["3.11"], "pyproject.toml")


def test_default_when_nothing_asks(make_project: MakeProject) -> None:
    requested, version, file = py(make_project({"app.py": ""}))
    assert (requested, version, file) == ("", LATEST["3.11"], "default")


def test_override_wins(make_project: MakeProject) -> None:
    root = make_project({".python-version": "3.12\n"})
    assert py(root, "3.13") == ("3.13", LATEST["3.13"], "command line")


def test_unknown_minor_and_unsatisfiable(make_project: MakeProject) -> None:
    with pytest.raises(ProjectError, match="not a known CPython"):
        py(make_project({".python-version": "3.99\n"}))
    root = make_project({"pyproject.toml": '[project]\nname = "x"\nrequires-python = "<3.0"\n'})
    with pytest.raises(ProjectError, match="no known CPython release"):
        py(root)


@pytest.mark.parametrize(
    ("constraint", "inside", "outside"),
    [
        ("^3.11", "3.13.1", "4.0.0"),
        ("~3.11", "3.11.9", "3.12.0"),
        (">=3.10,<3.13", "3.12.1", "3.13.0"),
        ("3.11", "3.11.2", "3.12.0"),
    ],
)
def test_poetry_to_pep440(constraint: str, inside: str, outside: str) -> None:
    (spec,) = poetry_to_pep440(constraint)
    assert inside in spec
    assert outside not in spec
