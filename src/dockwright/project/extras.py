"""Optional extras the image installs: ``[project.optional-dependencies]`` groups the user names
(``extras = ["shellcheck"]`` in ``[tool.dockwright]``), added to the declared requirements the lock
is resolved from.

Extras are optional by definition, so none is installed unless asked for. A group that names the
project itself (``all = ["tool[a,b]"]``) is expanded to those groups' requirements, since the
project is built from source, never fetched from the index. A Poetry project keeps its extras in
``[tool.poetry.extras]``, naming ``optional = true`` entries of ``[tool.poetry.dependencies]``: the
lines resolved are then the main (non-optional) dependencies plus the extras' ones.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import NormalizedName, canonicalize_name

from dockwright.errors import ProjectError
from dockwright.project.facts import Dependencies, Evidence
from dockwright.project.managers import poetry_requirements
from dockwright.project.tree import ProjectTree

TABLE = "[project.optional-dependencies]"


def with_extras(
    tree: ProjectTree,
    pyproject: dict[str, Any] | None,
    deps: Dependencies,
    extras: tuple[str, ...],
    project_name: str,
) -> Dependencies:
    """``deps`` with the requirements of ``extras`` appended to ``declared`` (with evidence)."""
    if not extras:
        return deps
    asked = ", ".join(extras)
    fixed = deps.hashed_requirements or deps.lock_file
    if fixed:
        raise ProjectError(
            f"extras {asked}: the dependencies are installed from {fixed}, which fixes the set; "
            "lock the extras there (or drop `extras`)"
        )
    project = (pyproject or {}).get("project")
    project = project if isinstance(project, dict) else {}
    dynamic = project.get("dynamic", [])
    if deps.dynamic is not None or (isinstance(dynamic, list) and "optional-dependencies" in dynamic):
        raise ProjectError(
            f"extras {asked}: the optional dependencies are computed by the build backend; "
            "declare them statically in pyproject.toml " + TABLE,
            file="pyproject.toml",
        )
    table = project.get("optional-dependencies")
    groups = (
        {canonicalize_name(str(k)): (str(k), v) for k, v in table.items()} if isinstance(table, dict) else {}
    )
    poetry = poetry_extras(pyproject) if not groups else {}
    if poetry:
        return _with_poetry_extras(tree, pyproject or {}, deps, extras, poetry)
    evidence = _extras_evidence(tree, extras, groups, TABLE, "optional extra")
    lines = _expand(extras, groups, canonicalize_name(project_name))
    base = list(deps.declared_evidence)
    if deps.declared and not base:
        line = tree.line_of("pyproject.toml", r"^\s*dependencies\s*=")
        base = [Evidence("pyproject.toml", line, "dependencies")]
    declared = tuple(dict.fromkeys((*deps.declared, *lines)))
    return replace(deps, declared=declared, declared_evidence=(*base, *evidence))


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


def _with_poetry_extras(
    tree: ProjectTree,
    pyproject: dict[str, Any],
    deps: Dependencies,
    extras: tuple[str, ...],
    groups: dict[NormalizedName, tuple[str, list[str]]],
) -> Dependencies:
    """A Poetry project's main dependencies and those of ``extras``, as the lines to resolve."""
    evidence = _extras_evidence(tree, extras, groups, "[tool.poetry.extras]", "extra")
    lines = [line for e in extras for line in groups[canonicalize_name(e)][1]]
    main = poetry_requirements(pyproject, optional=False)
    line = tree.line_of("pyproject.toml", r"^\s*\[tool\.poetry\.dependencies\]")
    base = [
        Evidence("pyproject.toml", line, "[tool.poetry.dependencies] (optional ones only through extras)")
    ]
    declared = tuple(dict.fromkeys((*main, *lines)))
    return replace(deps, declared=declared, declared_evidence=(*base, *evidence))


def _extras_evidence(
    tree: ProjectTree,
    extras: tuple[str, ...],
    groups: dict[NormalizedName, tuple[str, Any]],
    table: str,
    kind: str,
) -> list[Evidence]:
    """Each asked extra's line in ``table``; an extra the table lacks is one clear error."""
    unknown = [e for e in extras if canonicalize_name(e) not in groups]
    if unknown:
        have = ", ".join(name for name, _ in groups.values()) or "none"
        raise ProjectError(
            f"no {kind} {', '.join(unknown)} in pyproject.toml {table} (it has: {have})",
            file="pyproject.toml",
        )
    named = [groups[canonicalize_name(e)][0] for e in extras]
    return [
        Evidence(
            "pyproject.toml",
            tree.line_of("pyproject.toml", rf"^\s*[\"']?{name}[\"']?\s*="),
            f"{table} {name} (extras = {list(extras)})",
        )
        for name in named
    ]


def _expand(
    extras: tuple[str, ...],
    groups: dict[NormalizedName, tuple[str, Any]],
    project: str,
    seen: frozenset[str] = frozenset(),
) -> list[str]:
    """The requirement lines of ``extras``; one naming the project itself becomes its extras' lines."""
    out: list[str] = []
    for extra in extras:
        key = canonicalize_name(extra)
        if key in seen or key not in groups:
            continue
        name, items = groups[key]
        if not isinstance(items, list) or not all(isinstance(i, str) for i in items):
            raise ProjectError(f"{TABLE} {name} must be a list of strings", file="pyproject.toml")
        for line in items:
            try:
                requirement = Requirement(line)
            except InvalidRequirement as error:
                raise ProjectError(f"{TABLE} {name}: {error}", file="pyproject.toml") from None
            if canonicalize_name(requirement.name) == project:
                out += _expand(tuple(sorted(requirement.extras)), groups, project, seen | {key})
            else:
                out.append(line)
    return out
