"""What a Poetry lock without group tables installs: the packages the main dependencies reach.

Poetry 1.5 to 1.8 write ``lock-version = "2.0"``, which records neither the group of a package (1.x's
``category = "dev"`` is gone, 2.x's ``groups = [...]`` not there yet) nor the markers it installs under:
both live only on the edges, pyproject's ``[tool.poetry.dependencies]`` and each package's
``[package.dependencies]``. Read package by package, such a lock is the union of every group on every
platform: a dev group's tools (locust, gevent) and a Windows-only ``pywin32`` then count as dependencies
without a wheel for the target, steer the Python version and put a compiler in the builder, though the
converted lock (``lock/convert.py``, the same edges) installs none of them.

Sources: Poetry's lock format changes (https://python-poetry.org/history/, 1.5.0: "lock file format
2.0"; 2.0.0: ``groups`` and ``markers`` per package).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import canonicalize_name

from dockwright.project.poetry_groups import group_dependencies

_NAME = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)")


@dataclass(frozen=True)
class PoetryEdge:
    """One dependency edge: ``name`` (canonical), its marker, the extras it asks for, optional or not."""

    name: str
    marker: str | None = None
    extras: tuple[str, ...] = ()
    optional: bool = False


def poetry_edges(name: str, spec: Any) -> list[PoetryEdge]:
    """The edges of one ``[package.dependencies]`` or ``[tool.poetry.dependencies]`` item (a version
    string, a table, or a list of tables with markers)."""
    canon = canonicalize_name(name)
    out = []
    for item in spec if isinstance(spec, list) else [spec]:
        if not isinstance(item, dict):
            out.append(PoetryEdge(canon))
            continue
        marker = item.get("markers")
        python = item.get("python")
        if python and not marker:
            marker = python_marker(str(python))
        extras = tuple(str(e) for e in item.get("extras", ()))
        out.append(PoetryEdge(canon, str(marker) if marker else None, extras, bool(item.get("optional"))))
    return out


def python_marker(constraint: str) -> str | None:
    """Poetry's ``python = "<3.10"`` constraint as a marker (simple comparisons only)."""
    parts = []
    for piece in constraint.split(","):
        match = re.match(r"^\s*(<=|>=|==|!=|<|>)\s*([0-9.]+)\s*$", piece)
        if not match:
            return None
        parts.append(f'python_version {match[1]} "{match[2]}"')
    return " and ".join(parts) or None


def records_groups(lock: dict[str, Any]) -> bool:
    """True when the lock says per package which group it belongs to (Poetry < 1.5, Poetry >= 2)."""
    return any("groups" in pkg or "category" in pkg for pkg in lock.get("package", []))


def _roots(pyproject: dict[str, Any]) -> list[PoetryEdge]:
    """The main group's edges: optional ones too (the project's extras, which the image may install); the
    edges of the other groups Poetry installs (a ``prod`` group: project/poetry_groups.py) too."""
    roots: list[PoetryEdge] = []
    main = pyproject.get("tool", {}).get("poetry", {}).get("dependencies") or {}
    for name, spec in [*main.items(), *group_dependencies(pyproject).items()]:
        if name.lower() != "python":
            roots.extend(poetry_edges(name, spec))
    project = pyproject.get("project", {})
    texts: list[str] = list(project.get("dependencies") or [])
    for extra in (project.get("optional-dependencies") or {}).values():
        texts.extend(extra or [])
    for text in texts:
        try:
            req = Requirement(str(text))
        except InvalidRequirement:
            continue
        marker = str(req.marker) if req.marker else None
        roots.append(PoetryEdge(canonicalize_name(req.name), marker, tuple(sorted(req.extras))))
    return roots


def _graph(lock: dict[str, Any]) -> dict[str, tuple[list[PoetryEdge], dict[str, list[PoetryEdge]]]]:
    """name -> (required edges, extra -> optional edges), over every locked version of the name."""
    graph: dict[str, tuple[list[PoetryEdge], dict[str, list[PoetryEdge]]]] = {}
    for pkg in lock.get("package", []):
        required, by_extra = graph.setdefault(canonicalize_name(str(pkg.get("name", ""))), ([], {}))
        optional: dict[str, PoetryEdge] = {}
        for dep, spec in (pkg.get("dependencies") or {}).items():
            for edge in poetry_edges(str(dep), spec):
                if edge.optional:
                    optional[edge.name] = edge
                else:
                    required.append(edge)
        for extra, members in (pkg.get("extras") or {}).items():
            picked = by_extra.setdefault(canonicalize_name(str(extra)), [])
            for member in members or []:
                match = _NAME.match(str(member))
                if match and canonicalize_name(match[1]) in optional:
                    picked.append(optional[canonicalize_name(match[1])])
    return graph


def installed_markers(
    lock: dict[str, Any], pyproject: dict[str, Any], *, with_groups: bool = False
) -> dict[str, str | None] | None:
    """Every package the main dependencies reach, with the marker it installs under (None: always; set
    only when every edge to it has one, as any unconditional edge installs it everywhere). None when
    the lock records groups itself (unless ``with_groups``: Poetry before 1.5 records a package's
    ``category`` but, like 1.5-1.8, its markers only on the edges) or pyproject names no main
    dependency to walk from."""
    if records_groups(lock) and not with_groups:
        return None
    roots = _roots(pyproject)
    if not roots:
        return None
    graph = _graph(lock)
    incoming: dict[str, list[str | None]] = {}
    extras_done: dict[str, set[str]] = {}
    queue: list[PoetryEdge] = list(roots)
    while queue:
        edge = queue.pop()
        if edge.name not in graph:
            continue  # not locked (a stale lock): conversion reports it
        first = edge.name not in incoming
        incoming.setdefault(edge.name, []).append(edge.marker)
        required, by_extra = graph[edge.name]
        todo: Iterable[PoetryEdge] = list(required) if first else []
        done = extras_done.setdefault(edge.name, set())
        for extra in (canonicalize_name(e) for e in edge.extras):
            if extra not in done:
                done.add(extra)
                todo = [*todo, *(_activated(e, extra) for e in by_extra.get(extra, ()))]
        queue.extend(todo)
    return {name: _either(markers) for name, markers in incoming.items()}


_EXTRA = re.compile(r"""\bextra\s*==\s*(["'])([^"']*)\1""")
_TRUE = 'python_version >= "0"'  # PEP 508 has no literal True


def _activated(edge: PoetryEdge, extra: str) -> PoetryEdge:
    """The edge of an extra being installed: its ``extra == "name"`` holds (a marker read without an
    extra would rule the package out), whatever else the marker asks (a platform) still applies."""
    if not edge.marker or "extra" not in edge.marker:
        return edge
    marker = _EXTRA.sub(lambda m: _TRUE if canonicalize_name(m[2]) == extra else m[0], edge.marker)
    return PoetryEdge(edge.name, None if marker == _TRUE else marker, edge.extras, edge.optional)


def _either(markers: list[str | None]) -> str | None:
    present = [m for m in dict.fromkeys(markers) if m]
    return " or ".join(f"({m})" for m in present) if all(markers) else None
