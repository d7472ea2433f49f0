"""Database URLs and engine names as the code writes them (read with :mod:`ast`, for project/db_drivers.py).

:func:`url_literal` gives the URL an expression holds when the code fixes at least its scheme: a literal,
an f-string's literal head (``f"postgresql+asyncpg://{user}@..."``) or a sum's (``"sqlite:///" +
name``), the default of an environment read
(``os.getenv("DATABASE_URL", "postgresql://...")``, ``config("X", default=...)``), through ``str(...)``.
:func:`engine_call` reads ``create_engine(URL)`` / ``create_async_engine(URL)``: the URL when it is
written there, else the name or attribute it is read from (``DATABASE_URL``, ``settings.DATABASE_URL``),
for the caller to look up among the bindings :func:`url_bindings` collects (module level and class
bodies: pydantic settings' fields). A URL rewritten in the call (``URL.replace("postgresql://",
"postgresql+asyncpg://")``) is not read: its scheme is not the one written.
"""

from __future__ import annotations

import ast
import re
from typing import NamedTuple

from dockwright.project.ast_names import dotted
from dockwright.project.ast_walk import walk

URL = re.compile(r"^[a-z][a-z0-9-]*(?:\+[a-z0-9_]+)?://")
# a Django settings' database engine: its own backends, GeoDjango's, MySQL Connector's
ENGINE = re.compile(r"^(?:django\.(?:contrib\.gis\.)?db\.backends\.\w+|mysql\.connector\.django)$")
_ENV_READS = frozenset({"getenv", "get", "config", "env", "db_url", "db"})
ENGINE_CALLS = {"create_engine": False, "create_async_engine": True}


class EngineCall(NamedTuple):
    """``create_async_engine(...)`` (``is_async``) or ``create_engine(...)``: the URL written in the call
    ("" when it is read from a name), else that name (``DATABASE_URL``, the attribute's last part)."""

    is_async: bool
    url: str
    name: str
    line: int


def url_literal(node: ast.AST | None) -> str:
    """The URL ``node`` fixes the scheme of (see the module's doc), else ""."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value if URL.match(node.value) else ""
    if isinstance(node, ast.JoinedStr) and node.values:
        return url_literal(node.values[0])
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):  # "sqlite:///" + name
        return url_literal(node.left)
    if not isinstance(node, ast.Call):
        return ""
    called = (dotted(node.func) or "").rsplit(".", 1)[-1]
    if called == "str" and len(node.args) == 1:
        return url_literal(node.args[0])
    if called not in _ENV_READS:
        return ""
    default = next((k.value for k in node.keywords if k.arg == "default"), None)
    if default is None and len(node.args) == 2:
        default = node.args[1]
    return url_literal(default)


def engine_call(node: ast.Call) -> EngineCall | None:
    """The engine ``node`` makes (see :class:`EngineCall`), None for another call or an unread URL."""
    called = (dotted(node.func) or "").rsplit(".", 1)[-1]
    if called not in ENGINE_CALLS:
        return None
    given = node.args[0] if node.args else next((k.value for k in node.keywords if k.arg == "url"), None)
    while isinstance(given, ast.Call) and dotted(given.func) == "str" and len(given.args) == 1:
        given = given.args[0]
    url = url_literal(given)
    name = ""
    if not url and isinstance(given, ast.Name):
        name = given.id
    elif not url and isinstance(given, ast.Attribute):
        name = given.attr
    if not url and not name:
        return None
    return EngineCall(ENGINE_CALLS[called], url, name, node.lineno)


def url_bindings(tree: ast.Module) -> dict[str, str]:
    """Names bound at module level or in a class body to a URL (:func:`url_literal`): name -> URL;
    a name bound to two different URLs is left out."""
    out: dict[str, str] = {}
    dropped: set[str] = set()
    bodies: list[list[ast.stmt]] = [tree.body]
    bodies += [n.body for n in walk(tree) if isinstance(n, ast.ClassDef)]
    for body in bodies:
        for stmt in body:
            targets: list[ast.expr] = []
            value: ast.expr | None = None
            if isinstance(stmt, ast.Assign):
                targets, value = stmt.targets, stmt.value
            elif isinstance(stmt, ast.AnnAssign):
                targets, value = [stmt.target], stmt.value
            url = url_literal(value) if value is not None else ""
            for target in targets:
                if not url or not isinstance(target, ast.Name):
                    continue
                if out.get(target.id, url) != url:
                    dropped.add(target.id)
                out[target.id] = url
    return {name: url for name, url in out.items() if name not in dropped}
