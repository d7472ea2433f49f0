"""Which CPython minor the image runs, when the project leaves a choice.

A minor from ``data/cpython.toml`` is *allowed* when (a) the project's own request allows it
(``requires-python``, Poetry's ``python``; nothing asked allows every minor), (b) every locked
dependency's ``Requires-Python`` (``python-versions`` in poetry.lock, ``requires_python`` in pdm.lock)
allows it, and (c) its grammar parses all of the app's source (:mod:`dockwright.project.syntax`).
Among the allowed minors, one for which every locked dependency that ships binary wheels has a wheel
is preferred (else the builder compiles what has none, and the reason says so). The table's default
wins when it is allowed and has the wheels; otherwise the newest such minor does, and the evidence
names the constraint that ruled the default out. A request for an exact version or minor
(``--python``, ``.python-version``, ``runtime.txt``, ``Pipfile``) is never overridden: a conflict is
only stated in the evidence.

Offline (the index lookup off) the chooser cannot see the pins' wheels of a lock dockwright generates,
so it would pick the range's newest minor and replace a lock chosen well online. When the project asks
for a range and an existing generated lock's header names a target Python (its ``target:`` line,
:class:`LockTarget`) whose minor is allowed, that minor is kept, with the header line as evidence.

The locked packages' file names and Requires-Python come from the lock (uv, Poetry, PDM) or, for pins
whose lock lists no files (requirements, ``Pipfile.lock``), from the package index
(:mod:`dockwright.project.index_pins`). When the project states a Python (any request) and a pin does
not fit the version built, :func:`pin_conflicts` words a warning naming the pin, where it is pinned and
the minors it fits; the version stays the project's.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.version import Version

from dockwright.errors import ProjectError
from dockwright.project.facts import Dependencies, Evidence, Fact, LockedPackage, PythonFacts
from dockwright.project.python_version import poetry_to_pep440, release_table
from dockwright.project.syntax import SyntaxFloor
from dockwright.project.target import installs_on_target
from dockwright.project.wheels import linux_binary_wheel, wheel_for_target

_PINNED_SOURCES = ("command line", ".python-version", "runtime.txt", "Pipfile")


def _key(minor: str) -> tuple[int, int]:
    a, b = minor.split(".")
    return int(a), int(b)


def _xy(version: str) -> str:
    return ".".join(version.split(".")[:2])


def _request_test(py: PythonFacts) -> Callable[[str], bool] | None:
    """A test of a concrete version against the project's request; None when the request pins one."""
    request = py.requested.value
    if not request:
        return lambda _version: True
    evidence = py.requested.evidence[0] if py.requested.evidence else None
    if evidence is None or evidence.file in _PINNED_SOURCES:
        return None
    try:
        poetry = "[tool.poetry" in evidence.detail
        specs = poetry_to_pep440(request) if poetry else [SpecifierSet(request)]
    except (InvalidSpecifier, ProjectError):
        return None
    return lambda version: any(Version(version) in s for s in specs)


def _requires_python_failures(locked: tuple[LockedPackage, ...], version: str) -> list[str]:
    out = []
    for pkg in locked:
        if not pkg.requires_python or not installs_on_target(pkg, version):
            continue  # a backport whose marker leaves this Python out is not installed there
        try:
            allowed = Version(version) in SpecifierSet(pkg.requires_python)
        except InvalidSpecifier:
            continue
        if not allowed:
            out.append(f"{pkg.name} {pkg.version} requires Python {pkg.requires_python}")
    return out


def _binary(pkg: LockedPackage) -> bool:
    """Ships binary wheels for Linux: with wheels for other platforms only, every minor compiles."""
    return any(linux_binary_wheel(f) for f in pkg.files)


def _compiles(pkg: LockedPackage, patch: str) -> bool:
    """Installed on the target (markers evaluated), ships binary wheels, none for it."""
    return _binary(pkg) and installs_on_target(pkg, patch) and not wheel_for_target(pkg.files, _xy(patch))


def no_wheel_for(pkg: LockedPackage, patch: str) -> bool:
    """``pkg`` installs on Python ``patch`` and ships binary wheels, none for it (it would compile)."""
    return _compiles(pkg, patch)


