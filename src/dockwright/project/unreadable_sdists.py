"""A package an existing uv.lock locks only as a source distribution uv no longer reads.

What it does: uv 0.12 dropped ``.tar.bz2``, ``.tar.xz`` and plain ``.tar`` sdists (PEP 625 names
``.tar.gz``; ``.zip`` is still read). dockwright's own locks stop on such a package when uv resolves them
(lock/compile.py ``unreadable_sdist``); a uv.lock the repository keeps was resolved by an older uv and
is installed as it is, so the first to meet the file would be the image's build, deep in its install
step. :func:`refusal` gives the one line that stops the plan instead: the package, the file, what
requires it and the way out (its wheel built once and kept beside the project with ``find-links``, then
``uv lock`` again, or a release of the package that requires it that does not).

Source: uv's release notes for 0.12 (source distributions must follow PEP 625's file name) and uv issues
#16911 and #19883, as read by lock/compile.py.
"""

from __future__ import annotations

from typing import Any

from packaging.utils import canonicalize_name

from dockwright.project.facts import LockedPackage

# archive formats uv no longer reads (lower-case file name endings)
UNREADABLE = (".tar.bz2", ".tar.xz", ".tar")


def refusal(data: dict[str, Any], locked: list[LockedPackage]) -> str | None:
    """One line for the first package of ``locked`` (those the image installs) whose only files are
    sdists in a format of :data:`UNREADABLE` and no wheel for the target; None when there is none."""
    for package in locked:
        if package.source not in ("pypi", "url") or package.has_wheel_for_target:
            continue
        sdists = [f for f in package.files if not f.lower().endswith(".whl")]
        if not sdists or not all(f.lower().endswith(UNREADABLE) for f in sdists):
            continue
        parent = _requirer(data, package.name)
        by = f" (required by {parent})" if parent else ""
        other = f", or pin a release of {parent} that does not require it" if parent else ""
        return (
            f"it locks {package.name} {package.version}{by} only as {sdists[0]}, a source distribution "
            "in an archive format uv no longer reads (.tar.bz2, .tar.xz or .tar: uv reads .tar.gz and .zip, "
            "PEP 625), and the image installs the lock with uv: build its wheel once (`pip wheel --no-deps "
            f"{package.name}=={package.version} -w wheels`), keep wheels/ in the project with "
            '`find-links = ["wheels"]` under [tool.uv] and run `uv lock` again'
            f"{other}; nothing was written"
        )
    return None


def _requirer(data: dict[str, Any], name: str) -> str | None:
    """The first locked package (not the project's own entry) that depends on ``name``."""
    fallback = None
    for pkg in data.get("package", []):
        if not isinstance(pkg, dict):
            continue
        deps = pkg.get("dependencies") or []
        if any(isinstance(d, dict) and canonicalize_name(str(d.get("name", ""))) == name for d in deps):
            source = pkg.get("source") or {}
            own = isinstance(source, dict) and ("virtual" in source or "editable" in source)
            if not own:
                return canonicalize_name(str(pkg.get("name", "")))
            fallback = fallback or canonicalize_name(str(pkg.get("name", "")))
    return fallback
