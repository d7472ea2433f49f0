"""The target environment markers are evaluated for: CPython X.Y.Z on Linux x86_64 (glibc)."""

from __future__ import annotations

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


def installs_on_target(pkg: LockedPackage, python_version: str) -> bool:
    """False when the lock's marker for ``pkg`` rules it out on the target (a Windows-only dependency)."""
    try:
        return marker_holds(pkg.markers, environment(python_version))
    except LockError:
        return True  # an unreadable marker: keep the package (conversion reports the marker itself)
