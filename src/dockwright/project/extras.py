"""Optional extras the image installs: the extras the user names (``extras = ["shellcheck"]`` in
``[tool.dockwright]``) or the project's own image installs, their requirements added to the declared
requirements the lock is resolved from.

Extras are optional by definition, so none is installed unless asked for. They are read from the table
the project's backend reads (``project/optional_extras.py``: PEP 621's ``[project.optional-dependencies]``,
Poetry's ``[tool.poetry.extras]``, setuptools' ``extras_require``). A group that names the project itself
(``all = ["tool[a,b]"]``) is expanded to those groups' requirements, since the project is built from
source, never fetched from the index. A Poetry project's extras name ``optional = true`` entries of
``[tool.poetry.dependencies]``: the lines resolved are then the main (non-optional) dependencies plus the
extras' ones.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import NormalizedName, canonicalize_name

from dockwright.errors import ProjectError
from dockwright.project.facts import Dependencies, Evidence
from dockwright.project.optional_extras import PEP621, POETRY, Extra, optional_extras
from dockwright.project.poetry_lines import poetry_requirements
from dockwright.project.tree import ProjectTree

TABLE = PEP621


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
    declared = optional_extras(tree, pyproject)
    evidence = _extras_evidence(extras, declared)
    if any(e.table == POETRY for e in declared.values()):
        return _with_poetry_extras(tree, pyproject or {}, deps, extras, declared, evidence)
    lines = _expand(extras, declared, canonicalize_name(project_name))
    base = list(deps.declared_evidence)
    if deps.declared and not base and "dependencies" in project:
        line = tree.line_of("pyproject.toml", r"^\s*dependencies\s*=")
        base = [Evidence("pyproject.toml", line, "dependencies")]
    lines_now = tuple(dict.fromkeys((*deps.declared, *lines)))
    return replace(deps, declared=lines_now, declared_evidence=(*base, *evidence))


def _with_poetry_extras(
    tree: ProjectTree,
    pyproject: dict[str, Any],
    deps: Dependencies,
    extras: tuple[str, ...],
    declared: dict[NormalizedName, Extra],
    evidence: list[Evidence],
) -> Dependencies:
    """A Poetry project's main dependencies and those of ``extras`` (of ``declared``), as the lines to
    resolve."""
    lines = [line for e in extras for line in declared[canonicalize_name(e)].lines]
    main = poetry_requirements(pyproject, optional=False)
    line = tree.line_of("pyproject.toml", r"^\s*\[tool\.poetry\.dependencies\]")
    base = [
        Evidence("pyproject.toml", line, "[tool.poetry.dependencies] (optional ones only through extras)")
    ]
    resolved = tuple(dict.fromkeys((*main, *lines)))
    return replace(deps, declared=resolved, declared_evidence=(*base, *evidence))


def _extras_evidence(extras: tuple[str, ...], declared: dict[NormalizedName, Extra]) -> list[Evidence]:
    """Each asked extra's line in its table; an extra the table lacks, or one only running setup.py
    tells, is one clear error."""
    unknown = [e for e in extras if canonicalize_name(e) not in declared]
    if unknown:
        have = ", ".join(e.name for e in declared.values()) or "none"
        first = next(iter(declared.values()), None)
        table, file = (first.table, first.file) if first else (TABLE, "pyproject.toml")
        kind = "optional extra" if table != POETRY else "extra"
        raise ProjectError(
            f"no {kind} {', '.join(unknown)} in {file} {table} (it has: {have})",
            file=file,
        )
    out: list[Evidence] = []
    for asked in extras:
        extra = declared[canonicalize_name(asked)]
        if extra.malformed:
            raise ProjectError(f"{extra.table} {extra.name} must be a list of strings", file=extra.file)
        if extra.dynamic:
            raise ProjectError(
                f"extra {extra.name}: {extra.file} computes its requirements (only running it tells); "
                "declare them as a literal list",
                file=extra.file,
            )
        out.append(Evidence(extra.file, extra.line, f"{extra.table} {extra.name} (extras = {list(extras)})"))
    return out


def _expand(
    extras: tuple[str, ...],
    declared: dict[NormalizedName, Extra],
    project: str,
    seen: frozenset[str] = frozenset(),
) -> list[str]:
    """The requirement lines of ``extras``; one naming the project itself becomes its extras' lines."""
    out: list[str] = []
    for extra in extras:
        key = canonicalize_name(extra)
        if key in seen or key not in declared:
            continue
        found = declared[key]
        for line in found.lines:
            try:
                requirement = Requirement(line)
            except InvalidRequirement as error:
                raise ProjectError(f"{found.table} {found.name}: {error}", file=found.file) from None
            if canonicalize_name(requirement.name) == project:
                out += _expand(tuple(sorted(requirement.extras)), declared, project, seen | {key})
            else:
                out.append(line)
    return out
