"""The oldest Python whose grammar parses all of the app's source.

dockwright's own interpreter parses each file first (:func:`ast.parse`). A file it rejects may be
valid newer Python (PEP 701 f-strings and PEP 695 ``type`` statements need 3.12): it is handed, as
text on standard input, to the interpreters of newer minors found on this machine (``pythonX.Y`` on
``PATH``, pyenv's versions, or what ``uv python find --no-python-downloads`` finds, run with the uv
dockwright depends on: :mod:`dockwright.bundled_uv`), oldest first; the first that parses every
rejected file is the minimum. Nothing is executed but ``ast.parse``.

A minor with no interpreter on the machine is read by libcst and the table of each minor's new grammar
(:mod:`dockwright.project.syntax_features`, the optional ``syntax`` extra), so the floor does not depend
on which interpreters happen to be installed; the reason names the construct and its line.

Both answers are pure functions of the files' texts and the minor, so a planning keeps them in the kept
plan's memo (:func:`dockwright.readset.memo`): planning again after an edit asks no interpreter and runs
no libcst pass over a file whose text is unchanged, and a planning that asks no interpreter can be kept
(a program run while planning is one no kept plan can check again). An answer is kept whichever grammar
gave it: CPython's parser of a minor and libcst's table of that minor's constructs say the same of a
file, so an interpreter installed later does not change it. "No grammar here" is never kept.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from dockwright import readset
from dockwright.bundled_uv import find_uv
from dockwright.errors import ProjectError
from dockwright.project.detectors.scan import ModuleScan
from dockwright.project.syntax_features import FeatureUse, feature_parser, feature_table, features_used
from dockwright.project.tree import ProjectTree

_PARSE = (
    "import ast, json, sys\n"
    "bad = []\n"
    "for rel, text in json.load(sys.stdin):\n"
    "    try:\n"
    "        ast.parse(text, rel)\n"
    "    except (SyntaxError, ValueError):\n"
    "        bad.append(rel)\n"
    "print(json.dumps(bad))\n"
)

_NOT_SHIPPED = frozenset(("tests", "test", "testing", "docs", "doc", "examples", "example", "benchmarks"))

# (minor, files) -> the files that minor's grammar rejects, or None when no such interpreter is here.
Parser = Callable[[str, list[tuple[str, str]]], list[str] | None]


@dataclass(frozen=True)
class SyntaxFloor:
    minimum: str | None  # "3.12": the oldest minor that parses everything; None = the host's is enough
    files: tuple[str, ...]  # the files the host rejected
    unparsed: tuple[str, ...]  # files no available grammar parses (left to the app detector's note)
    reason: str


def _interpreters(minor: str) -> list[str]:
    """Candidate ``pythonX.Y`` executables: PATH, pyenv's versions, uv's managed/system discovery."""
    out: list[str] = []
    found = shutil.which(f"python{minor}")
    if found:
        out.append(found)
    pyenv = Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv")) / "versions"
    out += sorted(str(p) for p in pyenv.glob(f"{minor}.*/bin/python{minor}"))
    uv = find_uv()  # the uv dockwright depends on (the one the lock layer runs), not whichever is on PATH
    if uv:
        try:
            done = subprocess.run(
                [uv, "python", "find", "--no-python-downloads", "--no-config", minor],
                capture_output=True,
                text=True,
                timeout=30,
                check=False,
            )
            if done.returncode == 0 and done.stdout.strip():
                out.append(done.stdout.strip())
        except (OSError, subprocess.TimeoutExpired):
            pass
    return list(dict.fromkeys(out))


def interpreter_parser(minor: str, files: list[tuple[str, str]]) -> list[str] | None:
    """Parse ``files`` with CPython ``minor``'s ``ast`` in a subprocess (None: no such interpreter)."""
    payload = json.dumps(files)
    for exe in _interpreters(minor):
        try:
            done = subprocess.run(
                [exe, "-I", "-c", _PARSE],
                input=payload,
                capture_output=True,
                text=True,
                timeout=120,
                check=False,
            )
            bad = json.loads(done.stdout) if done.returncode == 0 else None
        except (OSError, subprocess.TimeoutExpired, json.JSONDecodeError):
            continue
        if isinstance(bad, list):
            return [str(b) for b in bad]
    return None