def newest_wheel_minor(pkg: LockedPackage) -> str | None:
    """The newest minor of ``data/cpython.toml`` ``pkg`` installs on without compiling, else None."""
    supported = _supported_minors(pkg)
    return supported[-1] if supported else None


def _missing_wheels(locked: tuple[LockedPackage, ...], patch: str) -> list[str]:
    return [f"{pkg.name} {pkg.version}" for pkg in locked if _compiles(pkg, patch)]


@dataclass(frozen=True)
class _Check:
    minor: str
    request_ok: bool
    deps_failing: list[str]
    syntax_ok: bool
    no_wheel: list[str]

    @property
    def allowed(self) -> bool:
        return self.request_ok and not self.deps_failing and self.syntax_ok


@dataclass(frozen=True)
class LockTarget:
    """The Python an existing generated lock was resolved for: its header's ``target:`` version and
    the header line (``evidence``: the lock's path and line)."""

    python: str  # X.Y.Z
    evidence: Evidence


def choose_python(
    py: PythonFacts, deps: Dependencies, floor: SyntaxFloor, lock_target: LockTarget | None = None
) -> PythonFacts:
    """Apply the module docstring's rule; returns ``py`` unchanged when the choice stands.
    ``lock_target`` (offline only): the generated lock's Python, kept when the project's range and
    everything else allow it."""
    table = release_table()
    wheel_source = _pins_file(deps)
    test = _request_test(py)
    current = _xy(py.version.value)
    if test is None:
        if floor.minimum and _key(current) < _key(floor.minimum):
            note = Evidence(
                "source",
                None,
                f"warning: {floor.reason}, but Python {current} is requested explicitly (kept)",
            )
            return replace(py, version=Fact(py.version.value, (*py.version.evidence, note)))
        return py
    checks = []
    for minor in sorted(table.latest, key=_key, reverse=True):
        patch = table.latest[minor]
        checks.append(
            _Check(
                minor,
                test(patch),
                _requires_python_failures(deps.locked, patch),
                floor.minimum is None or _key(minor) >= _key(floor.minimum),
                _missing_wheels(deps.locked, patch),
            )
        )
    by_minor = {c.minor: c for c in checks}
    default = by_minor.get(table.default)
    allowed = [c for c in checks if c.allowed]
    if not allowed:
        return py  # nothing satisfies everything: the lock or the parse reports the conflict
    held = by_minor.get(_xy(lock_target.python)) if lock_target is not None else None
    if lock_target is not None and held is not None and held.allowed and py.requested.value:
        return replace(py, version=Fact(table.latest[held.minor], (_kept(py, held.minor, lock_target),)))
    with_wheels = [c for c in allowed if not c.no_wheel]
    if default is not None and default.allowed and not default.no_wheel and default.minor == current:
        return py  # the default stands (the request's own evidence already says why)
    if default is not None and default in with_wheels:
        pick = default
    elif with_wheels:
        pick = with_wheels[0]
    else:  # every allowed minor compiles something: the fewest, the default on a tie, else the newest
        fewest = min(len(c.no_wheel) for c in allowed)
        best = [c for c in allowed if len(c.no_wheel) == fewest]
        pick = default if default in best else best[0]
    ruled_out = _why_not(default, wheel_source, floor) if default is not None and pick is not default else ""
    decided = []
    if py.requested.value:
        decided.append(f"{py.requested.value!r} allows")
    if deps.locked and any(p.requires_python for p in deps.locked):
        decided.append("every locked dependency's Requires-Python allows")
    # Requires-Python that rules out other minors the request allows (say which, not only "allows")
    excluding = sorted({f for c in checks if c.request_ok for f in c.deps_failing if f not in ruled_out})
    if excluding:
        decided.append(f"other minors are ruled out: {', '.join(excluding[:3])} ({wheel_source})")
    if floor.minimum and not ruled_out.endswith(floor.reason):
        decided.append(floor.reason)
    if pick.no_wheel:
        decided.append(
            f"the fewest locked dependencies without a wheel ({', '.join(pick.no_wheel[:5])}, "
            f"{wheel_source}): the builder compiles them"
        )
    elif any(c.no_wheel for c in allowed):
        decided.append(f"every locked binary dependency has a wheel for {pick.minor} ({wheel_source})")
    patch = table.latest[pick.minor]
    lead = f"{ruled_out}; " if ruled_out else ""
    which = "the default" if pick is default else "the newest minor"
    detail = f"{lead}Python {pick.minor} → {patch}, {which} that " + (
        "; ".join(decided) if decided else "everything allows"
    )
    evidence = Evidence(py.requested.evidence[0].file if py.requested.evidence else "default", None, detail)
    return replace(py, version=Fact(patch, (evidence,)))


