"""A started program that only runs an app complete at import with a development server.

What it finds
    The planned start (a Procfile, a platform file, a compose file, the repository's own image) is a
    program of the project alone (``python app.py``, ``python -m pkg``), and that program's ``__main__``
    block does nothing but start a development server of ``data/dev_servers.toml`` whose row names an
    interface (Flask's or Quart's ``app.run()``, werkzeug's ``run_simple``, Bottle's ``run()``,
    ``uvicorn.run(..., reload=True)``, wsgiref's ``make_server(...).serve_forever()``) on a module-level
    app a server can import: before the call it only sets the names the call's host and port use, and
    prints or logs.

Decision
    The production server the plan chooses for that interface (``servers.choose``: gunicorn for WSGI,
    uvicorn for ASGI, or the one the project depends on) serves the same app, on the port the program
    listens on: the call's literal, the variable it reads (``int(os.environ.get("PORT", 5000))`` keeps
    ``${PORT:-5000}``, so a platform's ``$PORT`` still moves it), else the server's default (Flask's
    5000), always on 0.0.0.0 (a development server's default host, 127.0.0.1, is unreachable from
    outside the container). The plan says so in a note, with the call's line as evidence. A program that
    does more (sets its app up, reads its port from its arguments, runs the call at import) stays the
    start, with ``dev_servers.py``'s warning.

Why: ``web: python app.py`` ending in ``app.run(host="0.0.0.0", port=int(os.environ.get("PORT", 5000)))``
was kept with a warning: the image served with werkzeug's one process, and its port fact said 8000 (the
framework's default) while the program listened on 5000.
"""

from __future__ import annotations

import ast
import shlex
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from dockwright.project.detectors.scan import ModuleScan
from dockwright.project.detectors.servers import choose, last_command
from dockwright.project.dev_servers import DevServer, dev_calls, parsed_module, started_module
from dockwright.project.facts import Evidence, Fact
from dockwright.project.listen_port import ListenPort, listen_port
from dockwright.project.tree import ProjectTree

_LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1"})
_LOG_METHODS = frozenset({"info", "debug", "warning", "warn", "print"})


@dataclass(frozen=True)
class Served:
    """The production server's start, the port it listens on, the package it needs added, the note."""

    command: Fact[tuple[str, ...]]
    port: Fact[int | None]
    add: str
    note: str


def dev_server_start(
    tree: ProjectTree,
    scans: Iterable[ModuleScan],
    pyproject: dict[str, Any] | None,
    command: Fact[tuple[str, ...]],
    dependencies: frozenset[str],
) -> Served | None:
    """The production server's start for a program that only runs a development server (module
    docstring), else None."""
    argv = last_command(command.value)
    if command.value != argv:
        return None  # a shell line doing more than the program
    scans = list(scans)
    started = started_module(scans, pyproject, argv)
    if started is None or started[1] is not None:
        return None
    scan = started[0]
    module = parsed_module(tree, scan)
    if module is None:
        return None
    calls = dev_calls(module, scan)
    if len(calls) != 1:
        return None
    run, call = calls[0]
    server = run.server
    if not server.interface or not run.target:
        return None
    app = call.func.value if server.target_arg < 0 and isinstance(call.func, ast.Attribute) else None
    app = app or server.argument(call, server.target_arg, server.target_kw)
    if not plain_main(module, call, app, scan.module.endswith("__main__")):
        return None
    listen = _port(module, call, server)
    if listen is None:
        return None
    host = _host(call, server)
    chosen, must_add = choose(server.interface, dependencies, False)
    served = chosen.argv(run.target, listen.port, server.interface, False)
    if listen.variable:  # the platform's variable still moves it
        read = f"${{{listen.variable}:-{listen.port}}}"
        words = [_with_variable(w, listen.port, read) for w in served]
        served = ("/bin/sh", "-c", "exec " + " ".join(w if read in w else shlex.quote(w) for w in words))
    where = f"port {listen.port}" + (
        f" (read from ${listen.variable}, default {listen.port})" if listen.variable else ""
    )
    loopback = (
        f", which listens on {host or server.default_host} only (unreachable from outside the container)"
        if (host or server.default_host) in _LOOPBACK
        else ""
    )
    detail = (
        f"{' '.join(argv)} only runs {run.target} with {server.name} ({server.why}; {server.source})"
        f"{loopback}: served by {chosen.command[0]} on 0.0.0.0, {where}"
    )
    evidence = Evidence(scan.rel, call.lineno, detail)
    port_why = f"{server.name} listens on it" + (" (its default)" if listen.line == call.lineno else "")
    return Served(
        Fact(served, (*command.evidence, evidence)),
        Fact(listen.port, (Evidence(scan.rel, listen.line, port_why),)),
        chosen.package if must_add else "",
        f"{scan.rel}:{call.lineno}: {detail}",
    )


