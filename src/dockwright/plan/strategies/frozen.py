"""What a frozen binary (PyInstaller, Nuitka) must start and bundle, read off the start command.

A frozen binary carries only what static analysis finds from its entry. Servers import their workers
and the app by dotted name at run time, so known commands come from ``plan/data/frozen.toml`` (entry
function, hidden imports, packages to collect); commands that cannot be frozen reliably are refused
with the table's reason.
"""

from __future__ import annotations

import importlib.resources
import re
import sys
from dataclasses import dataclass
from functools import cache
from typing import Any

from dockwright.plan.model import FrozenEntry
from dockwright.project.facts import ProjectFacts

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

_IMPORT_STRING = re.compile(r"^[A-Za-z_][\w.]*:[A-Za-z_][\w.]*(\(\))?$")
# Directories a web app reads from disk next to its code (Flask, Starlette, aiohttp conventions).
DATA_DIRS = ("templates", "static", "assets")


@dataclass(frozen=True)
class FrozenApp:
    """The entry the binary starts and the arguments its CMD passes."""

    entry: FrozenEntry
    args: tuple[str, ...]


@cache
def _table() -> dict[str, Any]:
    text = (importlib.resources.files("dockwright.plan") / "data" / "frozen.toml").read_text("utf-8")
    table: dict[str, Any] = tomllib.loads(text)
    return table


def known_commands() -> tuple[str, ...]:
    return tuple(sorted(_table()["commands"]))


def analyse(facts: ProjectFacts) -> FrozenApp | str:
    """The frozen entry for the project's start command, or the reason it cannot be frozen."""
    refuse: dict[str, Any] = _table()["refuse"]
    commands: dict[str, Any] = _table()["commands"]
    command = facts.app.command.value
    framework = facts.app.framework.value
    if not command:
        return 'no start command was detected; give --start "..."'
    if framework in refuse:
        return f"{framework}: {refuse[framework]['reason']}"
    head = command[0].rsplit("/", 1)[-1]
    data = _data_dirs(facts)
    if head in ("python", "python3") and len(command) >= 2:
        if command[1] == "-m" and len(command) >= 3:
            if command[2] in refuse:
                return f"{command[2]}: {refuse[command[2]]['reason']}"
            why = f"the start command runs module {command[2]} as __main__"
            entry = FrozenEntry("module", command[2], (command[2],), (), data, why)
            return FrozenApp(entry, tuple(command[3:]))
        script = command[1]
        if script.rsplit("/", 1)[-1] in refuse:
            return f"{script}: {refuse[script.rsplit('/', 1)[-1]]['reason']}"
        if script.endswith(".py"):
            why = f"the start command runs the script {script}; it is frozen directly"
            return FrozenApp(FrozenEntry("script", script, (), (), data, why), tuple(command[2:]))
        return f"cannot freeze `{' '.join(command[:2])}`: expected `python -m MODULE` or `python SCRIPT.py`"
    if head in refuse:
        return f"{head}: {refuse[head]['reason']}"
    entry_point = facts.app.entry_point.value
    if entry_point:
        why = f"{head} is the project's console script {entry_point}"
        module = entry_point.split(":")[0]
        return FrozenApp(FrozenEntry("function", entry_point, (module,), (), data, why), tuple(command[1:]))
    if head in commands:
        spec = commands[head]
        hidden = list(spec["hidden_imports"])
        if spec["app_import_arg"]:
            app = next((a for a in command[1:] if _IMPORT_STRING.match(a)), None)
            if app is None:
                return f"{head} needs the app as MODULE:OBJECT in the start command to bundle it"
            hidden.append(app.split(":")[0])
        why = f"{head}'s console script calls {spec['entry']}; {spec['source']}"
        entry = FrozenEntry(
            "function", spec["entry"], tuple(hidden), tuple(spec["collect_submodules"]), data, why
        )
        return FrozenApp(entry, tuple(command[1:]))
    known = ", ".join(known_commands())
    return (
        f"dockwright does not know which modules {head!r} loads at run time (known servers: {known}; "
        "also `python -m MODULE`, `python SCRIPT.py` and the project's own console scripts)"
    )


def _data_dirs(facts: ProjectFacts) -> tuple[tuple[str, str], ...]:
    if facts.layout.is_package.value:
        return ()  # a package's data travels inside it (collected with the package)
    return tuple((d, d) for d in DATA_DIRS if d in facts.layout.present_dirs)
