"""Native needs: which dependencies compile here and which Debian packages they need.

The knowledge is ``data/native.toml`` (every row names its source). For each dependency found in
the table, ``compiles`` is decided from, in order: the lock (``has_wheel_for_target``: a wheel for the
target CPython on manylinux x86_64 exists or not), else the table's ``sdist_only`` fact, else False
(a wheel is assumed only when the table does not say otherwise — the name alone never makes it compile).

The :class:`~dockwright.project.facts.NativeNeed` values are the decision, ready for the planner:

- ``build_apt`` is the row's build packages plus the C toolchain when ``compiles``, else empty;
- ``run_apt`` is the row's run packages when ``compiles`` (the library is linked) or when the row is
  ``dlopen`` (loaded at run time even from a pure wheel), else empty — manylinux wheels vendor their
  shared libraries.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import lru_cache

from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import canonicalize_name

from dockwright.errors import LockError
from dockwright.project.facts import Dependencies, Evidence, LockedPackage, NativeNeed
from dockwright.project.pinned_lines import read_pins
from dockwright.project.python_version import debian_suites
from dockwright.project.target import environment, installs_on_target, marker_holds
from dockwright.project.tree import data_table


@dataclass(frozen=True)
class NativeRow:
    name: str
    build_apt: tuple[str, ...]
    run_apt: tuple[str, ...]
    sdist_only: bool
    dlopen: bool
    source: str
    lean: str = ""  # a distribution with the same import that needs none of run_apt (opencv's -headless)


@dataclass(frozen=True)
class ModuleRow:
    """A module of a distribution that loads system libraries only when the project uses it."""

    module: str  # dotted import name: "django.contrib.gis"
    package: str  # canonical name of the distribution that ships it
    run_apt: tuple[str, ...]
    source: str


@dataclass(frozen=True)
class LibraryRow:
    """The Debian package that ships a shared library, by the name programs ask the loader for."""

    apt: str
    sonames: tuple[str, ...]  # "libGL.so.1"
    source: str


@dataclass(frozen=True)
class NativeTable:
    rows: dict[str, NativeRow]
    toolchain: tuple[str, ...]
    toolchain_source: str
    modules: tuple[ModuleRow, ...] = ()
    libraries: tuple[LibraryRow, ...] = ()

    def apt_for(self, soname: str) -> LibraryRow | None:
        """The row of the Debian package that ships ``soname``, when the table knows it."""
        return next((row for row in self.libraries if soname in row.sonames), None)


@lru_cache(maxsize=1)
def native_table() -> NativeTable:
    data = data_table("native.toml")
    rows: dict[str, NativeRow] = {}
    for row in data["package"]:
        name = canonicalize_name(str(row["name"]))
        rows[name] = NativeRow(
            name=name,
            build_apt=tuple(row.get("build_apt", [])),
            run_apt=tuple(row.get("run_apt", [])),
            sdist_only=bool(row.get("sdist_only", False)),
            dlopen=bool(row.get("dlopen", False)),
            source=str(row["source"]),
            lean=str(row.get("lean", "")),
        )
    toolchain = data["toolchain"]
    modules = tuple(
        ModuleRow(
            str(row["module"]),
            canonicalize_name(str(row["package"])),
            tuple(row.get("run_apt", [])),
            str(row["source"]),
        )
        for row in data.get("module", [])
    )
    libraries = tuple(
        LibraryRow(str(row["apt"]), tuple(str(n) for n in row["sonames"]), str(row["source"]))
        for row in data.get("library", [])
    )
    return NativeTable(rows, tuple(toolchain["c"]), str(toolchain["source"]), modules, libraries)


def all_apt_packages() -> set[str]:
    """Every Debian package the generator may install (for the sandbox's local mirror)."""
    table = native_table()
    names = set(table.toolchain)
    for row in table.rows.values():
        names.update(row.build_apt)
        names.update(row.run_apt)
    for module in table.modules:
        names.update(module.run_apt)
    return names


def _need(row: NativeRow, compiles: bool, evidence: tuple[Evidence, ...]) -> NativeNeed:
    table = native_table()
    build = tuple(dict.fromkeys((*table.toolchain, *row.build_apt))) if compiles else ()
    run = row.run_apt if (compiles or row.dlopen) else ()
    return NativeNeed(row.name, build, run, compiles, row.source, evidence)


def detect_native(deps: Dependencies, python: str) -> tuple[NativeNeed, ...]:
    """Native needs of the locked (else declared) dependencies, in table order of names."""
    table = native_table()
    needs: dict[str, NativeNeed] = {}
    where = deps.lock_file or deps.hashed_requirements or (deps.input_files[0] if deps.input_files else "")
    for pkg in deps.locked:
        row = table.rows.get(pkg.name)
        if row is None or not installs_on_target(pkg, python):
            continue
        if pkg.has_wheel_for_target is not None:
            compiles = not pkg.has_wheel_for_target
            why = (
                f"{pkg.name} {pkg.version}: the lock lists "
                + ("a" if pkg.has_wheel_for_target else "no")
                + f" wheel for CPython {python} manylinux x86_64"
            )
        else:
            compiles = row.sdist_only
            why = f"{pkg.name} {pkg.version}: " + (
                "no wheels on PyPI (native table: sdist_only)" if row.sdist_only else "wheels assumed (table)"
            )
        needs[pkg.name] = _need(
            row, compiles, (Evidence(where, None, why), Evidence("native table", None, row.source))
        )
    # Without a complete lock (a requirements file that pins some lines), every declared requirement,
    # including those of nested ``-r`` includes, is installed: decide for those not pinned as well.
    complete = bool(deps.lock_file or deps.hashed_requirements)
    if complete and deps.locked:
        return tuple(needs[n] for n in sorted(needs))
    locked_names = {pkg.name for pkg in deps.locked}
    env = environment(python)
    for text in deps.declared:
        name: str
        marker: str | None = None
        try:
            requirement = Requirement(text)
            name = canonicalize_name(requirement.name)
            marker = str(requirement.marker) if requirement.marker else None
        except InvalidRequirement:
            name = canonicalize_name(text.split()[0]) if text.split() else ""
        row = table.rows.get(name)
        if row is None or name in needs or name in locked_names:
            continue
        try:
            if not marker_holds(marker, env):
                continue
        except LockError:
            pass  # an unreadable marker: keep the requirement
        why = f"{name} declared, not locked: " + (
            "sdist_only in table" if row.sdist_only else "wheels assumed"
        )
        needs[name] = _need(
            row, row.sdist_only, (Evidence(where, None, why), Evidence("native table", None, row.source))
        )
    return tuple(needs[n] for n in sorted(needs))


def lean_notes(needs: tuple[NativeNeed, ...], installed: frozenset[str] = frozenset()) -> list[str]:
    """A note per need whose row names a leaner distribution with the same import (a server that
    installs opencv-python gets GUI libraries it never opens a window with). ``installed``: canonical
    names the project installs; when the lean one is among them, the other came in beside it (another
    package requires it) and both write the same module."""
    rows = native_table().rows
    notes: list[str] = []
    for n in needs:
        lean = rows[n.package].lean if n.package in rows else ""
        if not lean or not n.run_apt:
            continue
        if canonicalize_name(lean) in installed:
            notes.append(
                f"{n.package} is installed beside {lean} (another dependency requires it, likely): both "
                f"write the same module, so the image gets {' '.join(n.run_apt)} for {n.package}'s "
                f"files, which may be the ones left [{n.source}]"
            )
        else:
            notes.append(
                f"{n.package} needs {' '.join(n.run_apt)} at run time (and what they pull in); "
                f"{lean} provides the same import without them [{n.source}]"
            )
    return notes


def native_needs(deps: Dependencies, python: str, debian: str) -> tuple[NativeNeed, ...]:
    """:func:`detect_native` with each Debian package named as ``debian`` (the suite) names it."""
    suite = debian_suites()[debian]
    return tuple(
        replace(
            need,
            build_apt=tuple(map(suite.apt_name, need.build_apt)),
            run_apt=tuple(map(suite.apt_name, need.run_apt)),
        )
        for need in detect_native(deps, python)
    )


def locked_from_requirements(text: str) -> tuple[LockedPackage, ...]:
    """The ``name==version`` pins (with hashes and markers) of a hash-locked requirements file's text."""
    return tuple(LockedPackage(p.name, p.version, p.hashes, None, "pypi", p.marker) for p in read_pins(text))


def mark_no_wheel(
    locked: tuple[LockedPackage, ...], no_wheel: frozenset[tuple[str, str]]
) -> tuple[LockedPackage, ...]:
    """``locked`` with ``has_wheel_for_target=False`` for the (name, version) pins in ``no_wheel`` (the
    resolver found only an sdist for the target); a pin missing from ``locked`` (a transitive one of a
    requirements project) is added, so the builder's compiler covers it too."""
    if not no_wheel:
        return locked
    marked = tuple(
        replace(p, has_wheel_for_target=False) if (p.name, p.version) in no_wheel else p for p in locked
    )
    present = {(p.name, p.version) for p in locked}
    added = tuple(LockedPackage(name, version, (), False) for name, version in sorted(no_wheel - present))
    return marked + added


def mark_pure(
    locked: tuple[LockedPackage, ...], pure: frozenset[tuple[str, str]]
) -> tuple[LockedPackage, ...]:
    """``locked`` with the pins whose sdist a generated lock's header names pure Python (no wheel, built
    without a compiler) no longer counted as building from source: the table decides, as for a pin of a
    resolved requirements file."""
    if not pure:
        return locked
    return tuple(
        replace(p, has_wheel_for_target=None)
        if (p.name, p.version) in pure and p.has_wheel_for_target is False
        else p
        for p in locked
    )


def native_of_lock(
    deps: Dependencies,
    lock_path: str,
    text: str,
    python: str,
    debian: str,
    no_wheel: frozenset[tuple[str, str]] = frozenset(),
) -> tuple[NativeNeed, ...]:
    """The native needs the final lock (every package it installs, transitive ones and those that came
    through nested ``-r`` includes) decides: what the build installs, not only what the project names."""
    # a lock converted from the project's own (poetry.lock, pdm.lock, uv.lock) holds hashes only: what
    # that lock's file list told of a pin's wheels stands, not the table's assumption of wheels
    known = {(p.name, p.version): p.has_wheel_for_target for p in deps.locked}
    locked = tuple(
        replace(p, has_wheel_for_target=known[(p.name, p.version)])
        if p.has_wheel_for_target is None and known.get((p.name, p.version)) is not None
        else p
        for p in mark_no_wheel(locked_from_requirements(text), no_wheel)
    )
    final = replace(deps, lock_file=lock_path, locked=locked)
    return native_needs(final, python, debian)