def _port(module: ast.Module, call: ast.Call, server: DevServer) -> ListenPort | None:
    node = server.argument(call, server.port_arg, server.port_kw)
    if node is None:
        return ListenPort(server.default_port, call.lineno) if server.default_port else None
    return listen_port(module, node)


def _host(call: ast.Call, server: DevServer) -> str:
    """The host the call names ("" for none or one not written as a literal)."""
    node = server.argument(call, server.host_arg, server.host_kw)
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else ""


def _with_variable(word: str, port: int, read: str) -> str:
    if word == str(port):
        return read
    if word.endswith(f":{port}"):
        return word.removesuffix(str(port)) + read
    return word


def plain_main(module: ast.Module, call: ast.Call, app: ast.expr | None, whole: bool = False) -> bool:
    """True when ``call`` is in the module's ``__main__`` block (``whole``: the module's body, a
    package's ``__main__``) and that block only imports, sets the names the call's other arguments use,
    prints or logs, and serves: the call itself, ``NAME = call`` or ``with call as NAME:`` then
    ``NAME.serve_forever()`` (wsgiref's server)."""
    used = {
        n.id
        for a in [*call.args, *(k.value for k in call.keywords)]
        if a is not app
        for n in ast.walk(a)
        if isinstance(n, ast.Name)
    }
    for stmt in module.body:
        if not isinstance(stmt, ast.If) or stmt.orelse:
            continue
        test = ast.dump(stmt.test)
        main = "__name__" in test and "__main__" in test
        if main and any(n is call for s in stmt.body for n in ast.walk(s)):
            return _plain_body(stmt.body, call, used)
    return whole and _plain_body(module.body, call, used)


def _plain_body(body: list[ast.stmt], call: ast.Call, used: set[str]) -> bool:
    seen, servers = False, set[str]()
    for stmt in body:
        if _harmless(stmt):
            continue
        if seen:
            if not _serves(stmt, servers):
                return False
        elif isinstance(stmt, ast.Expr) and stmt.value is call:
            seen = True
        elif isinstance(stmt, ast.Assign) and stmt.value is call:
            servers |= {t.id for t in stmt.targets if isinstance(t, ast.Name)}
            seen = True
        elif isinstance(stmt, ast.With) and len(stmt.items) == 1 and stmt.items[0].context_expr is call:
            bound = stmt.items[0].optional_vars
            inner = {bound.id} if isinstance(bound, ast.Name) else set()
            if not all(_harmless(s) or _serves(s, inner) for s in stmt.body):
                return False
            seen = True
        elif not (
            isinstance(stmt, ast.Assign)
            and all(isinstance(t, ast.Name) and t.id in used for t in stmt.targets)
        ):
            return False
    return seen


def _harmless(stmt: ast.stmt) -> bool:
    """An import, a docstring, a ``print(...)`` or a logger's message."""
    if isinstance(stmt, (ast.Import, ast.ImportFrom)):
        return True
    if not isinstance(stmt, ast.Expr):
        return False
    if isinstance(stmt.value, ast.Constant):
        return True
    func = stmt.value.func if isinstance(stmt.value, ast.Call) else None
    return (isinstance(func, ast.Name) and func.id == "print") or (
        isinstance(func, ast.Attribute) and func.attr in _LOG_METHODS
    )


def _serves(stmt: ast.stmt, servers: set[str]) -> bool:
    """``NAME.serve_forever()`` on a server the block made."""
    value = stmt.value if isinstance(stmt, ast.Expr) else None
    func = value.func if isinstance(value, ast.Call) else None
    return (
        isinstance(func, ast.Attribute)
        and func.attr == "serve_forever"
        and isinstance(func.value, ast.Name)
        and func.value.id in servers
    )
