"""Chat bots in a module's syntax tree: the call that runs the bot, and the token it cannot start without.

What it does: for a module importing a library of ``data/bots.toml`` (Slack Bolt, discord.py and its
forks, python-telegram-bot, aiogram, Telethon, Pyrogram), :func:`bot_loops` finds the calls that run
the client until it stops (``bot.run(TOKEN)``, ``application.run_polling()``,
``SocketModeHandler(app, token).start()``), wherever they sit (a ``main()`` the ``__main__`` guard
calls, an ``async def main`` run by ``asyncio.run``). :func:`credential_reads` finds the environment
reads with no default that are handed to the bot as its credential: a ``token=`` / ``*_token=``
keyword, a builder's ``.token(...)``, or the first argument of the loop call (``bot.run(os.getenv("X"))``).

Why: a bot connects out and listens on no port; taken for a one-shot script (or not found at all when
the repository has two scripts) it gets no worker's plan, and without its token it stops at once, so
the plan must name the variable (given at ``docker run`` time, never written into the image).

Example: ``app.py`` with ``SocketModeHandler(app, os.environ.get("SLACK_APP_TOKEN")).start()`` under
its ``__main__`` guard -> the loop ``SocketModeHandler().start`` at that line, and ``SLACK_APP_TOKEN``
required.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, NamedTuple

from dockwright.project.ast_names import dotted
from dockwright.project.ast_walk import walk
from dockwright.project.refused_env import falsy_default_read
from dockwright.project.tree import data_table

if TYPE_CHECKING:
    from dockwright.project.detectors.scan import ModuleScan


@dataclass(frozen=True)
class BotLibrary:
    name: str
    module: str
    loops: frozenset[str]
    through: frozenset[str]
    service: str
    source: str


@dataclass(frozen=True)
class BotLoop:
    """A call that runs a bot: its library, the call as written (``application.run_polling``), its line."""

    library: BotLibrary
    call: str
    line: int


@lru_cache(maxsize=1)
def bot_table() -> tuple[BotLibrary, ...]:
    return tuple(
        BotLibrary(
            str(row["name"]),
            str(row["module"]),
            frozenset(row["loops"]),
            frozenset(row.get("through", ())),
            str(row["service"]),
            str(row["source"]),
        )
        for row in data_table("bots.toml")["bot"]
    )


# Event-loop runners: `asyncio.run(main())` is a loop call's name but runs the coroutine, not a bot.
_RUNNERS = frozenset({"asyncio", "uvloop", "anyio", "trio", "subprocess"})
_TOKEN_KEYWORD = re.compile(r"^(?:\w+_)?token$")


def _call_text(node: ast.AST) -> str:
    """A call's callee as written, with calls in the chain shown as ``()``: ``Handler().start``."""
    if isinstance(node, ast.Call):
        return _call_text(node.func) + "()"
    if isinstance(node, ast.Attribute):
        return f"{_call_text(node.value)}.{node.attr}"
    if isinstance(node, ast.Name):
        return node.id
    return "?"


def _constructed(tree: ast.Module, *, bare: bool = False) -> dict[str, str]:
    """Every ``name = Callee(...)`` of the module (any scope): name -> the callee's last part;
    ``bare``: only calls of a bare name (``MyBot()``, an imported class), name -> that name."""
    out: dict[str, str] = {}
    for node in walk(tree):
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Call):
            if bare and not isinstance(node.value.func, ast.Name):
                continue
            callee = dotted(node.value.func)
            for target in node.targets:
                if isinstance(target, ast.Name) and callee:
                    out.setdefault(target.id, callee.rsplit(".", 1)[-1])
    return out


def _libraries(imports: set[str]) -> list[BotLibrary]:
    return [row for row in bot_table() if row.module in imports]


def bot_loops(tree: ast.Module, imports: set[str]) -> list[BotLoop]:
    """The calls running a bot of a library the module imports, in line order."""
    libraries = _libraries(imports)
    if not libraries:
        return []
    constructed = _constructed(tree)
    found: list[BotLoop] = []
    for node in walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        receiver = node.func.value
        base = dotted(receiver)
        if base and base.split(".")[0] in _RUNNERS:
            continue
        if isinstance(receiver, ast.Call) and dotted(receiver.func) == "super":
            continue  # a client subclass overriding start(): the call runs when something starts it
        made = (
            (dotted(receiver.func) or "").rsplit(".", 1)[-1]
            if isinstance(receiver, ast.Call)
            else constructed.get(base or "", "")
        )
        for row in libraries:
            if node.func.attr in row.loops and (not row.through or made in row.through):
                found.append(BotLoop(row, _call_text(node.func), node.lineno))
                break
    return sorted(found, key=lambda loop: loop.line)


def credential_reads(tree: ast.Module, imports: set[str]) -> list[tuple[str, int, str]]:
    """(variable, line, why) for each environment read with no default handed to a bot as its token."""
    return [(name, line, why) for name, line, why, read in _credentials(tree, imports) if read]


def credential_names(
    tree: ast.Module, imports: set[str], module: str, from_imports: dict[str, str]
) -> list[tuple[str, int, str]]:
    """(dotted name, line, why) for each module-level name handed to a bot as its token (``bot.run(TOKEN)``
    with ``from .config import TOKEN``), resolved to its variable once every module is scanned
    (:func:`add_client_loops`)."""
    out = []
    for name, line, why, read in _credentials(tree, imports):
        named = None if read else _named_token(ast.Name(name), from_imports, module)
        if named:
            out.append((named, line, why))
    return out