def grammar_parser(minor: str, files: list[tuple[str, str]]) -> list[str] | None:
    """CPython ``minor``'s own parser when the machine has it, else libcst and the grammar table (None:
    neither)."""
    bad = interpreter_parser(minor, files)
    return bad if bad is not None else feature_parser(minor, files)


def host_minor() -> str:
    return f"{sys.version_info.major}.{sys.version_info.minor}"


def _key(minor: str) -> tuple[int, int]:
    a, b = minor.split(".")
    return int(a), int(b)


def syntax_floor(
    tree: ProjectTree,
    minors: Iterable[str],
    parser: Parser = grammar_parser,
    scans: Mapping[str, ModuleScan] | None = None,
) -> SyntaxFloor:
    """The oldest of ``minors`` newer than the host whose grammar parses what the host's rejects (a
    module the ``scans`` read as written is not parsed again)."""
    import ast

    rejected: list[tuple[str, str]] = []
    for rel in tree.python_files:
        parts = rel.split("/")
        if any(p in _NOT_SHIPPED for p in parts[:-1]) or any("{{" in p for p in parts):
            continue  # tests, docs, examples and templates do not run in the image
        scan = (scans or {}).get(rel)
        if scan is not None and scan.as_written:
            continue  # the host's grammar parsed it
        try:
            text = tree.read_text(rel)
        except ProjectError:  # unreadable: the app detector notes it
            continue
        try:
            ast.parse(text, rel)
        except (SyntaxError, ValueError):
            rejected.append((rel, text))
    if not rejected:
        return SyntaxFloor(None, (), (), f"the host's Python {host_minor()} parses every source file")
    names = tuple(rel for rel, _ in rejected)
    remaining = dict(rejected)
    floor: str | None = None
    needs: list[str] = []
    tried: list[str] = []
    for minor in sorted((m for m in minors if _key(m) > _key(host_minor())), key=_key):
        files = sorted(remaining.items())
        bad = _kept_check(minor, files) if parser is grammar_parser else parser(minor, files)
        if bad is None:
            continue
        tried.append(minor)
        parsed = [rel for rel in remaining if rel not in bad]
        if parsed:
            floor = minor
            needs = parsed
            remaining = {rel: text for rel, text in remaining.items() if rel in bad}
        if not remaining:
            break
    unparsed = tuple(sorted(remaining))
    if floor is None:
        why = (
            f"no grammar available here ({', '.join(tried) or 'no newer interpreter found'}) parses "
            f"{', '.join(names[:3])}"
        )
        return SyntaxFloor(None, names, unparsed, why)
    shown = ", ".join(needs[:3]) + (" ..." if len(needs) > 3 else "")
    why = f"{shown} parse{'s' if len(needs) == 1 else ''} only with Python {floor}'s grammar or newer"
    constructs = _constructs(floor, [(rel, dict(rejected)[rel]) for rel in needs[:3]])
    if constructs:
        why += f" ({constructs})"
    if unparsed:
        why += f" ({', '.join(unparsed[:3])}: no grammar here parses it)"
    return SyntaxFloor(floor, names, unparsed, why)


def _kept_check(minor: str, files: list[tuple[str, str]]) -> list[str] | None:
    """:func:`grammar_parser`'s answer, kept by the minor and the files' texts across plannings."""

    def check() -> bytes | None:
        bad = grammar_parser(minor, files)
        return None if bad is None else json.dumps(bad).encode()

    kept = readset.memo("grammar-check", [minor, files], check)
    return None if kept is None else [str(rel) for rel in json.loads(kept)]


def _kept_uses(text: str) -> tuple[FeatureUse, ...] | None:
    """:func:`features_used` (a libcst pass over the file), kept by the text across plannings."""

    def uses() -> bytes | None:
        found = features_used(text)
        return None if found is None else json.dumps([[u.feature.name, u.line] for u in found]).encode()

    kept = readset.memo("syntax-features", text, uses)
    if kept is None:
        return None
    table = feature_table()
    return tuple(FeatureUse(table[name], line) for name, line in json.loads(kept) if name in table)


def _constructs(minor: str, files: list[tuple[str, str]]) -> str:
    """``file:line: what`` of the first construct of Python ``minor``'s grammar in each file (from the
    grammar table; empty without libcst)."""
    shown = []
    for rel, text in files:
        uses = _kept_uses(text) or ()
        first = next((u for u in uses if u.feature.minor == minor), None)
        if first is not None:
            shown.append(f"{rel}:{first.line}: {first.feature.what}")
    return "; ".join(shown)
