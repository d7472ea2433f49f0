"""MCP servers (FastMCP) whose module makes the server's ASGI app: ``app = mcp.http_app()``.

## What it detects
A module-level FastMCP server object (``mcp = FastMCP("notes")``, from the ``fastmcp`` package or the
``mcp`` SDK's ``mcp.server.fastmcp``; the SDK's ``MCPServer`` since mcp 2, and its low-level
``Server``) and, at module level in the same module, the ASGI app one of its methods returns (``app =
mcp.http_app()``, ``mcp.streamable_http_app()``, ``mcp.sse_app()``; the classes and methods are in
``data/mcp_apps.toml``). The server object is not an ASGI app itself, and the app is made by a method
call, not a constructor, so the ``web`` detector does not see it. Files under examples/, tests/,
benchmarks/ ... are not candidates.

## Evidence
The line of the app's assignment (``mcp app `app` = mcp.http_app() of FastMCP server `mcp` (fastmcp)``),
or of the ``run()`` call that serves HTTP.

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
itself (``uvicorn.run(...)``) is a development launcher the ASGI server replaces.

A script whose FastMCP object serves HTTP itself, ``mcp.run(transport="streamable-http")`` (``"http"``,
``"sse"``; stdio, the default, is a CLI's business) under its ``__main__`` guard or at module level,
runs as ``python FILE`` (``-m pkg.mod`` inside a package) on the ``port=`` of ``run()`` or of the
constructor (a literal, or ``int(os.environ.get("PORT", 8080))``: that default, with the variable set
to it), else 8000. Both packages bind 127.0.0.1 unless told: with no ``host=`` in the code, the
``fastmcp`` package reads ``FASTMCP_HOST``, which the image sets to 0.0.0.0; the SDK's FastMCP does
not (its constructor passes its own host), so the plan says to pass ``host="0.0.0.0"``, as it does for
a literal loopback host.

It ranks before the web frameworks: a module that also builds a framework app (where the MCP app is
mounted), or an MCP app another module imports, is left to them.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from functools import lru_cache

from dockwright.project.detectors.base import Candidate, Context
from dockwright.project.detectors.scan import MCP_WORDS, ModuleScan, dotted, signatures
from dockwright.project.detectors.tornado_app import self_served
from dockwright.project.detectors.web import served
from dockwright.project.listen_port import listen_port
from dockwright.project.tree import data_table


@dataclass(frozen=True)
class McpServer:
    package: str
    ctor: tuple[str, ...]
    methods: tuple[str, ...]
    transports: tuple[str, ...]
    host_env: str
    source: str


@lru_cache(maxsize=1)
def servers() -> tuple[McpServer, ...]:
    return tuple(
        McpServer(
            str(s["package"]),
            tuple(s["ctor"]),
            tuple(s["methods"]),
            tuple(s["transports"]),
            str(s["host_env"]),
            str(s["source"]),
        )
        for s in data_table("mcp_apps.toml")["server"]
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


def apps(tree: ast.Module, from_imports: dict[str, str]) -> list[tuple[str, int, str]]:
    """(variable, line, what) of the module-level ASGI apps its FastMCP servers' methods return."""
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


def _keyword(call: ast.Call, name: str) -> ast.expr | None:
    return next((kw.value for kw in call.keywords if kw.arg == name), None)


def http_runs(
    tree: ast.Module, from_imports: dict[str, str]
) -> list[tuple[ast.Module, ast.Call, ast.Call, McpServer]]:
    """(tree, run call, constructor call, server) of each ``X.run(transport=<HTTP>)`` on a FastMCP
    object ``X`` assigned in the same module (at module level or in a function)."""
    by_ctor = {ctor: server for server in servers() for ctor in server.ctor}
    objects: dict[str, tuple[ast.Call, McpServer]] = {}
    for node in ast.walk(tree):
        if isinstance(node, (ast.Assign, ast.AnnAssign)):
            assigned = _assigned_call(node)
            if assigned is not None and _full_name(assigned[1], from_imports) in by_ctor:
                objects[assigned[0]] = (assigned[1], by_ctor[_full_name(assigned[1], from_imports)])
    found = []
    for node in ast.walk(tree):
        if not (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "run"
            and isinstance(node.func.value, ast.Name)
            and node.func.value.id in objects
        ):
            continue
        ctor, server = objects[node.func.value.id]
        transport = _keyword(node, "transport")
        if isinstance(transport, ast.Constant) and transport.value in server.transports:
            found.append((tree, node, ctor, server))
    return found


