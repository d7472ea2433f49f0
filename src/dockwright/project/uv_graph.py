"""What a ``uv.lock`` installs by default: the packages the project's own dependencies reach.

A ``uv.lock`` holds one resolution for every group and extra: the project's optional extras
(``[project.optional-dependencies]``) and its development groups are packages of the lock like any
other, told apart only by the edge that leads to them (the project's ``optional-dependencies`` and
``dev-dependencies`` tables). Read package by package, the lock is the union of all of them: an
extra's web framework (a Streamlit demo beside a CLI) then counts as a dependency of the app, a dev
tool without a wheel steers the compiler choice, though the converted lock (``lock/convert.py``, which
walks the same edges) installs none of them.

Sources: uv's lock file format (https://docs.astral.sh/uv/concepts/projects/layout/#the-lockfile;
``optional-dependencies`` and ``dev-dependencies`` per package, ``extra = [...]`` on an edge).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from packaging.utils import canonicalize_name

_EDGE_TABLES = ("dependencies", "optional-dependencies", "dev-dependencies")


def _is_root(pkg: dict[str, Any], project_name: str | None) -> bool:
    source = pkg.get("source") or {}
    own = source.get("editable", source.get("virtual"))
    if own == ".":
        return True
    name = canonicalize_name(str(pkg.get("name", "")))
    return bool(project_name) and name == project_name and own is not None


def _edges(items: Iterable[Any]) -> list[tuple[str, tuple[str, ...]]]:
    out: list[tuple[str, tuple[str, ...]]] = []
    for item in items:
        if isinstance(item, dict) and item.get("name"):
            extras = tuple(canonicalize_name(str(e)) for e in item.get("extra", ()) or ())
            out.append((canonicalize_name(str(item["name"])), extras))
    return out


def default_install(data: dict[str, Any], project_name: str | None) -> frozenset[str] | None:
    """Canonical names of the packages the project's default install reaches (its ``dependencies``,
    then theirs, with the extras each edge asks for), the project itself included; None when the lock
    records no edges for the project (nothing to tell the groups apart by: every package counts)."""
    packages = [p for p in data.get("package", []) if isinstance(p, dict)]
    roots = [p for p in packages if _is_root(p, project_name)]
    if not roots or not any(t in root for root in roots for t in _EDGE_TABLES):
        return None
    by_name: dict[str, list[dict[str, Any]]] = {}
    for pkg in packages:
        by_name.setdefault(canonicalize_name(str(pkg.get("name", ""))), []).append(pkg)
    reached: set[str] = set()
    extras_done: set[tuple[str, str]] = set()
    queue = [edge for root in roots for edge in _edges(root.get("dependencies", []) or [])]
    reached.update(canonicalize_name(str(root.get("name", ""))) for root in roots)
    while queue:
        name, extras = queue.pop()
        first = name not in reached
        reached.add(name)
        for pkg in by_name.get(name, []):
            if first:
                queue.extend(_edges(pkg.get("dependencies", []) or []))
            optional = pkg.get("optional-dependencies") or {}
            for extra in extras:
                if (name, extra) in extras_done:
                    continue
                extras_done.add((name, extra))
                for key, items in optional.items():
                    if canonicalize_name(str(key)) == extra:
                        queue.extend(_edges(items or []))
    return frozenset(reached)
