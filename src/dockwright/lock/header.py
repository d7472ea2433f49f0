"""The header of a generated lock: its source file and a digest of what it was resolved from, so
staleness shows.

Two digests: ``sha256=`` is the whole source file's (a requirements file, a manager's lock, code the
backend runs); ``requirements-sha256=`` covers only the requirement lines the lock was resolved from
when they were read statically out of a bigger file (``[project].dependencies`` of a pyproject.toml,
``[build-system].requires``). An edit to ``[tool.ruff]`` or a version bump then leaves the lock fresh;
an edit to a requirement makes it stale.

A requirements file that includes others (``-r base.txt``, ``-c constraints.txt``, nested) is resolved
from them too: each include gets a ``# dockwright-include: <file> sha256=<digest>`` line, so an edit to
``base.txt`` makes the lock stale though ``requirements.txt`` itself is unchanged.

A requirements file resolved together with the ``[project].dependencies`` lines it leaves out
(project/dep_sources.py) records their digest in a ``# dockwright-merged: pyproject.toml
requirements-sha256=<digest>`` line: editing those lines, or a plan that now takes in other lines (or
none), makes the lock stale. A lock whose header names another source than the plan resolves (the
manager changed: ``--manager pep621``) is stale too, never kept.

A lock resolved again with the package's own ranges beside its requirements file (lock/own_ranges.py)
names those lines in a ``# dockwright-ranges: requirements-sha256=<digest> 'alpha>=1' (setup.py:8) ...``
line: when the declaration's lines for those names change (or go), the lock is stale. A lock written
before the digest was added (the line without ``requirements-sha256=``) is judged by the quoted lines
it names, the same lines the digest covers, so it stays readable and keeps its verdict; one whose
quoted lines cannot be read back is stale (resolved again once).
"""

from __future__ import annotations

import ast
import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from packaging.utils import canonicalize_name

from dockwright.lazy_re import lazy
from dockwright.project.managers import GENERATED_SOURCE_LINE
from dockwright.project.python_version import minor_of

SOURCE_LINE = GENERATED_SOURCE_LINE  # project/managers.py tells dockwright's lock from another tool's by it
INCLUDE_LINE = lazy(r"^# dockwright-include: (?P<file>\S+) sha256=(?P<sha>[0-9a-f]{64})\s*$", re.M)
MERGED_LINE = lazy(r"^# dockwright-merged: (?P<file>\S+) requirements-sha256=(?P<sha>[0-9a-f]{64})\s*$", re.M)
RANGES_LINE = lazy(
    r"^# dockwright-ranges: (?:requirements-sha256=(?P<sha>[0-9a-f]{64}) )?(?P<named>.*) resolved beside ",
    re.M,
)
SELECTION_LINE = lazy(r"^# dockwright-selection: (?P<text>.+?)\s*$", re.M)
_QUOTED = lazy(r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"")
TARGET_LINE = lazy(r"^# method: \S+; target: CPython (?P<python>[0-9.]+),", re.M)
REGENERATE = " (dockwright init --force)"  # the suffix of every stale reason below


@dataclass(frozen=True)
class LockHeader:
    source: str
    sha256: str
    kind: str = "sha256"  # "sha256" (the whole file) or "requirements-sha256" (the lines resolved)
    includes: tuple[tuple[str, str], ...] = ()  # (file, sha256) of each file the source includes
    python: str | None = None  # the CPython the lock was resolved for (its `target:`), when written
    merged: str | None = None  # digest of the [project].dependencies lines resolved beside the source
    merged_from: str | None = None  # the file they are declared in (pyproject.toml, setup.py, setup.cfg)
    # the package's own lines resolved again beside the source (own_ranges.py): (digest, lines), the
    # digest None in a lock written before it was recorded (its lines then read back from their quotes)
    ranges: tuple[str | None, tuple[str, ...]] | None = None
    # a uv.lock's extras and groups converted with the dependencies (selection_text), when any
    selection: str | None = None


def selection_text(extras: Sequence[str], groups: Sequence[str]) -> str:
    """The header's words for a uv.lock project's extras and groups converted ("" for none)."""
    parts = [f"extras {', '.join(extras)}" if extras else "", f"groups {', '.join(groups)}" if groups else ""]
    return "; ".join(p for p in parts if p)


def sha256_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def requirements_digest(requirements: Sequence[str]) -> str:
    """The digest of the requirement lines a lock was resolved from (order and spelling kept)."""
    return hashlib.sha256("".join(f"{line}\n" for line in requirements).encode()).hexdigest()