def _kept(py: PythonFacts, minor: str, target: LockTarget) -> Evidence:
    """The evidence of a Python kept from the generated lock's header: that line, and why it holds."""
    patch = release_table().latest[minor]
    detail = (
        f"target: CPython {target.python}: Python {minor} → {patch}, the Python the generated lock was "
        f"resolved for, which {py.requested.value!r} allows; kept, the index lookup being off (the "
        "pins' wheels that chose it cannot be read)"
    )
    return replace(target.evidence, detail=detail)


def _pins_file(deps: Dependencies) -> str:
    """The file that pins the locked set (the lock, else the hash-locked or first requirements file)."""
    return deps.lock_file or deps.hashed_requirements or next(iter(deps.input_files), "the lock")


def _supported_minors(pkg: LockedPackage) -> list[str]:
    """The table's minors ``pkg`` installs on without compiling: its Requires-Python allows them and,
    when it ships binary wheels, one of them is for that minor."""
    table = release_table()
    return [
        minor
        for minor in sorted(table.latest, key=_key)
        if not _requires_python_failures((pkg,), table.latest[minor])
        and not (_binary(pkg) and not wheel_for_target(pkg.files, minor))
    ]


def _spans(minors: list[str]) -> str:
    """``3.8-3.12, 3.14`` for consecutive runs of the table's minors."""
    order = sorted(release_table().latest, key=_key)
    runs: list[list[str]] = []
    for minor in minors:
        if runs and order.index(minor) == order.index(runs[-1][-1]) + 1:
            runs[-1].append(minor)
        else:
            runs.append([minor])
    return ", ".join(r[0] if len(r) == 1 else f"{r[0]}-{r[-1]}" for r in runs)


def pin_conflicts(py: PythonFacts, deps: Dependencies, where: Callable[[str], str]) -> list[str]:
    """Warnings for the pins that cannot install from a wheel on a Python the project states itself
    (``requested``): each names the package, its version, the minors it supports and where it is
    pinned (``where(name)``: ``file:line``). Nothing when the project leaves the choice to dockwright."""
    if not py.requested.value:
        return []
    version = py.version.value
    minor = _xy(version)
    stated = py.requested.evidence[0] if py.requested.evidence else None
    asked = f"{stated.file}{f':{stated.line}' if stated.line else ''}" if stated else "the request"
    out = []
    for pkg in deps.locked:
        if not installs_on_target(pkg, version):
            continue
        why = ""
        if _requires_python_failures((pkg,), version):
            why = f"its Requires-Python is {pkg.requires_python}"
        elif _compiles(pkg, version):
            why = f"it has no wheel for {minor} and its sdist must compile (and may not build)"
        if not why:
            continue
        supported = _supported_minors(pkg)
        if not supported:
            fits = "no minor dockwright knows has wheels for it"
        elif _binary(pkg):
            fits = f"it has wheels for Python {_spans(supported)}"
        else:
            fits = f"its Requires-Python allows Python {_spans(supported)}"
        note = (
            f"{pkg.name} {pkg.version} ({where(pkg.name)}) does not fit Python {minor} ({asked} asks for "
            f"{py.requested.value!r}, kept): {why}; {fits}"
        )
        if note not in out:  # a version locked once per source (registry, a wheel URL) is said once
            out.append(note)
    return out


def _why_not(check: _Check, wheel_source: str, floor: SyntaxFloor) -> str:
    if not check.request_ok:
        return f"the default {check.minor} is outside the project's request"
    if check.deps_failing:
        return f"the default {check.minor} is ruled out: {', '.join(check.deps_failing[:3])} ({wheel_source})"
    if not check.syntax_ok:
        return f"the default {check.minor} is ruled out by the source: {floor.reason}"
    if check.no_wheel:
        return f"the default {check.minor} has no wheels for {', '.join(check.no_wheel[:3])} ({wheel_source})"
    return ""
