"""Programs a release of their distribution no longer installs (``data/servers.toml`` ``[[renamed]]``).

A repository's command line written for an older release may name a program the newer one dropped
(``huey_consumer.py``: huey 2.x installs it beside the ``huey_consumer`` console script, huey 3 only the
latter). The line is read with the name every release installs (:func:`current_names`), so the start
runs whichever release the lock resolves, and the start's evidence says so (:func:`renamed_evidence`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import cache

from dockwright.project.facts import AppFacts, Evidence, Fact
from dockwright.project.tree import ProjectTree, data_table


@dataclass(frozen=True)
class Renamed:
    program: str
    now: str
    why: str


@cache
def renamed() -> tuple[Renamed, ...]:
    rows = data_table("servers.toml").get("renamed", [])
    return tuple(Renamed(str(r["program"]), str(r["now"]), str(r["why"])) for r in rows)


def _word(program: str) -> re.Pattern[str]:
    """The program as a command word: at a word's start or after a path (``/venv/bin/``), then a space,
    a separator or the end."""
    return re.compile(rf"(?:^|(?<=[\s;&|(]))(?:[\w.-]*/)*{re.escape(program)}(?=$|[\s;&|)])")


def current_names(line: str) -> str:
    """``line`` with each renamed program as its current name (``huey_consumer.py app.huey`` ->
    ``huey_consumer app.huey``); any other word as written."""
    for row in renamed():
        line = _word(row.program).sub(row.now, line)
    return line


def renamed_evidence(tree: ProjectTree, app: AppFacts) -> AppFacts:
    """``app`` with an evidence naming the rename when its start runs a renamed program's current name
    and the start's source (from its evidence's line on) still names the old one."""
    if not app.command.value:
        return app
    for row in renamed():
        if row.now not in app.command.value:
            continue
        for ev in app.command.evidence:
            if ev.line is None or not tree.is_file(ev.file):
                continue
            lines = tree.read_text(ev.file).splitlines()
            # a compose service's evidence is its name's line: its `command:` follows
            found = next(
                (i for i in range(ev.line, len(lines) + 1) if _word(row.program).search(lines[i - 1])), 0
            )
            if found:
                said = Evidence(ev.file, found, f"{row.program} run as {row.now}: {row.why}")
                return replace(app, command=Fact(app.command.value, (*app.command.evidence, said)))
    return app
