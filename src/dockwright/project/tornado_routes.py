"""Tornado URL tables: the routes a Tornado app declares as tuples, not calls.

``tornado.web.Application([(r"/", MainHandler), (r"/healthcheck", HealthHandler)])`` takes its routes as
a list of ``(pattern, handler[, kwargs[, name]])`` tuples (or ``url(...)``/``URLSpec`` objects, which the
scan's route calls already read), often built in a module-level list another module passes on
(``handlers = [...]``; ``Application(handlers, ...)``)
(https://www.tornadoweb.org/en/stable/web.html#tornado.web.Application). A tuple whose first element is
a literal pattern and whose second names a handler is a route: the pattern, as a request path, when it
is a plain path (``/healthcheck``, ``/healthcheck/?``, ``^/health$``), not a regular expression with
groups or classes. Read in a module that imports tornado: the list an ``Application(...)`` call is
given, and every module-level list.
"""

from __future__ import annotations

import ast
import re

from dockwright.project.ast_walk import walk

_PLAIN = re.compile(r"\^?(/[\w\-./]*?)(?:/\?)?\$?")


def url_table(tree: ast.Module) -> list[tuple[str, int]]:
    """(path, line) of each plain route of the module's Tornado URL tables."""
    lists: list[ast.List | ast.Tuple] = []
    for stmt in tree.body:
        value = stmt.value if isinstance(stmt, (ast.Assign, ast.AnnAssign)) else None
        if isinstance(value, (ast.List, ast.Tuple)):
            lists.append(value)
    for node in walk(tree):
        if isinstance(node, ast.Call) and _callee(node.func) == "Application":
            given = [*node.args[:1], *(k.value for k in node.keywords if k.arg == "handlers")]
            lists += [g for g in given if isinstance(g, (ast.List, ast.Tuple))]
    out: list[tuple[str, int]] = []
    seen: set[int] = set()
    for table in lists:
        if id(table) in seen:
            continue
        seen.add(id(table))
        for element in table.elts:
            path = _route(element)
            if path:
                out.append((path, element.lineno))
    return out


def _route(element: ast.expr) -> str:
    if not isinstance(element, ast.Tuple) or len(element.elts) < 2:
        return ""
    pattern, handler = element.elts[0], element.elts[1]
    if not isinstance(pattern, ast.Constant) or not isinstance(pattern.value, str):
        return ""
    if not isinstance(handler, (ast.Name, ast.Attribute)):
        return ""
    plain = _PLAIN.fullmatch(pattern.value)
    return plain.group(1) if plain else ""


def _callee(func: ast.expr) -> str:
    if isinstance(func, ast.Name):
        return func.id
    return func.attr if isinstance(func, ast.Attribute) else ""
