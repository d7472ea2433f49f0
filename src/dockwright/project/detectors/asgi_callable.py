"""Bare ASGI applications: a module-level ``async def app(scope, receive, send)``, no framework.

## What it detects
An ASGI 3 application written by hand: a module-level ``async def`` whose three positional parameters
are ``scope, receive, send`` (annotated or not), or a module-level instance (``app = Gateway()``) of a
class of the same module whose ``async def __call__(self, scope, receive, send)`` makes it one. Such
code imports no framework, so the ``web`` detector cannot see it. ``app`` and ``application`` are
taken before other names, and a private one (``_handle_lifespan``: a helper the app calls) never;
a callable nested in a function (a test's stub, a factory's inner app) is
not module-level and is not taken. Files under examples/, tests/, benchmarks/ ... are not candidates.

## Evidence
The line of the ``async def`` (``asgi callable `app(scope, receive, send)```), or of the instance's
assignment (``asgi app `app` = Gateway(), whose __call__ takes (scope, receive, send)``).

## Example
```python
# gateway.py
async def app(scope, receive, send):
    if scope["type"] != "http":
        return
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": b"ok"})
```

## Start command
Served like any ASGI app: ``module:app`` by the ASGI server of ``servers.toml`` the project depends on
(uvicorn, granian, hypercorn, daphne), else uvicorn added to the lock (``uvicorn gateway:app --host
0.0.0.0 --port 8000`` above). The port is one a serve call in the module names, else 8000. It ranks
after every framework detector: an app a framework builds is that framework's.
"""

from __future__ import annotations

import ast

from dockwright.project.detectors.base import Candidate, Context
from dockwright.project.detectors.scan import signatures
from dockwright.project.detectors.web import served

_PARAMS = ("scope", "receive", "send")
_PREFERRED = ("app", "application")


def _takes_scope(args: ast.arguments, *, method: bool = False) -> bool:
    """True when the positional parameters are ``(scope, receive, send)`` (after ``self``)."""
    names = [a.arg for a in (*args.posonlyargs, *args.args)]
    if method:
        names = names[1:]
    return tuple(names) == _PARAMS and args.vararg is None


def _asgi_classes(tree: ast.Module) -> set[str]:
    """Module-level classes whose ``async def __call__(self, scope, receive, send)`` makes them ASGI apps."""
    return {
        stmt.name
        for stmt in tree.body
        if isinstance(stmt, ast.ClassDef)
        and any(
            isinstance(item, ast.AsyncFunctionDef)
            and item.name == "__call__"
            and _takes_scope(item.args, method=True)
            for item in stmt.body
        )
    }


def callables(tree: ast.Module) -> list[tuple[str, int, str]]:
    """(name, line, what) of the module's ASGI applications, ``app``/``application`` first."""
    found: list[tuple[str, int, str]] = []
    classes = _asgi_classes(tree)
    for stmt in tree.body:
        public = not getattr(stmt, "name", "_").startswith("_")
        if isinstance(stmt, ast.AsyncFunctionDef) and public and _takes_scope(stmt.args):
            found.append((stmt.name, stmt.lineno, f"callable `{stmt.name}(scope, receive, send)`"))
        elif (
            isinstance(stmt, ast.Assign)
            and len(stmt.targets) == 1
            and isinstance(stmt.targets[0], ast.Name)
            and isinstance(stmt.value, ast.Call)
            and isinstance(stmt.value.func, ast.Name)
            and stmt.value.func.id in classes
        ):
            name, cls = stmt.targets[0].id, stmt.value.func.id
            said = f"app `{name}` = {cls}(), whose __call__ takes (scope, receive, send)"
            found.append((name, stmt.lineno, said))
    return sorted(found, key=lambda f: _PREFERRED.index(f[0]) if f[0] in _PREFERRED else len(_PREFERRED))


def detect(ctx: Context) -> list[Candidate]:
    fw = signatures().framework("asgi")
    for scan in ctx.scans:
        # the scan keeps the tree of a module whose text has `async def` and the signature's words
        found = callables(scan.syntax) if scan.syntax is not None else []
        if found:
            name, line, said = found[0]
            return [served(ctx, fw, scan, name, line, said)]
    return []
