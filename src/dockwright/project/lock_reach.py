"""The distributions a uv.lock installs for the project: what its dependencies reach, without the
development groups the lock also records (for project/undeclared_imports.py: an import only pytest's
group provides is still missing from the image).

A superset of the converted lock (lock/convert.py walks the same edges with the target's markers):
markers are not evaluated, so nothing the image may install is left out.
"""

from __future__ import annotations

from typing import Any

from packaging.utils import canonicalize_name

from dockwright.errors import ProjectError
from dockwright.project.tree import ProjectTree


def uv_reach(
    tree: ProjectTree, lock_file: str, extras: tuple[str, ...] = (), groups: tuple[str, ...] = ()
) -> frozenset[str] | None:
    """Canonical names the project's dependencies (and its ``extras`` and dependency ``groups``) reach
    in ``lock_file`` (a uv.lock), or None when the lock has no root package to start from or cannot be
    read."""
    try:
        data = tree.read_toml(lock_file)
    except ProjectError:
        return None
    packages: dict[str, dict[str, Any]] = {}
    roots: list[dict[str, Any]] = []
    for pkg in data.get("package", []) or []:
        source = pkg.get("source") or {}
        if source.get("editable") == "." or source.get("virtual") == ".":
            roots += pkg.get("dependencies", []) or []
            wanted = {canonicalize_name(e) for e in extras}
            for extra, items in (pkg.get("optional-dependencies") or {}).items():
                roots += items if canonicalize_name(extra) in wanted else []
            named = {canonicalize_name(g) for g in groups}
            for group, items in (pkg.get("dev-dependencies") or {}).items():
                roots += items if canonicalize_name(group) in named else []
            continue
        packages[canonicalize_name(str(pkg.get("name", "")))] = pkg
    if not roots:
        return None
    seen: set[str] = set()
    queue = list(roots)
    while queue:
        edge = queue.pop()
        name = canonicalize_name(str(edge.get("name", "")))
        pkg = packages.get(name)
        asked = [canonicalize_name(e) for e in edge.get("extra", []) or []]
        if pkg is None or (name in seen and not asked):
            continue
        first = name not in seen
        seen.add(name)
        if first:
            queue += pkg.get("dependencies", []) or []
        optional = pkg.get("optional-dependencies") or {}
        for extra, items in optional.items():
            if canonicalize_name(extra) in asked:
                queue += items
    return frozenset(seen)
