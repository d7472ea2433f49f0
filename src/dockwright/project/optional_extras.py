"""The optional extras a project declares, read from the table its build backend reads.

What it does: one reader of a project's optional extras (``pip install "tool[server]"``) for everything
that selects them (``extras`` in ``[tool.dockwright]``, the extras the repository's own image installs,
those the start imports from, the import check's installed set):

- ``[project.optional-dependencies]`` when pyproject.toml's ``[project]`` table has it (PEP 621: the
  backend then reads no other metadata source for them);
- else Poetry's ``[tool.poetry.extras]`` (each naming ``optional = true`` dependencies; poetry-core 2
  reads it beside a ``[project]`` table that declares no extras);
- else setuptools': setup.py's ``extras_require=`` over setup.cfg's ``[options.extras_require]``
  (``project/setuptools_static.py``, never executed).

Why: a setuptools server kept its web framework in setup.cfg's ``server`` extra, installed by its own
image (``pip install ".[server]"``); only PEP 621 and Poetry tables were read, so the planned image
started its console script without Flask, and ``extras = ["server"]`` was refused.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import NormalizedName, canonicalize_name

from dockwright.project.poetry_lines import poetry_requirements
from dockwright.project.setuptools_static import extras_require, read_setuptools
from dockwright.project.tree import ProjectTree

PEP621 = "[project.optional-dependencies]"
POETRY = "[tool.poetry.extras]"


@dataclass(frozen=True)
class Extra:
    name: str  # as written
    lines: tuple[str, ...]  # its PEP 508 requirement lines
    file: str  # pyproject.toml, setup.cfg or setup.py
    line: int | None
    table: str  # where it is declared, for messages
    dynamic: bool = False  # setup.py computes it: only running it tells
    malformed: bool = False  # not a list of strings (pyproject.toml)


def optional_extras(tree: ProjectTree, pyproject: dict[str, Any] | None) -> dict[NormalizedName, Extra]:
    """canonical name -> :class:`Extra`, from the one table the project's backend reads (module doc)."""
    pyproject = pyproject or {}
    project = pyproject.get("project")
    if isinstance(project, dict) and "optional-dependencies" in project:
        table = project.get("optional-dependencies")
        out: dict[NormalizedName, Extra] = {}
        for name, lines in table.items() if isinstance(table, dict) else ():
            line = tree.line_of("pyproject.toml", rf"^\s*[\"']?{re.escape(str(name))}[\"']?\s*=")
            listed = isinstance(lines, list) and all(isinstance(x, str) for x in lines)
            written = tuple(lines) if listed else ()
            out[canonicalize_name(str(name))] = Extra(
                str(name), written, "pyproject.toml", line, PEP621, malformed=not listed
            )
        return out
    poetry = poetry_extras(pyproject)
    if poetry:
        return {
            key: Extra(
                name,
                tuple(lines),
                "pyproject.toml",
                tree.line_of("pyproject.toml", rf"^\s*[\"']?{re.escape(name)}[\"']?\s*="),
                POETRY,
            )
            for key, (name, lines) in poetry.items()
        }
    if isinstance(project, dict):  # PEP 621 without extras (poetry-core 2 reads [tool.poetry.extras] then)
        return {}
    return {
        canonicalize_name(name): Extra(
            name,
            keyword.values,
            keyword.file,
            keyword.line,
            "[options.extras_require]" if keyword.file == "setup.cfg" else "extras_require",
            keyword.dynamic,
        )
        for name, keyword in extras_require(tree).items()
    }


def main_requirement_names(tree: ProjectTree, pyproject: dict[str, Any] | None) -> set[str]:
    """The canonical names of the project's main (not optional) requirements, from the same source as
    :func:`optional_extras`."""
    pyproject = pyproject or {}
    project = pyproject.get("project")
    poetry = bool(poetry_extras(pyproject))
    if isinstance(project, dict) and ("dependencies" in project or not poetry):
        lines = project.get("dependencies")
        return requirement_names(lines if isinstance(lines, list) else [])
    if poetry:
        return requirement_names(poetry_requirements(pyproject, optional=False))
    keyword = read_setuptools(tree).get("install_requires")
    return requirement_names(list(keyword.values) if keyword else [])


def requirement_names(lines: list[Any] | tuple[Any, ...]) -> set[str]:
    """The canonical distribution names of the PEP 508 ``lines`` (unreadable ones skipped)."""
    out: set[str] = set()
    for line in lines:
        try:
            out.add(canonicalize_name(Requirement(str(line)).name))
        except InvalidRequirement:
            continue
    return out


def poetry_extras(pyproject: dict[str, Any] | None) -> dict[NormalizedName, tuple[str, list[str]]]:
    """``[tool.poetry.extras]``: canonical extra -> (its name, the PEP 508 lines of the optional
    ``[tool.poetry.dependencies]`` it names), Poetry's own extras table
    (https://python-poetry.org/docs/pyproject/#extras)."""
    tool = (pyproject or {}).get("tool")
    poetry = tool.get("poetry") if isinstance(tool, dict) else None
    table = poetry.get("extras") if isinstance(poetry, dict) else None
    if not isinstance(table, dict):
        return {}
    out: dict[NormalizedName, tuple[str, list[str]]] = {}
    for name, names in table.items():
        if isinstance(names, list):
            wanted = frozenset(canonicalize_name(str(n)) for n in names)
            out[canonicalize_name(str(name))] = (str(name), poetry_requirements(pyproject or {}, only=wanted))
    return out


def self_extras(lines: tuple[str, ...] | list[str]) -> tuple[str, ...]:
    """The extras of the requirement lines that install the project itself (``.[all]``, ``-e .[all]``,
    ``file:.[server]``): pip installs the project with those extras' requirements."""
    out: list[str] = []
    for line in lines:
        match = re.fullmatch(r"(?:-e\s+|--editable[=\s]+)?(?:file:)?\.\[([^\]]*)\]", line.strip())
        if match:
            out += [e.strip() for e in match.group(1).split(",") if e.strip()]
    return tuple(dict.fromkeys(out))
