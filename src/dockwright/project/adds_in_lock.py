"""A server the start command needs that the resolved lock already installs through a dependency.

What it does: the plan adds a server to the lock (``AppFacts.adds``) when the project does not depend
on it by name (``uvicorn`` for a Shiny app whose requirements.txt says only ``shiny``). Once the lock is
resolved, :func:`without_carried_adds` reads it: a server pinned in the project's own resolution (above
the ``# added by dockwright for the start command`` block) whose ``# via`` names another package is
installed by that package, so there is nothing to add (an add with an extra, ``kombu[redis]``, stays:
the package that brings kombu does not bring what its extra adds); the add is dropped and the start command's
evidence names the package that brings it (``uvicorn 0.38.0 is in requirements.lock through shiny``).

Why: a Shiny app's plan warned "uvicorn added to requirements.lock ... the project does not depend on
it" while shiny itself requires uvicorn, and the lock held it once, from shiny's resolution.
"""

from __future__ import annotations

import dataclasses
import re

from packaging.utils import canonicalize_name

from dockwright.project.facts import AppFacts, Evidence, Fact
from dockwright.project.pinned_lines import read_pins

ADDED_MARKER = "# added by dockwright for the start command"


def add_name(add: str) -> str:
    """The canonical distribution name of an add (``celery[redis]``, ``gunicorn<26``)."""
    return str(canonicalize_name(re.split(r"[\[<>=!~;\s]", add, maxsplit=1)[0]))


def via_of(text: str) -> dict[str, tuple[int, str, tuple[str, ...]]]:
    """The project's resolution in a lock ``text`` (the part above the start command's block): canonical
    name -> (line, version, the packages its ``# via`` names; input files ``-r x`` left out)."""
    lines = text.splitlines()
    end = next((i for i, line in enumerate(lines) if line.startswith(ADDED_MARKER)), len(lines))
    own = "\n".join(lines[:end]) + "\n"
    out: dict[str, tuple[int, str, tuple[str, ...]]] = {}
    starts = {pin.line: pin for pin in read_pins(own)}
    current: str | None = None
    names: list[str] = []
    for number, line in enumerate(own.splitlines(), start=1):
        if number in starts:
            if current is not None:
                out[current] = (out[current][0], out[current][1], tuple(names))
            pin = starts[number]
            current, names = pin.name, []
            out[current] = (pin.line, pin.version, ())
            continue
        if current is None or not line.startswith((" ", "\t")):
            continue
        match = re.match(r"^\s*#\s*(?:via\s+)?(\S.*)$", line)
        if match and not match.group(1).startswith(("-r", "-c", "via")) and "--hash" not in line:
            name = match.group(1).split()[0]
            if re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._\-]*(\[[^\]]*\])?", name):
                names.append(str(canonicalize_name(name.split("[", 1)[0])))
    if current is not None:
        out[current] = (out[current][0], out[current][1], tuple(names))
    return out


def without_carried_adds(app: AppFacts, lock_path: str, text: str) -> AppFacts:
    """``app`` without the adds the lock's own resolution installs through another package, its start
    command's evidence naming that package; ``app`` itself when none is."""
    if not app.adds.value:
        return app
    resolved = via_of(text)
    kept: list[str] = []
    found: list[Evidence] = []
    for add in app.adds.value:
        name = add_name(add)
        line, version, via = resolved.get(name, (0, "", ()))
        brought = [v for v in via if v != name]
        # another package brings kombu, not what kombu[redis] adds, nor the bound flet<1.0 keeps
        if not brought or "[" in add or re.search(r"[<>=!~]", add):
            kept.append(add)
            continue
        why = (
            f"{name} {version} is in {lock_path} through {', '.join(brought)} (a dependency installs it): "
            "nothing added for the start command"
        )
        found.append(Evidence(lock_path, line, why))
    if not found:
        return app
    adds = Fact(tuple(kept), app.adds.evidence if kept else ())
    command = Fact(app.command.value, (*app.command.evidence, *found))
    return dataclasses.replace(app, adds=adds, command=command)
