"""The requirement lines of a Poetry project that has neither ``poetry.lock`` nor a PEP 621 ``[project]``
table, for dockwright's uv-based lock to resolve.

What it does
    Turns each entry of ``[tool.poetry.dependencies]`` (not ``python``, not an optional one, which only
    an extra installs) into a PEP 508 line: its version constraint through Poetry's ``^``/``~``/bare
    rules (``python_version.poetry_to_pep440``), its ``extras``, its ``markers`` and its ``python``
    constraint (as a ``python_full_version`` marker); a ``git`` entry becomes a ``name @ git+URL@REF``
    line, built from its commit as a requirements file's is. An entry no index can serve (``path``,
    ``url``, ``file``), one with several constraints (a list), or a constraint that cannot be read stops
    the plan with a one-line error naming its line: ``poetry lock`` is what can lock it. A package
    (poetry-core as its build backend, package mode) is left to uv, which reads its metadata through
    poetry-core, extras and all.

Why is this bad?
    uv reads a pyproject.toml's ``[project]`` table only: given a Poetry 1 project without a build
    backend it resolved nothing (the image installed an empty lock, the app's first import failing), and
    with ``package-mode = false`` poetry-core refuses to give metadata (a traceback).

Example
    ``flask = "^3.0"`` -> ``flask>=3.0,<4.0``; ``rich = {version = "~13.7", python = ">=3.11"}`` ->
    ``rich>=13.7,<13.8; python_full_version >= "3.11"``.

Use instead
    Commit ``poetry.lock`` (``poetry lock``), which the plan converts with its hashes.
    https://python-poetry.org/docs/dependency-specification/
"""

from __future__ import annotations

import re
from typing import Any

from packaging.requirements import InvalidRequirement, Requirement
from packaging.specifiers import InvalidSpecifier

from dockwright.errors import ProjectError
from dockwright.project.facts import Evidence
from dockwright.project.python_version import poetry_to_pep440
from dockwright.project.tree import ProjectTree

_FROM_ELSEWHERE = ("git", "path", "url", "file")
_TABLE = r"^\[tool\.poetry\.dependencies\]"


def needs_lines(pyproject: dict[str, Any] | None) -> bool:
    """Whether uv cannot read the dependencies from pyproject.toml itself: ``[tool.poetry.dependencies]``,
    no ``[project]`` table, and no package for poetry-core to give metadata of (``package-mode = false``,
    or no build backend). A package's metadata poetry-core builds, extras and all."""
    data = pyproject or {}
    tool = data.get("tool")
    poetry = tool.get("poetry") if isinstance(tool, dict) else None
    if not isinstance(poetry, dict) or not isinstance(poetry.get("dependencies"), dict):
        return False
    build = data.get("build-system")
    backend = build.get("build-backend") if isinstance(build, dict) else None
    return not isinstance(data.get("project"), dict) and (poetry.get("package-mode") is False or not backend)


def unlocked_lines(tree: ProjectTree, pyproject: dict[str, Any]) -> tuple[list[str], Evidence]:
    """The PEP 508 lines of ``[tool.poetry.dependencies]`` and the line of that table; ProjectError for
    an entry they cannot say."""
    deps: dict[str, Any] = pyproject["tool"]["poetry"]["dependencies"]
    out: list[str] = []
    for name, spec in deps.items():
        if str(name).lower() == "python":
            continue
        line = tree.line_of("pyproject.toml", rf"^\s*[\"']?{re.escape(str(name))}[\"']?\s*=")
        try:
            text = _line(str(name), spec)
        except (ProjectError, InvalidSpecifier, InvalidRequirement, ValueError) as exc:
            raise ProjectError(
                f"[tool.poetry.dependencies] {name}: {exc}; without poetry.lock dockwright locks these "
                "entries itself: run `poetry lock` and commit poetry.lock",
                file="pyproject.toml",
                line=line,
            ) from None
        if text is not None:
            out.append(text)
    return out, Evidence(
        "pyproject.toml", tree.line_of("pyproject.toml", _TABLE), "[tool.poetry.dependencies]"
    )


def _line(name: str, spec: Any) -> str | None:
    """One entry as a PEP 508 line; None for an optional one."""
    if isinstance(spec, list):
        raise ProjectError("several constraints (a list) cannot be locked from an index alone")
    table: dict[str, Any] = spec if isinstance(spec, dict) else {"version": spec}
    if table.get("optional"):
        return None
    elsewhere = [key for key in _FROM_ELSEWHERE if key in table]
    if elsewhere == ["git"]:  # built from its commit, as a requirements file's git line
        return _marked(f"{_extras(name, table)} @ {_git_url(table)}", table)
    if elsewhere:
        raise ProjectError(f"installs from a {elsewhere[0]}, which no index serves")
    version = str(table.get("version") or "").strip()
    specifier = _specifier(version) if version and version != "*" else ""
    return _marked(f"{_extras(name, table)}{specifier}", table)


def _extras(name: str, table: dict[str, Any]) -> str:
    extras = table.get("extras")
    return f"{name}[{','.join(map(str, extras))}]" if isinstance(extras, list) and extras else name


def _marked(head: str, table: dict[str, Any]) -> str:
    """``head`` with the entry's ``markers`` and ``python`` constraint as its environment marker."""
    markers = [f"({table['markers']})"] if isinstance(table.get("markers"), str) else []
    python = str(table.get("python") or "").strip()
    if python and python != "*":
        markers += [f'python_full_version {s.operator} "{s.version}"' for s in _single(python)]
    text = head + (f"; {' and '.join(markers)}" if markers else "")
    Requirement(text)  # raises InvalidRequirement for what no installer reads
    return text


def _git_url(table: dict[str, Any]) -> str:
    """Poetry's git entry as a PEP 508 URL: ``git+URL@REF#subdirectory=DIR`` (an scp-like
    ``git@host:org/repo.git`` as ``ssh://git@host/org/repo.git``)."""
    url = str(table["git"]).removeprefix("git+")
    if "://" not in url and re.match(r"^[\w.-]+@[\w.-]+:", url):
        url = "ssh://" + url.replace(":", "/", 1)
    ref = table.get("rev") or table.get("tag") or table.get("branch")
    text = f"git+{url}" + (f"@{ref}" if ref else "")
    return text + (f"#subdirectory={table['subdirectory']}" if table.get("subdirectory") else "")


def _single(constraint: str) -> list[Any]:
    specs = poetry_to_pep440(constraint)
    if len(specs) != 1:
        raise ProjectError(f"constraint {constraint!r} has alternatives (||)")
    return sorted(specs[0], key=str)


def _specifier(constraint: str) -> str:
    return ",".join(str(s) for s in _single(constraint))
