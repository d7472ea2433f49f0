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

from dockwright.errors import LockError
from dockwright.project.target import environment, marker_holds, uv_conflict_markers, uv_conflict_name

_EDGE_TABLES = ("dependencies", "optional-dependencies", "dev-dependencies")


def _is_root(pkg: dict[str, Any], project_name: str | None, member: bool = False) -> bool:
    """The project's own entry (``member``: only the workspace member ``project_name``'s, never the
    workspace root's ``.``, which ``uv sync --package`` does not install)."""
    source = pkg.get("source") or {}
    own = source.get("editable", source.get("virtual"))
    if own == "." and not member:
        return True
    name = canonicalize_name(str(pkg.get("name", "")))
    return bool(project_name) and name == project_name and own is not None


Edge = tuple[str, tuple[str, ...], str | None, str | None, str | None]
"""(canonical name, extras asked, version, source key, marker) of one dependency edge."""


def source_key(source: Any) -> str | None:
    """One string for a lock entry's or an edge's ``source`` table (``registry``, ``git``, ``path`` ...),
    so an edge naming ``{ registry = URL }`` finds that entry among same-name, same-version ones."""
    if not isinstance(source, dict) or not source:
        return None
    return ";".join(f"{k}={source[k]}" for k in sorted(source))


def _edges(items: Iterable[Any]) -> list[Edge]:
    out: list[Edge] = []
    for item in items:
        if isinstance(item, dict) and item.get("name"):
            extras = tuple(canonicalize_name(str(e)) for e in item.get("extra", ()) or ())
            version = str(item["version"]) if item.get("version") is not None else None
            marker = str(item["marker"]) if item.get("marker") else None
            out.append(
                (
                    canonicalize_name(str(item["name"])),
                    extras,
                    version,
                    source_key(item.get("source")),
                    marker,
                )
            )
    return out


def _holds(marker: str | None, env: dict[str, str] | None, active: frozenset[str] = frozenset()) -> bool:
    """An edge that asks for an extra (uv's conflict markers, decided by the ``active`` extras and
    groups) is followed only when it holds on the target; a platform-only marker stays for the
    package's own marker (``_uv_markers``) to tell."""
    if env is None or not marker or "extra" not in marker:
        return True
    try:
        return marker_holds(uv_conflict_markers(marker, active), env)
    except LockError:
        return True  # an unreadable marker: keep the edge (conversion reports the marker itself)


def _matches(pkg: dict[str, Any], version: str | None, source: str | None) -> bool:
    """uv names the version (and source) on an edge when the lock holds the name more than once (one
    per index, per extra or per platform): only that entry is reached."""
    if version is not None and str(pkg.get("version", "")) != version:
        return False
    return source is None or source_key(pkg.get("source")) == source


def root_edges(
    pkg: dict[str, Any], extras: tuple[str, ...] = (), groups: tuple[str, ...] = ()
) -> list[dict[str, Any]]:
    """The project entry's edges ``uv sync`` follows: its dependencies, those of the ``extras``
    (``optional-dependencies``) and of the ``groups`` (``dev-dependencies``)."""
    out = [e for e in pkg.get("dependencies", []) or [] if isinstance(e, dict)]
    for table, names in (("optional-dependencies", extras), ("dev-dependencies", groups)):
        wanted = {canonicalize_name(n) for n in names}
        items = pkg.get(table) or {}
        for key, edges in items.items() if isinstance(items, dict) else ():
            if canonicalize_name(str(key)) in wanted:
                out += [e for e in edges or [] if isinstance(e, dict)]
    return out


def active_names(project: str, extras: tuple[str, ...] = (), groups: tuple[str, ...] = ()) -> frozenset[str]:
    """uv's conflict-marker names of the installed ``extras`` and ``groups`` of ``project``."""
    name = canonicalize_name(project)
    return frozenset(
        {uv_conflict_name(name, canonicalize_name(e)) for e in extras}
        | {uv_conflict_name(name, canonicalize_name(g), "group") for g in groups}
    )


def default_install(
    data: dict[str, Any],
    project_name: str | None,
    python: str | None = None,
    extras: tuple[str, ...] = (),
    groups: tuple[str, ...] = (),
    member: bool = False,
) -> frozenset[int] | None:
    """Positions in ``data["package"]`` of the entries the project's default install reaches (its
    ``dependencies``, then theirs, with the extras each edge asks for), the project itself included;
    None when the lock records no edges for the project (nothing to tell the groups apart by: every
    entry counts). An edge that names a version and source reaches that entry only (a lock holding
    torch from PyPI and from a CPU index for another extra); with ``python``, edges whose marker names
    an extra and is false on the target (CPython ``python`` on Linux x86_64, no extra asked: uv writes
    a conflicting extra as ``extra == 'extra-N-project-name'``) are not followed. ``extras`` and
    ``groups``: the project's own the image installs (uv_selection), reached too. ``member``: the
    project is the workspace member ``project_name`` (``uv sync --package``), the root left out."""
    env = environment(python) if python else None
    packages = [p if isinstance(p, dict) else {} for p in data.get("package", [])]
    roots = [i for i, p in enumerate(packages) if p and _is_root(p, project_name, member)]
    if not roots or not any(t in packages[i] for i in roots for t in _EDGE_TABLES):
        return None
    by_name: dict[str, list[int]] = {}
    for i, pkg in enumerate(packages):
        by_name.setdefault(canonicalize_name(str(pkg.get("name", ""))), []).append(i)
    reached: set[int] = set(roots)
    extras_done: set[tuple[int, str]] = set()
    active = frozenset().union(
        *(active_names(str(packages[i].get("name", "")), extras, groups) for i in roots)
    )
    queue = [
        e for i in roots for e in _edges(root_edges(packages[i], extras, groups)) if _holds(e[4], env, active)
    ]
    while queue:
        name, extras, version, source, _marker = queue.pop()
        for i in by_name.get(name, []):
            pkg = packages[i]
            if not _matches(pkg, version, source):
                continue
            if i not in reached:
                reached.add(i)
                queue.extend(
                    e for e in _edges(pkg.get("dependencies", []) or []) if _holds(e[4], env, active)
                )
            optional = pkg.get("optional-dependencies") or {}
            for extra in extras:
                if (i, extra) in extras_done:
                    continue
                extras_done.add((i, extra))
                extra_env = {**env, "extra": extra} if env is not None else None
                for key, items in optional.items():
                    if canonicalize_name(str(key)) == extra:
                        queue.extend(e for e in _edges(items or []) if _holds(e[4], extra_env, active))
    return frozenset(reached)