def _named_token(node: ast.AST | None, from_imports: dict[str, str], module: str) -> str | None:
    """The dotted module-level name a plain name handed over as a token stands for: the import it comes
    from (``from .config import TOKEN``), else the module's own (none when the module is unnamed)."""
    if not isinstance(node, ast.Name):
        return None
    return from_imports.get(node.id) or (f"{module}.{node.id}" if module else None)


def _credentials(tree: ast.Module, imports: set[str]) -> list[tuple[str, int, str, bool]]:
    """(variable or name, line, why, whether an environment read) of each bot token argument."""
    libraries = _libraries(imports)
    if not libraries:
        return []
    loops = {name for row in libraries for name in row.loops}
    out: list[tuple[str, int, str, bool]] = []
    for node in walk(tree):
        if not isinstance(node, ast.Call):
            continue
        callee = _call_text(node.func)
        for kw in node.keywords:
            if kw.arg and _TOKEN_KEYWORD.match(kw.arg):
                found = _token(kw.value)
                if found:
                    why = f"the bot's credential: {callee}({kw.arg}=...) without a default"
                    out.append((found[0], node.lineno, why, found[1]))
        last = callee.rsplit(".", 1)[-1]
        if node.args and (last == "token" or last in loops or last.endswith("SocketModeHandler")):
            # a builder's .token(X), bot.run(X), or Socket Mode's app-level token (its second argument)
            args = node.args[1:2] if last.endswith("SocketModeHandler") else node.args[:1]
            for arg in args:
                found = _token(arg)
                if found:
                    why = f"the bot's credential: {callee}(...) without a default"
                    out.append((found[0], node.lineno, why, found[1]))
    return out


def _token(node: ast.AST) -> tuple[str, bool] | None:
    """(variable, True) for an environment read with no default; (name, False) for a plain name."""
    name = falsy_default_read(node)
    if name:
        return name, True
    return (node.id, False) if isinstance(node, ast.Name) else None


class ClientRun(NamedTuple):
    """A loop-named call on a client of a class another module of the project defines (``MyBot().run(
    os.getenv("TOKEN"))`` with ``from .client import MyBot``): resolved once every module is scanned."""

    cls: str  # the class's absolute dotted name
    call: str
    attribute: str
    line: int
    token: str | None  # an environment read with no default handed to it as its first argument
    token_name: str | None = None  # else the dotted module-level name handed to it (`.run(TOKEN)`)


def client_runs(tree: ast.Module, from_imports: dict[str, str], module: str = "") -> list[ClientRun]:
    """The module's loop-named calls on instances of imported classes (``Imported().run(...)``, or a
    name bound to one)."""
    loops = {name for row in bot_table() for name in row.loops}
    made = {
        name: from_imports[callee]
        for name, callee in _constructed(tree, bare=True).items()
        if callee in from_imports
    }
    out: list[ClientRun] = []
    for node in walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        if node.func.attr not in loops:
            continue
        receiver = node.func.value
        cls = None
        if isinstance(receiver, ast.Call) and isinstance(receiver.func, ast.Name):
            cls = from_imports.get(receiver.func.id)
        elif isinstance(receiver, ast.Name):
            cls = made.get(receiver.id)
        if cls and "." in cls:
            first = node.args[0] if node.args else None
            token = falsy_default_read(first)
            named = _named_token(first, from_imports, module) if not token else None
            out.append(ClientRun(cls, _call_text(node.func), node.func.attr, node.lineno, token, named))
    return out


def add_client_loops(scans: Mapping[str, ModuleScan]) -> None:
    """Give each module its :class:`ClientRun` calls as bot loops (and their tokens as required), where
    the class is defined in a module that imports a bot library whose loops include the call."""
    by_module = {scan.module: scan for scan in scans.values()}
    for scan in scans.values():
        for run in scan.client_runs:
            module, _, name = run.cls.rpartition(".")
            owner = by_module.get(module)
            if owner is None or name not in owner.classes:
                continue
            row = next((r for r in _libraries(owner.imports) if run.attribute in r.loops), None)
            if row is None:
                continue
            scan.bot_loops.append(BotLoop(row, run.call, run.line))
            token = run.token or _bound_read(by_module, run.token_name)
            if token:
                why = (
                    f"the bot's credential: {run.call}(...) without a default ({name} is a {row.name} client)"
                )
                scan.env_refused.append((token, run.line, why))
        scan.bot_loops.sort(key=lambda loop: loop.line)
        for dotted_name, line, why in scan.credential_names:
            token = _bound_read(by_module, dotted_name)
            if token and all(token != known for known, _, _ in scan.env_refused):
                scan.env_refused.append((token, line, why))


def _bound_read(by_module: Mapping[str, ModuleScan], dotted_name: str | None) -> str | None:
    """The variable of the environment read (no default, or an empty one) a module binds ``dotted_name``
    to once at module level (``TOKEN = os.getenv("DISCORD_BOT_TOKEN", "")`` in ``pkg.config``)."""
    module, _, name = (dotted_name or "").rpartition(".")
    owner = by_module.get(module)
    return falsy_default_read(owner.assigned_once.get(name)) if owner is not None else None
