"""Programs the app starts (``subprocess.check_output(["git", ...])``, ``os.system("pandoc ...")``, the sh
library's ``from sh import git``) that a Debian package provides (``data/programs.toml``): the slim
runtime has none of them, so the app stops on ``FileNotFoundError`` at the first call. Only a literal
first word counts (a program named by a variable is not guessed): in the call itself, or in a command
line a module that runs programs writes as a literal and hands on (``args = ["git", *parts]`` passed to
its own ``Popen`` wrapper, ``f"exiftool -j {path}"`` returned to a ``shell=True`` call), or looked up
on PATH by a literal name (``shutil.which("ffmpeg")``) in a module that runs a program it holds in a
variable (what it found). Only programs
the table knows, only in the app's own modules (not tests, docs, scripts). Nothing is executed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from dockwright.project.detectors.scan import ModuleScan
from dockwright.project.facts import Evidence, Fact
from dockwright.project.tree import ProjectTree, data_table


@dataclass(frozen=True)
class ProgramRow:
    apt: str
    source: str
    installed_mb: int = 0  # the package and the dependencies python:X.Y-slim lacks, installed (0: small)


@cache
def program_table() -> dict[str, ProgramRow]:
    """Program name -> the Debian package that provides it."""
    data = data_table("programs.toml")
    return {
        str(name): ProgramRow(str(row["apt"]), str(row["source"]), int(row.get("installed-mb", 0)))
        for row in data["program"]
        for name in row["names"]
    }


@cache
def dependency_programs() -> list[tuple[str, str, str, str]]:
    """(distribution (canonical), its import name, a program it starts, the library's statement): one
    row per program (SeleniumBase needs a browser and its driver)."""
    data = data_table("programs.toml")
    return [
        (str(row["package"]), str(row["module"]), str(row["program"]), str(row["source"]))
        for row in data.get("dependency", [])
    ]


@cache
def dependency_commands() -> dict[str, frozenset[str]]:
    """Distribution (canonical) -> its own programs that run it (``ocrmypdf``), from the same rows."""
    out: dict[str, set[str]] = {}
    for row in data_table("programs.toml").get("dependency", []):
        out.setdefault(str(row["package"]), set()).update(str(c) for c in row.get("commands", []))
    return {package: frozenset(commands) for package, commands in out.items()}


_COMMAND_MODULES = {"sh": "the sh library", "plumbum.cmd": "plumbum"}
"""Modules whose every name is a program on PATH, imported as a command (``from sh import ocrmypdf``,
https://sh.readthedocs.io/en/latest/; ``from plumbum.cmd import git``,
https://plumbum.readthedocs.io/en/latest/local_commands.html), and the library's name."""


def _sh_commands(scan: ModuleScan) -> list[tuple[str, int]]:
    """Programs the module imports as commands from the sh library or ``plumbum.cmd``, with the import's
    line."""
    return [(program, line) for program, line, _ in _imported_commands(scan)]


def _imported_commands(scan: ModuleScan) -> list[tuple[str, int, str]]:
    """(program, the import's line, the library) for each command ``scan`` imports from a command module."""
    out = []
    for library, said in _COMMAND_MODULES.items():
        line = next((at for module, at in scan.import_sites if module == library), 0)
        prefix = library + "."
        out += [
            (full.removeprefix(prefix), line, said)
            for full in scan.from_imports.values()
            if full.startswith(prefix)
        ]
    return out


@dataclass(frozen=True)
class UnpackagedRow:
    """A program no Debian package provides: what it does, its option naming a service to wait for
    (empty: none), the replacement to name, and its documentation."""

    does: str
    waits: str
    replacement: str
    source: str


@cache
def unpackaged_table() -> dict[str, UnpackagedRow]:
    """Program name -> what to say about it (``dockerize``): ``data/programs.toml``'s ``unpackaged``."""
    data = data_table("programs.toml")
    return {
        str(name): UnpackagedRow(
            str(row["does"]), str(row.get("waits", "")), str(row["replacement"]), str(row["source"])
        )
        for row in data.get("unpackaged", [])
        for name in row["names"]
    }


def programs_of_libraries(
    tree: ProjectTree, scans: tuple[ModuleScan, ...], dependencies: frozenset[str]
) -> tuple[Fact[str], ...]:
    """The programs that libraries the app imports start themselves (``import git``: GitPython runs
    git). The app's own import counts, not the dependency alone: Streamlit depends on GitPython and
    runs without git."""
    found: dict[str, list[Evidence]] = {}
    commands = dependency_commands()
    for package, module, program, source in sorted(dependency_programs()):
        if package not in dependencies:
            continue
        for scan in scans:
            if module in scan.imports:
                line = tree.line_of(scan.rel, rf"^[ \t]*(import|from)[ \t]+{re.escape(module)}\b")
                why = f"imports {module}: {package} runs {program} ({source})"
                found.setdefault(program, []).append(Evidence(scan.rel, line, why))
                continue
            runs = [
                (name, at)
                for name, at in (*scan.programs, *_sh_commands(scan))
                if name in commands.get(package, ())
            ]
            if runs:
                name, at = runs[0]
                why = f"starts {name}: {package} runs {program} ({source})"
                found.setdefault(program, []).append(Evidence(scan.rel, at or None, why))
    return tuple(Fact(name, tuple(evidence)) for name, evidence in found.items())


def joined(first: tuple[Fact[str], ...], second: tuple[Fact[str], ...]) -> tuple[Fact[str], ...]:
    """Two sets of program facts as one (evidence of the same program joined, ``first``'s first)."""
    merged = {f.value: list(f.evidence) for f in first}
    for fact in second:
        merged.setdefault(fact.value, []).extend(fact.evidence)
    return tuple(Fact(name, tuple(evidence)) for name, evidence in merged.items())


def _starts(scans: tuple[ModuleScan, ...]) -> dict[str, list[tuple[Evidence, int | None]]]:
    """Each table program the app's modules start: every place, with the line of the ``except`` that
    catches its absence there (None when nothing does)."""
    table = program_table()
    found: dict[str, list[tuple[Evidence, int | None]]] = {}
    for scan in scans:
        for program, line in scan.programs:
            name = program.rsplit("/", 1)[-1]
            if name in table:
                found.setdefault(name, []).append(
                    (Evidence(scan.rel, line, f"starts {program}"), scan.handled_runs.get(line))
                )
        for program, line, library in _imported_commands(scan):
            if program in table:
                why = f"imports {program} from {library}, which runs it"
                found.setdefault(program, []).append((Evidence(scan.rel, line or None, why), None))
        started = {(p.rsplit("/", 1)[-1], line) for p, line in scan.programs}
        for program, line in scan.commands:
            name = program.rsplit("/", 1)[-1]
            if name in table and (name, line) not in started:
                why = f"builds a {program} command line (the module runs programs)"
                found.setdefault(name, []).append(
                    (Evidence(scan.rel, line, why), scan.handled_runs.get(line))
                )
    return found


def programs_run(scans: tuple[ModuleScan, ...]) -> tuple[Fact[str], ...]:
    """Each table program the app's modules start, with every place that starts it; a program whose every
    start sits in a ``try`` that catches its absence (``except Exception:`` around ``check_output(["git",
    ...])``) is left out: the app runs on without it (see :func:`handled_programs`)."""
    return tuple(
        Fact(name, tuple(e for e, _ in starts))
        for name, starts in _starts(scans).items()
        if any(handler is None for _, handler in starts)
    )


def handled_programs(scans: tuple[ModuleScan, ...]) -> list[str]:
    """Notes for the programs :func:`programs_run` leaves out, each start with the handler that catches
    the missing program."""
    notes = []
    table = program_table()
    for name, starts in _starts(scans).items():
        if starts and all(handler is not None for _, handler in starts):
            where = ", ".join(f"{e.file}:{e.line} (except at line {h})" for e, h in starts)
            notes.append(
                f"{where}: the app starts {name} where its absence is caught, so the image leaves out the "
                f"Debian package {table[name].apt}; add it to the runtime stage if that feature matters "
                f"(apt-get install --no-install-recommends {table[name].apt})"
            )
    return notes


@cache
def manager_table() -> dict[str, str]:
    """Project manager program -> its documentation: ``data/programs.toml``'s ``manager`` rows."""
    rows = data_table("programs.toml").get("manager", [])
    return {str(name): str(row["source"]) for row in rows for name in row["names"]}


def manager_runs(scans: tuple[ModuleScan, ...]) -> list[str]:
    """Notes for the project managers the app's modules start (``subprocess.run(["uv", "run",
    "sim-conv"])``): the image has none (its dependencies are installed at build time), so each call
    fails with ``FileNotFoundError``; what they run is installed on PATH, to be run directly."""
    table = manager_table()
    notes = []
    for scan in scans:
        for program, line in scan.programs:
            name = program.rsplit("/", 1)[-1]
            if name in table and scan.handled_runs.get(line) is None:
                notes.append(
                    f"{scan.rel}:{line}: the app starts {name}, which the image does not have (the "
                    f"dependencies are installed at build time, and {name} is no part of the runtime): "
                    f"the call fails with FileNotFoundError; run what {name} would run directly, as its "
                    f"console script or `python -m` is on PATH ({table[name]})"
                )
    return notes


def shipped(tree: ProjectTree, rel: str) -> bool:
    """Whether a wheel of the project carries ``rel``: a module under ``src/``, in a package folder (one
    with ``__init__.py``) or at the top level; not a loose script in ``bin/``, ``misc/`` or ``tasks/``,
    which a release or maintenance task runs from the checkout."""
    parts = rel.split("/")
    if len(parts) == 1 or parts[0] == "src":
        return True
    return tree.is_file(f"{parts[0]}/__init__.py")


def shipped_programs(tree: ProjectTree, programs: tuple[Fact[str], ...]) -> tuple[Fact[str], ...]:
    """``programs`` with only the evidence from modules the wheel ships (a package install runs nothing
    else); a program whose every start is in a release or maintenance script is dropped."""
    out = []
    for fact in programs:
        evidence = tuple(e for e in fact.evidence if shipped(tree, e.file))
        if evidence:
            out.append(Fact(fact.value, evidence))
    return tuple(out)
