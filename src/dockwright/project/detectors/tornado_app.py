"""Tornado apps: a script importing tornado that listens on a port and runs the IOLoop itself.

## What it detects
A module importing tornado that calls ``listen(PORT)`` (``app.listen(8888)``,
``HTTPServer(app).listen(port)``) or ``bind(PORT)`` at module level or under its ``__main__`` guard
(also inside the ``main()`` that guard runs), the shallowest first. Tornado has no server program
of its own: the script is the server (``tornado.web.Application`` is no WSGI or ASGI app).

## Evidence
The ``listen`` call, and the line the port is read from (a literal, a variable,
``os.environ.get("PORT", "8888")``, or ``define("port", default=8888)`` for ``options.port``).

## Example
```python
# server.py
import asyncio
import tornado.web

class Ping(tornado.web.RequestHandler):
    def get(self):
        self.write("pong")

async def main():
    tornado.web.Application([(r"/ping", Ping)]).listen(8890)
    await asyncio.Event().wait()

if __name__ == "__main__":
    asyncio.run(main())
```

## Start command
``python FILE`` (``python -m pkg.mod`` inside a package). ``listen(port)`` binds every interface
unless an ``address`` is given; a literal loopback address is reported. The port is the one the
call names, else Tornado's documented 8888; a port read from an environment variable is set with
``ENV`` so the probe and the server agree.
"""

from __future__ import annotations

import ast

from dockwright.project.ast_names import is_main_guard, reached_from
from dockwright.project.detectors.base import Candidate, Context, script_target
from dockwright.project.detectors.scan import ModuleScan, dotted, signatures
from dockwright.project.facts import Evidence
from dockwright.project.listen_port import ListenPort, listen_port

_LISTEN = ("listen", "bind")
_LOOPBACK = ("127.0.0.1", "localhost", "::1")


def _on_socket(method: ast.Attribute) -> bool:
    """``sock.listen(5)``, ``socket.bind(...)``: a raw socket's call, not the server's."""
    receiver = (dotted(method.value) or "").rsplit(".", 1)[-1].lower()
    return "sock" in receiver


def serving_call(scan: ModuleScan, module: str, calls: tuple[str, ...]) -> tuple[ast.Module, ast.Call] | None:
    """The module's AST and its first call whose method is one of ``calls``, when the module imports
    ``module`` and serves when run (a ``__main__`` guard, or the call at module level)."""
    if module not in scan.imports:
        return None
    tree = scan.syntax
    if tree is None:
        return None
    found = [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr in calls
        and not _on_socket(node.func)
    ]
    top_level = {id(n) for stmt in tree.body if isinstance(stmt, ast.Expr) for n in ast.walk(stmt)}
    # run by the `__main__` block (not a method of a class of a vendored library's module that has a
    # main block of its own, which never names it: bottle.py's server adapters)
    run_by_main = _reached_from_main(tree)
    found = [n for n in found if id(n) in top_level or (scan.main_guard and id(n) in run_by_main)]
    return (tree, found[0]) if found else None


def _reached_from_main(tree: ast.Module) -> set[int]:
    """The nodes the ``__main__`` block may run (:func:`reached_from` its blocks)."""
    return reached_from(tree, [stmt for stmt in tree.body if is_main_guard(stmt)])


def self_served(
    ctx: Context,
    fw_name: str,
    scan: ModuleScan,
    call: ast.Call,
    port: ListenPort | None,
    said: str,
    notes: tuple[str, ...] = (),
    *,
    default_port: int | None = None,
    interface: str = "",
    env: tuple[tuple[str, str, str], ...] = (),
) -> Candidate:
    """The web candidate of a script that is its own server, with its port's evidence and the variable
    that overrides the port (set to the same value, so probe and server agree); ``default_port``: the
    server's own port when the call names none (its evidence is the call); ``env``: more settings."""
    fw = signatures().framework(fw_name)
    ev = Evidence(scan.rel, call.lineno, said)
    port_ev = Evidence(scan.rel, port.line, f"port {port.port} read here") if port else None
    if port and port.variable:
        why = f"{scan.rel}:{port.line} reads the port from {port.variable} (default {port.port})"
        env = ((port.variable, str(port.port), why), *env)
    return Candidate(
        fw.name,
        "web",
        "web",
        (ev,),
        framework=fw,
        target=script_target(ctx.tree, scan),
        module=scan.module,
        rel=scan.rel,
        interface=interface,
        port=port.port if port else default_port,
        port_evidence=port_ev or (ev if default_port is not None else None),
        env=env,
        notes=notes,
    )


def detect(ctx: Context) -> list[Candidate]:
    for scan in ctx.scans:
        found = serving_call(scan, "tornado", _LISTEN)
        if found is None:
            continue
        tree, call = found
        argument = call.args[0] if call.args else next(kw.value for kw in call.keywords if kw.arg == "port")
        address = next((kw.value for kw in call.keywords if kw.arg == "address"), None)
        if address is None and len(call.args) > 1:
            address = call.args[1]
        notes: tuple[str, ...] = ()
        if isinstance(address, ast.Constant) and address.value in _LOOPBACK:
            notes = (
                f"{scan.rel}:{call.lineno}: {dotted(call.func)}(..., address={address.value!r}) listens only "
                "inside the container; drop the address so Tornado binds every interface",
            )
        said = f"tornado app listening here ({dotted(call.func)})"
        return [self_served(ctx, "tornado", scan, call, listen_port(tree, argument), said, notes)]
    return []
