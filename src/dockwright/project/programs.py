"""Programs the app starts (``subprocess.check_output(["git", ...])``, ``os.system("pandoc ...")``) that
a Debian package provides (``data/programs.toml``): the slim runtime has none of them, so the app stops
on ``FileNotFoundError`` at the first call. Only a literal first word counts (a program named by a
variable is not guessed), only programs the table knows, only in the app's own modules (not tests,
docs, scripts). Nothing is executed.
"""

from __future__ import annotations

import importlib.resources
import sys
from dataclasses import dataclass
from functools import cache

from dockwright.project.detectors.scan import ModuleScan
from dockwright.project.facts import Evidence, Fact

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib


@dataclass(frozen=True)
class ProgramRow:
    apt: str
    source: str
    installed_mb: int = 0  # the package and the dependencies python:X.Y-slim lacks, installed (0: small)


@cache
def program_table() -> dict[str, ProgramRow]:
    """Program name -> the Debian package that provides it."""
    path = importlib.resources.files("dockwright.project") / "data" / "programs.toml"
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    return {
        str(name): ProgramRow(str(row["apt"]), str(row["source"]), int(row.get("installed-mb", 0)))
        for row in data["program"]
        for name in row["names"]
    }


def programs_run(scans: tuple[ModuleScan, ...]) -> tuple[Fact[str], ...]:
    """Each table program the app's modules start, with every place that starts it."""
    table = program_table()
    found: dict[str, list[Evidence]] = {}
    for scan in scans:
        for program, line in scan.programs:
            name = program.rsplit("/", 1)[-1]
            if name in table:
                found.setdefault(name, []).append(Evidence(scan.rel, line, f"starts {program}"))
    return tuple(Fact(name, tuple(evidence)) for name, evidence in found.items())