def make_header(
    source: str,
    sha256: str,
    method: str,
    python_version: str,
    *,
    kind: str = "sha256",
    includes: Sequence[tuple[str, str]] = (),
    merged: Sequence[str] = (),
    merged_from: str = "pyproject.toml",
    selection: str = "",
) -> str:
    selection_line = f"# dockwright-selection: {selection}\n" if selection else ""
    merged_line = (
        f"# dockwright-merged: {merged_from} requirements-sha256={requirements_digest(merged)}\n"
        if merged
        else ""
    )
    return (
        "# Hash-locked requirements generated by dockwright; do not edit by hand.\n"
        f"# dockwright-source: {source} {kind}={sha256}\n"
        + "".join(f"# dockwright-include: {file} sha256={digest}\n" for file, digest in includes)
        + merged_line
        + selection_line
        + f"# method: {method}; target: CPython {python_version}, Linux x86_64 (manylinux_2_36)\n"
        "# Regenerate after changing the source: dockwright init --force\n"
    )


def read_header(text: str) -> LockHeader | None:
    match = SOURCE_LINE.search(text)
    if match is None:
        return None
    includes = tuple((m["file"], m["sha"]) for m in INCLUDE_LINE.finditer(text))
    target = TARGET_LINE.search(text)
    merged = MERGED_LINE.search(text)
    ranges = RANGES_LINE.search(text)
    chosen = SELECTION_LINE.search(text)
    return LockHeader(
        match["file"],
        match["sha"],
        match["kind"],
        includes,
        target["python"] if target else None,
        merged["sha"] if merged else None,
        merged["file"] if merged else None,
        (ranges["sha"], _quoted_lines(ranges["named"])) if ranges else None,
        chosen["text"] if chosen else None,
    )


def ranges_line(
    lines: Sequence[str], named: str, source: str, whose: str = "the package's own ranges"
) -> str:
    """The header line of the package's own ``lines`` resolved again beside ``source`` (``named``: the
    lines with where each is declared, for the reader; ``whose``: what they are)."""
    return (
        f"# dockwright-ranges: requirements-sha256={requirements_digest(lines)} {named} resolved beside "
        f"{source} ({whose})\n"
    )


def _quoted_lines(named: str) -> tuple[str, ...]:
    """The requirement lines a ranges line names, each written as a Python string literal."""
    out = []
    for quoted in _QUOTED.findall(named):
        try:
            value = ast.literal_eval(quoted)
        except (ValueError, SyntaxError):
            return ()
        if isinstance(value, str):
            out.append(value)
    return tuple(out)


def ranges_changed(header: LockHeader, declared: Sequence[str]) -> bool:
    """Whether the package's own lines the lock was resolved again with (its ranges line) differ from
    what the declaration says now for those names (``declared``: every declared line the plan compares
    the lock with; () when it compares none). No ranges line: nothing was resolved beside the source."""
    if header.ranges is None:
        return False
    digest, recorded = header.ranges
    if digest is None and not recorded:
        return True  # written before the digest, and its lines cannot be read back
    names = {_name(line) for line in recorded}
    now = tuple(dict.fromkeys(line for line in declared if _name(line) in names))
    return requirements_digest(now) != (digest or requirements_digest(recorded))


def _name(line: str) -> str:
    """The canonical distribution name a requirement line starts with."""
    found = re.match(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)", line)
    return canonicalize_name(found[1]) if found else line


def other_python_reason(root: Path, lock_path: str, python: str) -> str | None:
    """Why an existing generated lock does not fit ``python``: its header's ``target:`` line (the
    evidence, ``file:line``) names another minor, whose wheels and markers it was resolved for."""
    lock = root / lock_path
    if not lock.is_file() or lock.is_symlink():
        return None
    text = lock.read_text(encoding="utf-8", errors="replace")
    target = TARGET_LINE.search(text) if read_header(text) is not None else None
    if target is None or minor_of(target["python"]) == minor_of(python):
        return None
    line = text.count("\n", 0, target.start()) + 1
    return (
        f"{lock_path} is stale: it was resolved for CPython {target['python']} ({lock_path}:{line}), "
        f"and the plan chooses Python {python}{REGENERATE}"
    )


