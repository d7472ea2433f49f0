"""aiohttp scripts that serve themselves: ``web.run_app(...)`` run when the file runs.

## What it detects
A module (not a package ``__main__``, which ``main_module`` serves as ``python -m pkg``) that calls
aiohttp's ``web.run_app(...)`` (``run_app`` imported from ``aiohttp.web`` counts too) under its
``__main__`` guard or at module level, or that starts a ``web.TCPSite`` on an ``AppRunner`` (``runner =
web.AppRunner(app)``, ``await runner.setup()``, ``await web.TCPSite(runner, host, port).start()``) in
code its module level or ``__main__`` block runs (a function it calls, a class it builds). A
``web.UnixSite`` or ``web.SockSite`` listens on no TCP port and does not count. The script builds
and configures the app itself (a factory that takes no argument, startup hooks, a port read from the
environment), so it is the start, not a module-level ``web.Application()`` the ``web`` detector would
hand to ``python -m aiohttp.web``. Files under examples/, tests/, benchmarks/ ... are not candidates.

## Evidence
The ``run_app`` line (``aiohttp app served by web.run_app here``), or the ``TCPSite`` line; the port's
line when it is read from the environment or given as a literal.

## Example
```python
# relay.py
import os

from aiohttp import web


async def ping(request: web.Request) -> web.Response:
    return web.Response(text="pong")


def build() -> web.Application:
    app = web.Application()
    app.router.add_get("/ping", ping)
    return app


if __name__ == "__main__":
    web.run_app(build(), port=int(os.environ.get("RELAY_PORT", 8081)))
```

## Start command
``python FILE`` (``python -m pkg.mod`` inside a package; ``python relay.py`` above) on the port
``run_app`` is given: a literal, or ``int(os.environ.get("RELAY_PORT", 8081))``, whose default the
image sets in that variable, else aiohttp's 8080. A port that comes from elsewhere (a settings
object: ``port=config.PORT``) cannot be planned, and the script is left to the other detectors.
``run_app`` binds every interface unless a ``host`` is given; a loopback ``host`` is reported. A
``TCPSite`` listens on its ``port`` argument: a literal, an environment read with a default, or a
parameter of the function that builds it given a literal where the module calls that function
(``serve(8081)``); a port from elsewhere (a settings object) leaves aiohttp's 8080, the ``TCPSite``'s
own default. It ranks before the ``web`` detector: the script is what the project runs. A package's
``__main__`` that starts a ``TCPSite`` (itself, or through a class or function it imports from a
module of its package and runs: ``from .server import Server``) is ``main_module``'s ``python -m
pkg``, served on that port.
"""

from __future__ import annotations

import ast
import dataclasses

from dockwright.project.ast_names import reached_from
from dockwright.project.detectors.base import Candidate, Context
from dockwright.project.detectors.scan import ModuleScan, dotted
from dockwright.project.detectors.tornado_app import self_served
from dockwright.project.facts import Evidence
from dockwright.project.listen_port import ListenPort, listen_port

_LOOPBACK = ("127.0.0.1", "localhost", "::1")
AIOHTTP_PORT = 8080  # TCPSite's and run_app's port when none is given (aiohttp.web_runner.TCPSite)
_DEFINITIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)


def _run_app_call(ctx: Context, scan: ModuleScan) -> tuple[ast.Module, ast.Call] | None:
    """The module's AST and its ``run_app`` call, when that call runs as the file runs."""
    if not scan.run_app or scan.rel.endswith("__main__.py"):
        return None
    tree = scan.syntax
    if tree is None:
        return None
    calls = [n for n in ast.walk(tree) if isinstance(n, ast.Call) and n.lineno in scan.run_app]
    top_level = {id(n) for stmt in tree.body if isinstance(stmt, ast.Expr) for n in ast.walk(stmt)}
    calls = [c for c in calls if scan.main_guard or id(c) in top_level]
    return (tree, calls[0]) if calls else None


def _runs_from_top(tree: ast.Module) -> set[int]:
    """The nodes that run when the module runs: its module-level statements (the ``__main__`` block
    among them), and what they reach (:func:`reached_from`)."""
    top = [stmt for stmt in tree.body if not isinstance(stmt, (*_DEFINITIONS, ast.Import, ast.ImportFrom))]
    return reached_from(tree, top)


def _site_calls(scan: ModuleScan) -> list[ast.Call]:
    """The module's ``TCPSite(...)`` calls (the scan's lines), first first."""
    tree = scan.syntax
    if tree is None or not scan.tcp_sites:
        return []
    return [
        n
        for n in ast.walk(tree)
        if isinstance(n, ast.Call)
        and n.lineno in scan.tcp_sites
        and (dotted(n.func) or "").rsplit(".", 1)[-1] == "TCPSite"  # not the `.start()` on its line
    ]


