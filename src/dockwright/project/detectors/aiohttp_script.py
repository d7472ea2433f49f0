"""aiohttp scripts that serve themselves: ``web.run_app(...)`` run when the file runs.

## What it detects
A module (not a package ``__main__``, which ``main_module`` serves as ``python -m pkg``) that calls
aiohttp's ``web.run_app(...)`` (``run_app`` imported from ``aiohttp.web`` counts too) under its
``__main__`` guard or at module level. The script builds and configures the app itself (a factory
that takes no argument, startup hooks, a port read from the environment), so it is the start, not a
module-level ``web.Application()`` the ``web`` detector would hand to ``python -m aiohttp.web``. Files
under examples/, tests/, benchmarks/ ... are not candidates.

## Evidence
The ``run_app`` line (``aiohttp app served by web.run_app here``); the port's line when it is read
from the environment or given as a literal.

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
``run_app`` binds every interface unless a ``host`` is given; a loopback ``host`` is reported. It
ranks before the ``web`` detector: the script is what the project runs.
"""

from __future__ import annotations

import ast
import dataclasses

from dockwright.project.detectors.base import Candidate, Context
from dockwright.project.detectors.scan import ModuleScan
from dockwright.project.detectors.tornado_app import self_served
from dockwright.project.listen_port import listen_port

_LOOPBACK = ("127.0.0.1", "localhost", "::1")


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


def detect(ctx: Context) -> list[Candidate]:
    for scan in ctx.scans:
        found = _run_app_call(ctx, scan)
        if found is None:
            continue
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
