"""The target environment markers are evaluated for: CPython X.Y.Z on Linux x86_64 (glibc)."""

from __future__ import annotations

import re

from packaging.markers import InvalidMarker, Marker

from dockwright.errors import LockError
from dockwright.project.facts import LockedPackage


def environment(python_version: str) -> dict[str, str]:
    parts = python_version.split(".")
    xy = ".".join(parts[:2])
    full = python_version if len(parts) >= 3 else f"{xy}.0"
    return {
        "implementation_name": "cpython",
        "implementation_version": full,
        "os_name": "posix",
        "platform_machine": "x86_64",
        "platform_python_implementation": "CPython",
        "platform_release": "",
        "platform_system": "Linux",
        "platform_version": "",
        "python_full_version": full,
        "python_version": xy,
        "sys_platform": "linux",
        "extra": "",
    }


def marker_holds(marker: str | None, env: dict[str, str], *, where: str = "") -> bool:
    """True when the PEP 508 marker is empty or true for the target."""
    if not marker or not marker.strip():
        return True
    try:
        return bool(Marker(marker).evaluate(env))
    except InvalidMarker as error:
        raise LockError(f"invalid environment marker {marker!r}: {error}", file=where or None) from error


_UV_CONFLICT = re.compile(r"""\bextra\s*(==|!=)\s*(['"])((?:extra|group)-\d+-[^'"]+)\2""")


def uv_conflict_markers(marker: str | None, active: frozenset[str] = frozenset()) -> str | None:
    """``marker`` with uv's conflict clauses decided: uv writes an extra or group of the project that
    conflicts with another as ``extra == 'extra-N-PROJECT-NAME'`` (``group-N-...`` for a group; N: the
    project name's length), true only while that extra is installed, so several can hold at once, which
    one ``extra`` value cannot say. Each clause becomes ``os_name == 'posix'`` (true on the target) when
    its name is in ``active`` (see :func:`uv_conflict_name`), else its negation."""
    if not marker or "extra" not in marker:
        return marker

    def decide(match: re.Match[str]) -> str:
        holds = (match[3] in active) == (match[1] == "==")
        return "os_name == 'posix'" if holds else "os_name != 'posix'"

    return _UV_CONFLICT.sub(decide, marker)


def uv_conflict_name(project: str, name: str, kind: str = "extra") -> str:
    """uv's marker name of the project's extra (``kind`` "extra") or group (``kind`` "group")."""
    return f"{kind}-{len(project)}-{project}-{name}"


def installs_on_target(pkg: LockedPackage, python_version: str) -> bool:
    """False when the lock's marker for ``pkg`` rules it out on the target (a Windows-only dependency)."""
    try:
        return marker_holds(pkg.markers, environment(python_version))
    except LockError:
        return True  # an unreadable marker: keep the package (conversion reports the marker itself)
