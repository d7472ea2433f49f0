"""Robyn apps: a script that builds ``Robyn(__file__)`` and serves it with ``app.start(...)``.

## What it detects
A module importing robyn that calls ``start(...)`` on a name bound to ``Robyn(...)``, at module
level, under its ``__main__`` guard, or inside the function that guard runs (``def main(): app =
Robyn(__file__) ... app.start()``). Robyn serves itself with its own Rust server; there is no
WSGI/ASGI app to hand to another server.

## Evidence
The line of the ``start(...)`` call (``robyn app served here``); the port's line when the call
names one.

## Example
```python
# notes/app.py
from robyn import Robyn

app = Robyn(__file__)


@app.get("/health")
def health():
    return "ok"


if __name__ == "__main__":
    app.start(port=8090)
```

## Start command
``python FILE`` (``python -m pkg.mod`` inside a package). ``start()`` binds 127.0.0.1 and 8080
unless the call says otherwise, and reads ``ROBYN_HOST`` and ``ROBYN_PORT`` before the values the
code passes: the image sets ``ROBYN_HOST=0.0.0.0`` and ``ROBYN_PORT`` to the planned port (the
call's literal or environment-read port, else 8080), so the server listens where the probe looks
whatever the code passes.

The plan notes how the server stops: with one process (the default) ``docker stop``'s SIGTERM makes
the Rust server finish the requests in flight, but the Python loop it runs under keeps the process
alive until Docker kills it (exit 137 after the stop timeout). SIGINT would exit at once but drop
the requests in flight, so the image keeps SIGTERM (seen with robyn 0.88.0).
"""

from __future__ import annotations

import ast

from dockwright.project.detectors.base import Candidate, Context
from dockwright.project.detectors.scan import ModuleScan, call_argument, dotted
from dockwright.project.detectors.tornado_app import self_served
from dockwright.project.listen_port import listen_port

_CTORS = frozenset({"Robyn", "robyn.Robyn"})


def _is_robyn(node: ast.AST, scan: ModuleScan) -> bool:
    if not isinstance(node, ast.Call):
        return False
    called = dotted(node.func) or ""
    return scan.from_imports.get(called, called) in _CTORS


def _runs(tree: ast.Module) -> list[ast.stmt]:
    """The statements that run when the file runs: module level, the ``__main__`` guard, and the
    bodies of the module's functions that guard calls."""
    guards = [
        s
        for s in tree.body
        if isinstance(s, ast.If) and "__name__" in ast.unparse(s.test) and "__main__" in ast.unparse(s.test)
    ]
    called = {dotted(n.func) for g in guards for n in ast.walk(g) if isinstance(n, ast.Call)}
    functions = [
        s for s in tree.body if isinstance(s, (ast.FunctionDef, ast.AsyncFunctionDef)) and s.name in called
    ]
    top = [s for s in tree.body if not isinstance(s, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))]
    return [*top, *functions]


def _start_call(tree: ast.Module, scan: ModuleScan) -> ast.Call | None:
    """The first ``APP.start(...)`` on a name bound to ``Robyn(...)`` that runs as the file runs."""
    statements = _runs(tree)
    apps = {
        t.id
        for stmt in statements
        for node in ast.walk(stmt)
        if isinstance(node, ast.Assign) and _is_robyn(node.value, scan)
        for t in node.targets
        if isinstance(t, ast.Name)
    }
    for stmt in statements:
        for node in ast.walk(stmt):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "start"
                and isinstance(node.func.value, ast.Name)
                and node.func.value.id in apps
            ):
                return node
    return None


def _stop_note(scan: ModuleScan, call: ast.Call) -> str:
    return (
        f"{scan.rel}:{call.lineno}: Robyn finishes the requests in flight on `docker stop` (SIGTERM) but its "
        "process does not exit until Docker kills it after the stop timeout (exit 137); SIGINT "
        "(`--stop-signal SIGINT`) exits at once and drops them"
    )


def detect(ctx: Context) -> list[Candidate]:
    for scan in ctx.scans:
        if "robyn" not in scan.imports or scan.rel.endswith("__init__.py"):
            continue
        tree = scan.syntax
        call = _start_call(tree, scan) if tree is not None else None
        if tree is None or call is None:
            continue
        port_node = call_argument(call, 1, "port")
        found = listen_port(tree, port_node) if port_node is not None else None
        said = f"robyn app served here ({dotted(call.func)})"
        return [self_served(ctx, "robyn", scan, call, found, said, (_stop_note(scan, call),))]
    return []
