"""Pins whose lock lists no files get their file list and ``Requires-Python`` from the package index.

A requirements file (``==`` pins, with or without ``--hash``) and ``Pipfile.lock`` name each
distribution only by version and hash, so nothing in the project says that ``greenlet==3.0.3`` has
wheels up to cp312 only. The Python chooser (:mod:`dockwright.project.python_choice`) needs that to
pick a minor the pins install on; the index's simple API lists every file of a release with its
``Requires-Python``. The lookup itself (HTTP) lives above the project layer and is handed in as a
:data:`PinIndex` (``dockwright.plan.wheels.pin_index``); without one (``index-lookup = false``) the
pins stay unknown, as before. A lookup that fails is one note, never an error: the choice falls back
to what the project's own files say.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from dockwright.errors import DockwrightError
from dockwright.project.facts import Dependencies, LockedPackage, PackageIndex
from dockwright.project.wheels import wheel_for_target


@dataclass(frozen=True)
class PinFiles:
    """What the index lists for one pinned release: its file names and ``Requires-Python``."""

    files: tuple[str, ...]
    requires_python: str | None


PinIndex = Callable[[tuple[LockedPackage, ...], str | None], dict[tuple[str, str], PinFiles]]
"""(pins, the project's own default index URL or None) -> what the index lists per (name, version);
a pin the index does not know is left out; raises DockwrightError when the index cannot be read."""


def needs_index(package: LockedPackage) -> bool:
    """A registry package the lock pins by version without listing its files."""
    return package.source == "pypi" and not package.files and bool(package.version)


def project_index(indexes: tuple[PackageIndex, ...]) -> tuple[bool, str | None]:
    """(may the index be asked, the project's default index URL): an index that replaces PyPI and
    needs credentials is not asked (its secrets are the build's), PyPI is not asked in its place."""
    default = next((i for i in indexes if i.role == "default"), None)
    if default is None:
        return True, None
    if default.login or default.password or not default.url.startswith(("http://", "https://")):
        return False, None
    return True, default.url


def with_index_files(
    deps: Dependencies,
    python: str,
    lookup: PinIndex | None,
    indexes: tuple[PackageIndex, ...],
    notes: list[str],
) -> Dependencies:
    """``deps`` whose file-less pins carry the index's files, ``Requires-Python`` and, for ``python``,
    ``has_wheel_for_target``; a failed lookup adds one note to ``notes`` and changes nothing."""
    asked = tuple(p for p in deps.locked if needs_index(p))
    allowed, own_index = project_index(indexes)
    if lookup is None or not asked or not allowed:
        return deps
    try:
        found = lookup(asked, own_index)
    except DockwrightError as error:
        note = f"the Python was chosen without the index's file lists of the pins: {error.message}"
        if note not in notes:
            notes.append(note)
        return deps
    minor = ".".join(python.split(".")[:2])
    locked = []
    for package in deps.locked:
        listed = found.get((package.name, package.version)) if needs_index(package) else None
        if listed is None or not listed.files:
            locked.append(package)
            continue
        locked.append(
            replace(
                package,
                files=listed.files,
                requires_python=package.requires_python or listed.requires_python,
                has_wheel_for_target=_wheel_verdict(listed.files, minor),
            )
        )
    return replace(deps, locked=tuple(locked))


def _wheel_verdict(files: tuple[str, ...], minor: str) -> bool | None:
    """True: a wheel fits; False: the release ships binary wheels, none for ``minor`` (it compiles);
    None: only an sdist or pure wheels for other Pythons (``flask-mail``, ``langdetect``' py2 wheel),
    which build without a compiler as a rule: the native table decides, as without the index."""
    if wheel_for_target(files, minor):
        return True
    binary = any(f.endswith(".whl") and not f.endswith("-none-any.whl") for f in files)
    return False if binary else None