def _site_port(tree: ast.Module, call: ast.Call) -> ListenPort | None:
    """The port a ``TCPSite(runner, host, port)`` call listens on, when the module says it: its argument
    read as ``listen_port`` reads one, or, for a parameter of the function that builds the site, the
    literal the module passes that parameter (``serve(8081)``)."""
    node = (
        call.args[2]
        if len(call.args) > 2
        else next((k.value for k in call.keywords if k.arg == "port"), None)
    )
    if node is None:
        return None
    found = listen_port(tree, node)
    if found is not None or not isinstance(node, ast.Name):
        return found
    for function in (n for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))):
        names = [a.arg for a in (*function.args.posonlyargs, *function.args.args)]
        if node.id not in names or not any(n is call for n in ast.walk(function)):
            continue
        index = names.index(node.id)
        for caller in (
            n for n in ast.walk(tree) if isinstance(n, ast.Call) and dotted(n.func) == function.name
        ):
            given = caller.args[index] if index < len(caller.args) else None
            given = given or next((k.value for k in caller.keywords if k.arg == node.id), None)
            port = listen_port(tree, given) if given is not None else None
            if port is not None:
                return port
    return None


def tcp_site(scan: ModuleScan) -> tuple[ast.Call, ListenPort | None] | None:
    """The ``TCPSite`` call the module runs when it runs (module level, its ``__main__`` block, or code
    they reach), with the port it listens on when the module says it."""
    tree = scan.syntax
    calls = _site_calls(scan)
    if tree is None or not calls:
        return None
    reached = _runs_from_top(tree)
    run = [c for c in calls if id(c) in reached]
    return (run[0], _site_port(tree, run[0])) if run else None


def package_site(ctx: Context, main: ModuleScan) -> tuple[ModuleScan, ast.Call, ListenPort | None] | None:
    """The ``TCPSite`` a package's ``__main__`` starts: in itself, or in the definition of a name it
    imports from a module of its own package and uses (``from .server import Server``, then
    ``Server(config).start()``): that module, the call and its port."""
    own = tcp_site(main)
    if own is not None:
        return (main, *own)
    package = main.module.rsplit(".", 1)[0]
    tree = main.syntax
    used = (
        {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)}
        if tree is not None
        else set(main.main_calls)
    )
    by_module = {s.module: s for s in ctx.by_rel.values() if s.tcp_sites}
    for local, target in main.from_imports.items():
        module, _, name = target.rpartition(".")
        scan = by_module.get(module)
        if scan is None or not module.startswith(f"{package}.") or scan.syntax is None:
            continue
        if tree is not None and local not in used:
            continue
        defined = next((d for d in scan.syntax.body if isinstance(d, _DEFINITIONS) and d.name == name), None)
        calls = [
            c for c in _site_calls(scan) if defined is not None and any(n is c for n in ast.walk(defined))
        ]
        if calls:
            return scan, calls[0], _site_port(scan.syntax, calls[0])
    return None


def site_evidence(scan: ModuleScan, call: ast.Call, port: ListenPort | None) -> tuple[Evidence, int]:
    """The port a ``TCPSite`` listens on and its evidence: the port's line, else the call (aiohttp's
    own default)."""
    if port is not None:
        return Evidence(scan.rel, port.line, f"web.TCPSite port {port.port} read here"), port.port
    said = f"web.TCPSite without a port the code gives: aiohttp's default {AIOHTTP_PORT}"
    return Evidence(scan.rel, call.lineno, said), AIOHTTP_PORT


def detect(ctx: Context) -> list[Candidate]:
    for scan in ctx.scans:
        found = _run_app_call(ctx, scan)
        if found is None:
            site = None if scan.rel.endswith("__main__.py") else tcp_site(scan)
            if site is None:
                continue
            call, port = site
            said = "aiohttp app served by an AppRunner's web.TCPSite here"
            candidate = self_served(ctx, "aiohttp", scan, call, port, said, default_port=AIOHTTP_PORT)
            return [dataclasses.replace(candidate, interface="aiohttp-run")]
        tree, call = found
        port_node = next((kw.value for kw in call.keywords if kw.arg == "port"), None)
        host = next((kw.value for kw in call.keywords if kw.arg == "host"), None)
        notes: tuple[str, ...] = ()
        if isinstance(host, ast.Constant) and host.value in _LOOPBACK:
            notes = (
                f"{scan.rel}:{call.lineno}: web.run_app(..., host={host.value!r}) listens only inside the "
                "container; drop the host so aiohttp binds every interface",
            )
        port = listen_port(tree, port_node) if port_node is not None else None
        if port_node is not None and port is None:
            continue  # a port from the app's own settings object: where it listens is not known here
        said = "aiohttp app served by web.run_app here"
        candidate = self_served(ctx, "aiohttp", scan, call, port, said, notes)
        return [dataclasses.replace(candidate, interface="aiohttp-run")]
    return []