def _self_served(ctx: Context, scan: ModuleScan) -> Candidate | None:
    runs = http_runs(scan.syntax, scan.from_imports) if scan.syntax is not None else []
    if not runs or not (scan.main_guard or any(not _in_function(r[0], r[1]) for r in runs)):
        return None
    tree, call, ctor, server = runs[0]
    where = f"{scan.rel}:{call.lineno}"
    port_node = _keyword(call, "port") or _keyword(ctor, "port")
    port = listen_port(tree, port_node) if port_node is not None else None
    host = _keyword(call, "host") or _keyword(ctor, "host")
    notes: list[str] = []
    env: list[tuple[str, str, str]] = []
    if host is None and server.host_env:
        why = f"{where}: {server.package}'s FastMCP binds 127.0.0.1 unless told; it reads {server.host_env}"
        env.append((server.host_env, "0.0.0.0", why))
    elif host is None:
        notes.append(
            f"{where}: the {server.package} SDK's FastMCP binds 127.0.0.1 unless its constructor gets host=: "
            'pass host="0.0.0.0" (no environment variable moves it)'
        )
    elif isinstance(host, ast.Constant) and host.value in ("127.0.0.1", "localhost", "::1"):
        notes.append(
            f'{where}: run(host={host.value!r}) listens only inside the container; pass host="0.0.0.0"'
        )
    transport = _keyword(call, "transport")
    assert isinstance(transport, ast.Constant) and isinstance(transport.value, str)
    said = f"FastMCP server ({server.package}) serves {transport.value} here"
    return self_served(
        ctx,
        "mcp",
        scan,
        call,
        port,
        said,
        tuple(notes),
        default_port=8000,
        interface="mcp-run",
        env=tuple(env),
    )


def _in_function(tree: ast.Module, call: ast.Call) -> bool:
    return not any(call in ast.walk(stmt) for stmt in tree.body if isinstance(stmt, ast.Expr))


def _worth_parsing(ctx: Context, scan: ModuleScan) -> bool:
    """A cheap text test before the tree is read (the scan keeps the tree of a module naming an MCP
    server class, ``scan.MCP_WORDS``): a class and one of the methods (or run) are named."""
    text = ctx.tree.read_text(scan.rel)
    return any(w in text for w in MCP_WORDS) and any(
        f".{m}(" in text for s in servers() for m in (*s.methods, "run")
    )


def _imported_elsewhere(ctx: Context, scan: ModuleScan, var: str) -> bool:
    """Another module imports the MCP app (to mount it in its own app)."""
    wanted = f"{scan.module}.{var}"
    return any(other is not scan and wanted in other.from_imports.values() for other in ctx.by_rel.values())


def detect(ctx: Context) -> list[Candidate]:
    fw = signatures().framework("mcp")
    for scan in ctx.scans:
        if (
            not _worth_parsing(ctx, scan) or scan.apps
        ):  # a framework app in the module: the MCP app is mounted
            continue
        found = apps(scan.syntax, scan.from_imports) if scan.syntax is not None else []
        found = [f for f in found if not _imported_elsewhere(ctx, scan, f[0])]
        if found:
            var, line, said = found[0]
            return [served(ctx, fw, scan, var, line, said)]
    for scan in ctx.scans:
        if _worth_parsing(ctx, scan) and not scan.apps:
            candidate = _self_served(ctx, scan)
            if candidate is not None:
                return [candidate]
    return []