def _changed_include(root: Path, header: LockHeader) -> tuple[str, bool] | None:
    """The first include that changed since the lock was generated, and whether it still exists."""
    for file, digest in header.includes:
        path = root / file
        if not path.is_file():
            return file, False
        if sha256_of(path) != digest:
            return file, True
    return None


def merged_changed(header: LockHeader, merged: Sequence[str]) -> bool:
    """Whether the ``[project].dependencies`` lines resolved beside the source differ from ``merged``
    (what the plan takes in now; () = none)."""
    return header.merged != (requirements_digest(merged) if merged else None)


def is_current(
    root: Path,
    header: LockHeader,
    requirements: Sequence[str] = (),
    merged: Sequence[str] = (),
    declared: Sequence[str] = (),
    selection: str = "",
    layers: Sequence[str] = (),
) -> bool:
    """Whether the lock's source still says what it was generated from: the same requirement lines
    (``requirements-sha256``, ``requirements`` being what the project declares now) or the same file,
    the same ``[project].dependencies`` lines resolved beside it (``merged``), and the same declared
    ranges resolved again with it (``declared``: :func:`ranges_changed`), and the same extras and
    groups of a uv.lock (``selection``: :func:`selection_text`), each file the source is layered on
    (``layers``) among those it was resolved from."""
    if _changed_include(root, header) is not None or merged_changed(header, merged):
        return False
    if missing_layer(header, layers) is not None:
        return False
    if (header.selection or "") != selection:
        return False
    if ranges_changed(header, declared):
        return False
    if header.kind == "requirements-sha256":
        return bool(requirements) and requirements_digest(requirements) == header.sha256
    return sha256_of(root / header.source) == header.sha256


def missing_layer(header: LockHeader, layers: Sequence[str]) -> str | None:
    """The first of ``layers`` (the files the source is layered on now) the lock was not resolved with."""
    read = {file for file, _ in header.includes}
    return next((layer for layer in layers if layer not in read), None)


def stale_reason(
    root: Path,
    lock_path: str,
    requirements: Sequence[str] = (),
    merged: Sequence[str] = (),
    source: str | None = None,
    declared: Sequence[str] = (),
    selection: str = "",
    layers: Sequence[str] = (),
) -> str | None:
    """Why an existing generated lock is stale (its source changed or vanished, or ``source``, the file
    the plan resolves, is another one), else None; ``merged``, ``declared``, ``layers``: see
    :func:`is_current`."""
    lock = root / lock_path
    if not lock.is_file() or lock.is_symlink():
        return None
    header = read_header(lock.read_text(encoding="utf-8", errors="replace"))
    if header is None:
        return None
    if source is not None and source != header.source:
        return f"{lock_path} was generated from {header.source}, and the plan resolves {source}{REGENERATE}"
    if not (root / header.source).is_file():
        return f"{lock_path} was generated from {header.source}, which no longer exists"
    changed = _changed_include(root, header)
    if changed is not None and not changed[1]:
        return f"{lock_path} was generated from {header.source}, whose include {changed[0]} no longer exists"
    layer = missing_layer(header, layers)
    if layer is not None:
        return (
            f"{lock_path} is stale: {header.source} is layered on {layer}, which it was not resolved "
            f"with{REGENERATE}"
        )
    if not is_current(root, header, requirements, merged, declared, selection):
        if (header.selection or "") != selection:
            was, now = header.selection or "none", selection or "none"
            return (
                f"{lock_path} is stale: it installs {was} of {header.source}, and the plan installs "
                f"{now}{REGENERATE}"
            )
        what = "its requirements" if header.kind == "requirements-sha256" else header.source
        unchanged = header.kind == "sha256" and sha256_of(root / header.source) == header.sha256
        if changed is not None:
            what = f"{changed[0]} (included by {header.source})"
        elif merged_changed(header, merged) and unchanged:
            what = f"{_declared_by(header.merged_from)} resolved beside {header.source}"
        elif ranges_changed(header, declared) and unchanged:
            recorded = ", ".join(repr(line) for line in header.ranges[1]) if header.ranges else ""
            what = f"the package's own ranges resolved again beside {header.source} ({recorded})"
        return f"{lock_path} is stale: {what} changed since it was generated{REGENERATE}"
    return None


def _declared_by(file: str | None) -> str:
    """What the merged lines are, by the file the header names: ``the [project] dependencies``."""
    if file is None:
        return "the declared dependencies"
    return "the [project] dependencies" if file == "pyproject.toml" else f"the {file} install_requires"
