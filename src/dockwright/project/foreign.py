"""C libraries the image cannot get from Debian, and the repository's own builds of C libraries.

The knowledge is ``data/foreign_libs.toml``: distributions (TA-Lib, cx_Oracle, pymqi, pyrfc) whose C
library no Debian suite packages, each row with its source and what the user must provide. A locked
(else declared) dependency in the table is a :class:`~dockwright.project.facts.ForeignLibNeed` when
the library is needed here: always for a ``run_time`` row, else when the package compiles (the lock
lists no wheel for the target, or the pin predates the row's ``wheels_from``, whose wheels bundle it).

The repository often says so itself: its Dockerfile, CI workflow or a script downloads the library
and runs ``./configure && make install``, ``cmake --install`` or ``ldconfig``. Every such line is a
fact (:func:`source_builds`, file and line), and the lines near a row's markers join that row's
evidence; builds no row matches are reported by the planner as a warning of their own.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version

from dockwright.errors import ProjectError
from dockwright.lazy_re import lazy
from dockwright.project.facts import Dependencies, Evidence, ForeignLibNeed
from dockwright.project.target import installs_on_target
from dockwright.project.tree import ProjectTree, data_table

# A line that installs a C library built from source (or refreshes the loader cache after one).
INSTALL_LINE = lazy(
    r"(?:^|[\s;&|(])(?:\./configure\b|make\s+(?:-\S+\s+)*install\b|cmake\s+--install\b"
    r"|ninja\s+install\b|ldconfig\b)"
)
# A line that downloads a source archive (kept as evidence next to a build in the same file).
DOWNLOAD_LINE = lazy(r"\b(?:wget|curl|ADD)\b.*\.(?:tar\.gz|tgz|tar\.xz|tar\.bz2|zip)\b")
NEAR = 6  # lines around an install line searched for a library's markers
MAX_DEPTH = 3
SKIP_DIRS = frozenset({"node_modules", ".git", "__pycache__", "site-packages", ".venv", "venv", ".tox"})
CI_DIRS = frozenset({".github", ".circleci", ".gitlab"})
CI_FILES = frozenset({".gitlab-ci.yml", ".travis.yml", "azure-pipelines.yml", "bitbucket-pipelines.yml"})

_INSTALL_TARGET = lazy(r"^install\s*:(?![=:])", re.M)  # a Makefile's `install:` rule (not `install := x`)


@dataclass(frozen=True)
class ForeignRow:
    name: str
    library: str
    markers: tuple[str, ...]
    provide: str
    wheels_from: Version | None
    run_time: bool
    source: str


@lru_cache(maxsize=1)
def foreign_table() -> tuple[dict[str, ForeignRow], str]:
    """The rows by canonical name, and the table's Debian check statement."""
    data = data_table("foreign_libs.toml")
    rows: dict[str, ForeignRow] = {}
    for row in data["package"]:
        name = canonicalize_name(str(row["name"]))
        rows[name] = ForeignRow(
            name=name,
            library=str(row["library"]),
            markers=tuple(str(m).lower() for m in row["markers"]),
            provide=str(row["provide"]),
            wheels_from=Version(str(row["wheels_from"])) if "wheels_from" in row else None,
            run_time=bool(row.get("run_time", False)),
            source=str(row["source"]),
        )
    return rows, str(data["debian_checked"])


def _build_files(tree: ProjectTree) -> Iterator[str]:
    """Dockerfiles, CI definitions and shell scripts, a few levels deep."""

    def walk(rel: str, depth: int, in_ci: bool) -> Iterator[str]:
        for name in sorted(tree.listdir(rel)):
            child = name if rel == "." else f"{rel}/{name}"
            if tree.is_dir(child):
                hidden = name.startswith(".") and name not in CI_DIRS
                if depth < MAX_DEPTH and name not in SKIP_DIRS and not hidden:
                    yield from walk(child, depth + 1, in_ci or name in CI_DIRS)
            elif tree.is_file(child) and _is_build_file(name, in_ci):
                yield child

    yield from walk(".", 0, False)


def _is_build_file(name: str, in_ci: bool) -> bool:
    lower = name.lower()
    return (
        lower.startswith(("dockerfile", "containerfile"))
        or lower.endswith((".dockerfile", ".sh"))
        or name in CI_FILES
        or (in_ci and lower.endswith((".yml", ".yaml")))
    )


# `make install` alone on a line (no ./configure, cd or -C before it): the target of the Makefile in
# the working directory
_BARE_MAKE_INSTALL = lazy(r"^(?:-\s+run:\s*|run:\s*|RUN\s+)?make\s+install\s*$")


