"""Google Functions Framework apps: a function decorated ``@functions_framework.http``.

## What it detects
A module importing ``functions_framework`` with a module-level function decorated
``@functions_framework.http``, ``@functions_framework.cloud_event`` or ``@functions_framework.typed``
(also through ``from functions_framework import http`` or an import alias): the Cloud Functions /
Cloud Run layout, a ``main.py`` whose function the platform calls. Such a ``main.py`` often has no
server of its own (or a ``__main__`` guard that calls the function once, for a local try), so
running it as a script serves nothing. ``main.py`` at the root comes first (the framework's default
source), then other files in scan order; in a file, the first decorated function. The ``aio``
decorators (served with ``--asgi``) and undecorated functions named only by a deploy command's
``--entry-point`` are not taken.

## Evidence
The decorator's line (``functions-framework http function `main` (@functions_framework.http)``).

## Example
```python
# main.py
import functions_framework

@functions_framework.http
def handle(request):
    return "ok"
```

## Start command
The framework's own program, ``functions-framework --target handle --source main.py --host 0.0.0.0
--port 8080`` (``servers.toml``): it serves the function with gunicorn. The decorator registers the
signature type, so a CloudEvent function needs no ``--signature-type``. Port 8080, the program's
default (the ``PORT`` Cloud Run sets), unless the project names another.
"""

from __future__ import annotations

import ast

from dockwright.project.detectors.base import Candidate, Context
from dockwright.project.detectors.scan import ModuleScan, dotted, signatures
from dockwright.project.facts import Evidence

_MODULE = "functions_framework"
_KINDS = ("http", "cloud_event", "typed")


def _aliases(tree: ast.Module) -> dict[str, str]:
    """``import functions_framework as ff``: {"ff": "functions_framework"}."""
    return {
        alias.asname: alias.name
        for stmt in tree.body
        if isinstance(stmt, ast.Import)
        for alias in stmt.names
        if alias.asname
    }


def _kind(decorator: ast.expr, names: dict[str, str]) -> str | None:
    """``http`` / ``cloud_event`` / ``typed`` when the decorator is the framework's, else None."""
    node = decorator.func if isinstance(decorator, ast.Call) else decorator  # `@typed(Input)`
    name = dotted(node) or ""
    head, _, last = name.rpartition(".")
    full = f"{names.get(head, head)}.{last}" if head else names.get(name, name)
    module, _, kind = full.rpartition(".")
    return kind if module == _MODULE and kind in _KINDS else None


def functions(tree: ast.Module, scan: ModuleScan) -> list[tuple[str, int, str]]:
    """(function, decorator line, kind) of the module's decorated functions, in source order."""
    names = {**_aliases(tree), **scan.from_imports}
    out: list[tuple[str, int, str]] = []
    for stmt in tree.body:
        if not isinstance(stmt, ast.FunctionDef):
            continue
        for decorator in stmt.decorator_list:
            kind = _kind(decorator, names)
            if kind:
                out.append((stmt.name, decorator.lineno, kind))
                break
    return out


def detect(ctx: Context) -> list[Candidate]:
    fw = signatures().framework("functions-framework")
    scans = sorted(ctx.scans, key=lambda s: s.rel != "main.py")  # the framework's default source first
    for scan in scans:
        if not any(i == _MODULE or i.startswith(_MODULE + ".") for i in scan.imports):
            continue
        found = functions(scan.syntax, scan) if scan.syntax is not None else []
        if not found:
            continue
        name, line, kind = found[0]
        said = f"functions-framework {kind} function `{name}` (@{_MODULE}.{kind})"
        others = [f for f, _, _ in found[1:]]
        notes = (
            (
                f"{scan.rel} also defines {', '.join(others)}: one function per container; "
                f"--start 'functions-framework --target NAME --source {scan.rel}' serves another",
            )
            if others
            else ()
        )
        return [
            Candidate(
                fw.name,
                "web",
                "web",
                (Evidence(scan.rel, line, said),),
                framework=fw,
                target=name,
                module=scan.module,
                rel=scan.rel,
                notes=notes,
            )
        ]
    return []
