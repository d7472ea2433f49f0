"""Optional extras the start itself needs.

A package may keep its command-line front end's dependencies in an optional extra
(``[project.optional-dependencies] cli = ["rich"]``) and document the start as
``pipx run tool[cli]``, while its console script's module imports ``rich`` at module level: installed
without the extra, ``docker run IMAGE --help`` stops on ``ModuleNotFoundError``. Extras are otherwise
installed only when asked for (``extras`` in ``[tool.dockwright]``); this one is what the start needs.

What counts: a module-level ``import X`` / ``from X import ...`` (not inside ``try``, a function or an
``if``, where the program may do without it) of the module the start runs (a console script's
``module:function``, ``python -m module``), whose top-level name is a requirement name of an extra and
of no main dependency. Import and distribution names are compared canonicalised (``typing_extensions`` =
``typing-extensions``); a distribution whose import name differs (``PyYAML`` → ``yaml``) is not matched,
so nothing is added on a guess. The project's own modules never count, though a self-referencing extra
(``all = ["tool[cli,http]"]``) names the project. Nothing is executed.
"""

from __future__ import annotations

import ast
from typing import Any

from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import canonicalize_name

from dockwright.project.detectors.console_scripts import declared_scripts
from dockwright.project.facts import Evidence
from dockwright.project.tree import ProjectTree


def _names(lines: object) -> set[str]:
    out: set[str] = set()
    for line in lines if isinstance(lines, list) else []:
        try:
            out.add(canonicalize_name(Requirement(str(line)).name))
        except InvalidRequirement:
            continue
    return out


def _module_file(tree: ProjectTree, module: str) -> str | None:
    path = module.replace(".", "/")
    for base in ("", "src/"):
        for rel in (f"{base}{path}.py", f"{base}{path}/__init__.py"):
            if tree.is_file(rel):
                return rel
    return None


def _started_module(pyproject: dict[str, Any], command: tuple[str, ...]) -> str | None:
    if not command:
        return None
    if len(command) >= 3 and command[0].startswith("python") and command[1] == "-m":
        return command[2]
    target = declared_scripts(pyproject).get(command[0])
    return str(target).split(":", 1)[0].strip() if isinstance(target, str) else None


def _top_imports(source: str) -> list[tuple[str, int]]:
    try:
        body = ast.parse(source).body
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return []
    out: list[tuple[str, int]] = []
    for stmt in body:
        if isinstance(stmt, ast.Import):
            out += [(a.name.split(".")[0], stmt.lineno) for a in stmt.names]
        elif isinstance(stmt, ast.ImportFrom) and stmt.level == 0 and stmt.module:
            out.append((stmt.module.split(".")[0], stmt.lineno))
    return out


def extras_for_start(
    tree: ProjectTree, pyproject: dict[str, Any] | None, command: tuple[str, ...]
) -> list[tuple[str, Evidence]]:
    """(extra, evidence) for each optional extra the start's module imports from at module level."""
    project = (pyproject or {}).get("project")
    if not isinstance(project, dict) or not isinstance(project.get("optional-dependencies"), dict):
        return []
    module = _started_module(pyproject or {}, command)
    rel = _module_file(tree, module) if module else None
    if rel is None:
        return []
    main = _names(project.get("dependencies"))
    groups = {str(k): _names(v) for k, v in project["optional-dependencies"].items()}
    found: dict[str, Evidence] = {}
    own = canonicalize_name(str(project.get("name") or ""))
    for name, line in _top_imports(tree.read_text(rel)):
        key = canonicalize_name(name)
        # the project's own package: an extra naming the project itself (`all = ["tool[cli]"]`) does not
        # make it optional
        if key in main or key == own or _module_file(tree, name) is not None:
            continue
        extra = next((group for group, names in groups.items() if key in names), None)
        if extra is not None and extra not in found:
            detail = f"{' '.join(command[:3])} imports {name}, which only the extra {extra!r} provides"
            found[extra] = Evidence(rel, line, detail)
    return list(found.items())