def _own_install_target(tree: ProjectTree) -> bool:
    """The repository's top-level Makefile has an ``install:`` target (``poetry install``, ``uv sync``):
    a script's bare ``make install`` runs that target, not a C library's build."""
    try:
        text = tree.read_text("Makefile") if tree.is_file("Makefile") else ""
    except ProjectError:
        return False
    return bool(_INSTALL_TARGET.search(text))


def source_builds(tree: ProjectTree) -> tuple[Evidence, ...]:
    """Every line of the repository's build files that installs a C library built from source, with
    the archive downloads of the same files (detail = the stripped line). A bare ``make install`` in a
    script or CI file of a repository whose own Makefile has an ``install`` target is that target."""
    found: list[Evidence] = []
    own_install = _own_install_target(tree)
    for rel in _build_files(tree):
        try:
            lines = tree.read_text(rel).splitlines()
        except ProjectError:  # too large, not text: not a build script to read
            continue
        if own_install and not rel.rsplit("/", 1)[-1].lower().startswith(("dockerfile", "containerfile")):
            lines = ["" if _BARE_MAKE_INSTALL.match(line.strip()) else line for line in lines]
        if not any(INSTALL_LINE.search(line) for line in lines):
            continue
        for number, line in enumerate(lines, 1):
            if INSTALL_LINE.search(line) or DOWNLOAD_LINE.search(line):
                found.append(Evidence(rel, number, line.strip()[:160]))
    return tuple(found)


def _mentions(tree: ProjectTree, build: Evidence, markers: tuple[str, ...]) -> bool:
    """The build line, or a line near it in its file, names one of the library's markers."""
    try:
        lines = tree.read_text(build.file).splitlines()
    except ProjectError:  # too large, not text: not a build script to read
        return False
    line = build.line or 1
    window = "\n".join(lines[max(0, line - 1 - NEAR) : line + NEAR]).lower()
    return any(marker in window for marker in markers)


def matches(tree: ProjectTree, builds: tuple[Evidence, ...], row: ForeignRow) -> tuple[Evidence, ...]:
    return tuple(b for b in builds if _mentions(tree, b, row.markers))


def _needed(row: ForeignRow, version: str, has_wheel: bool | None) -> tuple[bool, str]:
    """Whether the library is needed in the image, and why."""
    if row.run_time:
        return True, "loaded at run time, even from a wheel"
    if has_wheel is not None:
        if has_wheel:
            return False, "the lock lists a wheel for the target (it bundles the library)"
        return True, "the lock lists no wheel for the target: it compiles against the library"
    if row.wheels_from is not None:
        try:
            if Version(version) >= row.wheels_from:
                return False, f"{version} >= {row.wheels_from}, whose wheels bundle the library"
        except InvalidVersion:
            pass
        return True, f"pins before {row.wheels_from} ship no Linux wheel: it compiles against the library"
    return True, "PyPI ships no Linux wheel: it compiles against the library"


def detect_foreign(
    tree: ProjectTree, deps: Dependencies, python: str, builds: tuple[Evidence, ...]
) -> tuple[ForeignLibNeed, ...]:
    """The locked dependencies, and the declared ones nothing locks, whose C library Debian does not
    package, in name order."""
    rows, debian = foreign_table()
    where = deps.lock_file or deps.hashed_requirements or (deps.input_files[0] if deps.input_files else "")
    pins: dict[str, tuple[str, bool | None]] = {}
    for pkg in deps.locked:
        if pkg.name in rows and installs_on_target(pkg, python):
            pins[pkg.name] = (pkg.version, pkg.has_wheel_for_target)
    locked = {pkg.name for pkg in deps.locked}
    for text in deps.declared:  # a requirements file pins some lines and leaves others open
        try:
            declared: str = canonicalize_name(Requirement(text).name)
        except InvalidRequirement:
            continue
        if declared in rows and declared not in locked:
            pins.setdefault(declared, ("", None))
    needs: list[ForeignLibNeed] = []
    for name in sorted(pins):
        row = rows[name]
        version, has_wheel = pins[name]
        needed, why = _needed(row, version, has_wheel)
        if not needed:
            continue
        evidence = (
            Evidence(where, None, f"{name} {version or '(declared)'}: {why}".replace("  ", " ")),
            Evidence("foreign library table", None, f"{row.library}: {debian}; {row.source}"),
            *matches(tree, builds, row),
        )
        needs.append(ForeignLibNeed(name, row.library, row.provide, row.source, evidence))
    return tuple(needs)
