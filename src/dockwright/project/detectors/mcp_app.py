"""MCP servers (FastMCP) whose module makes the server's ASGI app: ``app = mcp.http_app()``.

## What it detects
A module-level FastMCP server object (``mcp = FastMCP("notes")``, from the ``fastmcp`` package or the
``mcp`` SDK's ``mcp.server.fastmcp``) and, at module level in the same module, the ASGI app one of its
methods returns (``app = mcp.http_app()``, ``mcp.streamable_http_app()``, ``mcp.sse_app()``; the
classes and methods are in ``data/mcp_apps.toml``). The server object is not an ASGI app itself, and
the app is made by a method call, not a constructor, so the ``web`` detector does not see it. Files
under examples/, tests/, benchmarks/ ... are not candidates.

## Evidence
The line of the app's assignment (``mcp app `app` = mcp.http_app() of FastMCP server `mcp` (fastmcp)``).

## Example
```python
# notes_server.py
from fastmcp import FastMCP

mcp = FastMCP("notes")


@mcp.tool
def count(text: str) -> int:
    return len(text.split())


app = mcp.http_app()
```

## Start command
Served like any ASGI app: ``module:app`` by the ASGI server of ``servers.toml`` the project depends
on, else uvicorn added to the lock (``uvicorn notes_server:app --host 0.0.0.0 --port 8000`` above), on
8000 unless a serve call in the module names another port. A ``__main__`` block that serves the app
itself (``uvicorn.run(...)``) is a development launcher the ASGI server replaces. It ranks after the
web frameworks and before a bare ASGI callable.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from dockwright.project.detectors.base import Candidate, Context
from dockwright.project.detectors.scan import ModuleScan, dotted, signatures
from dockwright.project.detectors.web import served
from dockwright.project.tree import parse_toml
from dockwright.project.type_params import parse as parse_module


@dataclass(frozen=True)
class McpServer:
    package: str
    ctor: tuple[str, ...]
    methods: tuple[str, ...]
    source: str


@lru_cache(maxsize=1)
def servers() -> tuple[McpServer, ...]:
    text = resources.files("dockwright.project").joinpath("data/mcp_apps.toml").read_text("utf-8")
    return tuple(
        McpServer(str(s["package"]), tuple(s["ctor"]), tuple(s["methods"]), str(s["source"]))
        for s in parse_toml(text)["server"]
    )


def _full_name(call: ast.Call, from_imports: dict[str, str]) -> str:
    """The called name as imported: ``FastMCP`` after ``from fastmcp import FastMCP`` is fastmcp.FastMCP."""
    name = dotted(call.func) or ""
    head, _, rest = name.partition(".")
    imported = from_imports.get(head)
    if imported:
        return f"{imported}.{rest}" if rest else imported
    return name


def _assigned_call(stmt: ast.stmt) -> tuple[str, ast.Call] | None:
    target: ast.expr | None = None
    value: ast.expr | None = None
    if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1:
        target, value = stmt.targets[0], stmt.value
    elif isinstance(stmt, ast.AnnAssign) and stmt.value is not None:
        target, value = stmt.target, stmt.value
    if isinstance(target, ast.Name) and isinstance(value, ast.Call):
        return target.id, value
    return None


def apps(source: str, from_imports: dict[str, str]) -> list[tuple[str, int, str]]:
    """(variable, line, what) of the module-level ASGI apps its FastMCP servers' methods return."""
    try:
        tree = parse_module(source)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return []
    by_ctor = {ctor: server for server in servers() for ctor in server.ctor}
    objects: dict[str, McpServer] = {}
    found: list[tuple[str, int, str]] = []
    for stmt in tree.body:
        assigned = _assigned_call(stmt)
        if assigned is None:
            continue
        var, call = assigned
        server = by_ctor.get(_full_name(call, from_imports))
        if server is not None:
            objects[var] = server
            continue
        func = call.func
        if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
            owner = objects.get(func.value.id)
            if owner is not None and func.attr in owner.methods:
                name = func.value.id
                said = f"app `{var}` = {name}.{func.attr}() of FastMCP server `{name}` ({owner.package})"
                found.append((var, stmt.lineno, said))
    return found


def _worth_parsing(ctx: Context, scan: ModuleScan) -> bool:
    """A cheap text test before the parse: the class and one of the methods are named in the file."""
    text = ctx.tree.read_text(scan.rel)
    return "FastMCP" in text and any(f".{m}(" in text for s in servers() for m in s.methods)


def detect(ctx: Context) -> list[Candidate]:
    fw = signatures().framework("mcp")
    for scan in ctx.scans:
        if not _worth_parsing(ctx, scan):
            continue
        found = apps(ctx.tree.read_text(scan.rel), scan.from_imports)
        if found:
            var, line, said = found[0]
            return [served(fw, scan, var, line, said)]
    return []
