"""A lock-less project that names, by name only, a package its monorepo's root installs from a folder.

What it does: for a project with a ``pyproject.toml`` and no lock of its own, reads the ``pyproject.toml``
of each folder above it (up to the repository root, the nearest ``.git``, at most ``MAX_PARENTS``
folders) for packages installed from local folders: PEP 508 ``name @ file:///${PROJECT_ROOT}/path``
lines (``[project]`` dependencies and optional dependencies, ``[dependency-groups]``, PDM's
``[tool.pdm.dev-dependencies]``, with or without ``-e``) and Poetry ``{ path = ... }`` tables (main,
dev and group dependencies). A runtime dependency of the project that such a root maps to a folder,
and that the project itself does not map, is refused in one line.

Why: the PDM monorepo layout (one ``pdm.lock`` at the root whose development group installs every
package editable; a member depends on ``pkg-core`` by name) works in the root's environment only.
Planned alone, the member's dependencies are resolved against the index, where ``pkg-core`` is either
missing or another project's package of that name (dependency confusion): never resolved silently.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import canonicalize_name

from dockwright.errors import ProjectError
from dockwright.project.tree import ProjectTree

MAX_PARENTS = 4
LOCKS = ("poetry.lock", "pdm.lock", "uv.lock", "Pipfile.lock")


def _pep508_folders(lines: Any) -> dict[str, str]:
    out: dict[str, str] = {}
    for text in lines if isinstance(lines, list) else []:
        if not isinstance(text, str):
            continue
        try:
            req = Requirement(re.sub(r"^\s*-e\s+", "", text))
        except InvalidRequirement:
            continue
        url = req.url or ""
        if url.startswith("file:///${PROJECT_ROOT}"):
            out[canonicalize_name(req.name)] = url.removeprefix("file:///${PROJECT_ROOT}").strip("/") or "."
    return out


def _poetry_folders(table: Any) -> dict[str, str]:
    out: dict[str, str] = {}
    for name, spec in (table if isinstance(table, dict) else {}).items():
        if isinstance(spec, dict) and isinstance(spec.get("path"), str):
            out[canonicalize_name(str(name))] = spec["path"]
    return out


def local_folders(data: dict[str, Any]) -> dict[str, str]:
    """Package name -> folder (relative to that pyproject) of every local package a pyproject installs."""
    found: dict[str, str] = {}
    table = data.get("project")
    project: dict[str, Any] = table if isinstance(table, dict) else {}
    found |= _pep508_folders(project.get("dependencies"))
    optional = project.get("optional-dependencies")
    for lines in (optional if isinstance(optional, dict) else {}).values():
        found |= _pep508_folders(lines)
    groups = data.get("dependency-groups")
    for lines in (groups if isinstance(groups, dict) else {}).values():
        found |= _pep508_folders(lines)
    pdm = data.get("tool", {}).get("pdm", {})
    for lines in (pdm.get("dev-dependencies") or {}).values() if isinstance(pdm, dict) else ():
        found |= _pep508_folders(lines)
    poetry = data.get("tool", {}).get("poetry", {})
    if isinstance(poetry, dict):
        found |= _poetry_folders(poetry.get("dependencies"))
        found |= _poetry_folders(poetry.get("dev-dependencies"))
        for group in (poetry.get("group") or {}).values():
            found |= _poetry_folders(group.get("dependencies") if isinstance(group, dict) else None)
    return found


def refuse_root_only_names(app: Path, roots: set[str], own: Callable[[], set[str]]) -> None:
    """Raise ProjectError when a runtime dependency in ``roots`` (canonical names), not mapped to a folder
    by the project itself (``own()``, read only when needed), is installed from a folder by a
    ``pyproject.toml`` above ``app``."""
    tree = ProjectTree(app)
    if not roots or any(tree.is_file(lock) for lock in LOCKS):
        return
    folder = app
    for depth in range(1, MAX_PARENTS + 1):
        if (folder / ".git").exists() or folder.parent == folder:
            return
        folder = folder.parent
        above = ProjectTree(folder)
        if not above.is_file("pyproject.toml"):
            continue
        try:
            mapped = local_folders(above.read_toml("pyproject.toml"))
        except ProjectError:
            return
        here = app.relative_to(folder).as_posix()
        for name in sorted(roots & set(mapped)):
            target = mapped[name]
            if posixpath.normpath(target) == here or name in own():
                continue
            relative = posixpath.relpath(posixpath.normpath(target), here)
            raise ProjectError(
                f"{name}, a dependency of this project, is installed from the folder {target} by "
                f"{'../' * depth}pyproject.toml (a monorepo's root) and by name only here: resolved from an "
                "index it could be another project's package of that name; declare its folder in this "
                f'project ("{name} @ file:///${{PROJECT_ROOT}}/{relative}", or Poetry '
                f'{{path = "{relative}"}}) or give it a lock',
                file="pyproject.toml",
            )
