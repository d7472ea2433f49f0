"""The pins of the lock ``init`` generates, in view of the Python chooser.

A project that declares ranges and no lock of its own (Poetry's ``asyncpg = "^0.29.0"`` without a
poetry.lock, ``[project].dependencies``) says nothing about files before dockwright resolves it: the
Python was chosen (the newest its range allows) and only the generated lock showed that
``asyncpg 0.29.0`` and ``uvloop 0.19.0`` publish no wheel for it. Those pins, with the files and
``Requires-Python`` the package index lists for them (:mod:`dockwright.project.index_pins`), join the
locked set the chooser (:mod:`dockwright.project.python_choice`) reads, for a Python the project leaves
to dockwright only; the choice's reason names each pin that ruled a newer Python out, its line in the
generated lock and the newest Python its wheels cover.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from dockwright.project.facts import Dependencies, LockedPackage
from dockwright.project.native import locked_from_requirements
from dockwright.project.pinned_lines import read_pins
from dockwright.project.python_choice import newest_wheel_minor, no_wheel_for


@dataclass(frozen=True)
class GeneratedPins:
    """The ``name==version`` pins of a generated lock (``path``) and the line of each."""

    path: str
    packages: tuple[LockedPackage, ...]
    lines: tuple[tuple[str, int], ...]  # (canonical name, 1-based line)

    def line_of(self, name: str) -> str:
        found = dict(self.lines).get(name)
        return f"{self.path}:{found}" if found else self.path


def read_generated_pins(path: str, text: str) -> GeneratedPins:
    """The pins of a generated (requirements-format) lock's ``text``."""
    lines = tuple((pin.name, pin.line) for pin in read_pins(text))
    return GeneratedPins(path, locked_from_requirements(text), lines)


def with_generated_pins(deps: Dependencies, pins: GeneratedPins) -> Dependencies:
    """``deps`` for the Python choice: its locked set plus the generated lock's pins it lacks (the
    generated lock then names the pins' file in the reason when the project has no lock of its own)."""
    known = {p.name for p in deps.locked}
    added = tuple(p for p in pins.packages if p.name not in known)
    if not added:
        return deps
    return replace(deps, locked=(*deps.locked, *added), lock_file=deps.lock_file or pins.path)


def pins_evidence(deps: Dependencies, pins: GeneratedPins, ruled_out: str) -> str:
    """``asyncpg 0.29.0 (requirements.lock:14) has wheels up to Python 3.12; ...`` for each generated
    pin without a wheel for the patch version ``ruled_out`` (a newer Python the choice passed over)."""
    generated = {p.name for p in pins.packages}
    out = []
    for package in deps.locked:
        if package.name not in generated or not no_wheel_for(package, ruled_out):
            continue
        newest = newest_wheel_minor(package)
        covers = f"has wheels up to Python {newest}" if newest else "fits no Python dockwright knows"
        out.append(f"{package.name} {package.version} ({pins.line_of(package.name)}) {covers}")
    return "; ".join(out)
