"""Klein apps (Twisted): a script that builds ``Klein()`` and serves it with ``app.run(host, port)``.

## What it detects
A module importing klein that calls ``run(HOST, PORT)`` on a module-level ``Klein()`` app (or
Klein's global ``run`` from ``from klein import run``) at module level or under its ``__main__``
guard. Klein has no server program: ``run`` starts Twisted's reactor on the endpoint
``tcp:port=PORT:interface=HOST``, so the script is the server. A module that only builds the app
(served by ``twistd web --class=...``) is not taken.

## Evidence
The ``run`` call, and the line the port is read from (a literal, a variable, ``int(os.environ.get(
"PORT", "8080"))`` ...).

## Example
```python
# site.py
from klein import Klein

app = Klein()

@app.route("/")
def home(request):
    return "ok"

if __name__ == "__main__":
    app.run("0.0.0.0", 8080)
```

## Start command
``python FILE`` (the script serves itself), on the port its ``run`` call names; one read from an
environment variable is set with ``ENV`` so probe and server agree. A loopback host
(``app.run("localhost", 8080)``, the form of Klein's own examples) listens only inside the container:
the plan says so, since only the code can change it. Without a port in the call, 8080.
"""

from __future__ import annotations

import ast

from dockwright.project.detectors.base import Candidate, Context
from dockwright.project.detectors.scan import ModuleScan, call_argument, dotted
from dockwright.project.detectors.tornado_app import self_served
from dockwright.project.listen_port import listen_port

_LOOPBACK = ("127.0.0.1", "localhost", "::1")


def _apps(tree: ast.Module, scan: ModuleScan) -> set[str]:
    """Module-level names bound to ``Klein()``."""
    out: set[str] = set()
    for stmt in tree.body:
        if isinstance(stmt, ast.Assign) and isinstance(stmt.value, ast.Call):
            called = dotted(stmt.value.func) or ""
            full = scan.from_imports.get(called, called)
            if full in ("klein.Klein", "Klein") and "klein" in scan.imports:
                out |= {t.id for t in stmt.targets if isinstance(t, ast.Name)}
    return out


def _run_call(tree: ast.Module, scan: ModuleScan) -> ast.Call | None:
    """The first ``APP.run(...)`` (or Klein's global ``run(...)``) the module makes when run."""
    apps = _apps(tree, scan)
    guarded = [
        s
        for s in tree.body
        if isinstance(s, ast.If) and "__name__" in ast.unparse(s.test) and "__main__" in ast.unparse(s.test)
    ]
    top = [s for s in tree.body if isinstance(s, ast.Expr)]
    for stmt in (*top, *guarded):
        for node in ast.walk(stmt):
            if not isinstance(node, ast.Call):
                continue
            name = dotted(node.func) or ""
            receiver, _, method = name.rpartition(".")
            if (method == "run" and receiver in apps) or scan.from_imports.get(name) == "klein.run":
                return node
    return None


def detect(ctx: Context) -> list[Candidate]:
    for scan in ctx.scans:
        if "klein" not in scan.imports:
            continue
        tree = scan.syntax
        call = _run_call(tree, scan) if tree is not None else None
        if tree is None or call is None:
            continue
        host, port = call_argument(call, 0, "host"), call_argument(call, 1, "port")
        notes: tuple[str, ...] = ()
        if isinstance(host, ast.Constant) and host.value in _LOOPBACK:
            notes = (
                f"{scan.rel}:{call.lineno}: {dotted(call.func)}({host.value!r}, ...) listens only inside the "
                'container; pass "0.0.0.0" as the host so it is reachable',
            )
        said = f"klein app served here ({dotted(call.func)})"
        found = listen_port(tree, port) if port is not None else None
        return [self_served(ctx, "klein", scan, call, found, said, notes)]
    return []
