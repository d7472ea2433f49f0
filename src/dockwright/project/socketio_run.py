"""A program of the project that serves its Socket.IO app with ``socketio.run(app)`` in threading mode.

What it finds
    The planned start runs a program of the project (``python chat.py`` from a Procfile, a compose
    file, a README), and the module it runs calls ``.run(app)`` on a Flask-SocketIO server (``socketio =
    SocketIO(...)`` in it, or imported from a project module that builds one) whose async mode is one
    where that is werkzeug's development server (``data/socketio_modes.toml``, ``[run]``: threading, the
    mode when neither eventlet nor gevent is installed).

Decision
    Flask-SocketIO refuses to start that server when stdin is not a terminal (``RuntimeError: The
    Werkzeug web server is not designed to run in production``), which in a container it never is, and
    without ``host=`` it listens on 127.0.0.1: the image's start fails, or serves nobody. As for Flask's
    ``app.run()`` (``project/flask_dev_run.py``):

    - the program only runs an app complete at import (its ``__main__`` block does nothing but the call,
      after at most setting names the call's other arguments use: a host, a port read from the
      environment) and the start is that program alone: gunicorn serves that app on the planned port
      (``socketio_server.py`` then gives it the Socket.IO server's worker options);
    - otherwise the program stays the start and the plan says so: the file and line of the call, and
      the gunicorn command to serve instead.
"""

from __future__ import annotations

import ast
import shlex
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from dockwright.project.detectors.scan import ModuleScan
from dockwright.project.detectors.servers import last_command, table
from dockwright.project.dev_server_start import plain_main
from dockwright.project.dev_servers import importable_name, parsed_module, started_module
from dockwright.project.facts import Evidence, Fact
from dockwright.project.socketio_server import server_mode
from dockwright.project.tree import ProjectTree, data_table


@dataclass(frozen=True)
class Outcome:
    """What the start becomes: a gunicorn command (with what it adds to the lock), or a warning."""

    command: Fact[tuple[str, ...]] | None = None
    add: str = ""
    note: str = ""


@lru_cache(maxsize=1)
def _run_table() -> tuple[frozenset[str], str]:
    raw = data_table("socketio_modes.toml")["run"]
    return frozenset(raw["modes"]), str(raw["source"])


def socketio_start(
    tree: ProjectTree,
    scans: Iterable[ModuleScan],
    pyproject: dict[str, Any] | None,
    command: Fact[tuple[str, ...]],
    port: int,
    dependencies: frozenset[str],
) -> Outcome | None:
    """The start for a program serving with ``socketio.run`` (module docstring), or None."""
    scans = list(scans)
    if not any(s.socketio for s in scans):
        return None
    argv = last_command(command.value)
    started = started_module(scans, pyproject, argv)
    if started is None:
        return None
    scan, functions = started
    module = parsed_module(tree, scan)
    if module is None:
        return None
    servers = _server_names(module, scan, scans)
    call = next((c for c in _run_calls(module, servers)), None)
    if call is None:
        return None
    holders = [
        scan,
        *(s for s in scans if s.module in {v.rpartition(".")[0] for v in scan.from_imports.values()}),
    ]
    mode = server_mode(holders, dependencies)
    modes, source = _run_table()
    if mode is None:
        return None
    loopback = not any(k.arg == "host" for k in call.keywords) and len(call.args) < 2
    if mode[0] not in modes and not loopback:
        return None  # eventlet's or gevent's own server, on the host the program names
    target = _target(call, module, scan)
    gunicorn = next(s for s in table().servers if s.command[0] == "gunicorn")
    whole = scan.module.endswith("__main__")
    plain = functions is None and command.value == argv and bool(target)
    plain = plain and plain_main(module, call, _app_arg(call), whole)
    why = (
        f"{' '.join(command.value)} serves the app with socketio.run, which in async mode {mode[0]} "
        f"({mode[1]}) is werkzeug's development server, which Flask-SocketIO refuses to start outside a "
        "terminal (RuntimeError: The Werkzeug web server is not designed to run in production) and which "
        f"listens on 127.0.0.1 unless given host= ({source})"
        if mode[0] in modes
        else f"{' '.join(command.value)} serves the app with socketio.run, which in async mode {mode[0]} "
        f"({mode[1]}) is {mode[0]}'s own server, listening on 127.0.0.1 only without host= "
        f"(unreachable from outside the container) ({source})"
    )
    if plain:
        served = gunicorn.argv(target, port, "wsgi", False)
        detail = f"{why}; the program only runs {target}, built at import: served by gunicorn"
        evidence = (*command.evidence, Evidence(scan.rel, call.lineno, detail))
        return Outcome(Fact(served, evidence), "" if "gunicorn" in dependencies else gunicorn.package)
    instead = (
        f"serve its app with gunicorn instead, with its settings given another way: --start "
        f"{shlex.quote(shlex.join(gunicorn.argv(target, port, 'wsgi', False)))}"
        if target
        else "serve the app with gunicorn instead (--start)"
    )
    return Outcome(
        note=f"{scan.rel}:{call.lineno}: {why}; kept as the start, since the program may set "
        f"its app up itself; {instead}"
    )


def _server_names(module: ast.Module, scan: ModuleScan, scans: list[ModuleScan]) -> set[str]:
    """The module's names for Flask-SocketIO servers: built in it, or imported from a project module
    that builds one."""
    lines = {line for line, _ in scan.socketio or ()}
    names = {
        t.id
        for n in module.body
        if isinstance(n, ast.Assign) and n.value.lineno in lines
        for t in n.targets
        if isinstance(t, ast.Name)
    }
    for local, full in scan.from_imports.items():
        source = full.rpartition(".")[0]
        if any(s.module == source and s.socketio for s in scans):
            names.add(local)
    return names


def _run_calls(module: ast.Module, servers: set[str]) -> Iterable[ast.Call]:
    for node in ast.walk(module):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "run"
            and isinstance(node.func.value, ast.Name)
            and node.func.value.id in servers
        ):
            yield node


def _app_arg(call: ast.Call) -> ast.expr | None:
    return next((k.value for k in call.keywords if k.arg == "app"), call.args[0] if call.args else None)


def _target(call: ast.Call, module: ast.Module, scan: ModuleScan) -> str:
    """The ``module:app`` gunicorn can import for the app the call runs, else ""."""
    return importable_name(_app_arg(call), module, scan)
