"""The names a module binds at its top level, and the names its import-time ``from`` imports take from
other modules (for project/stale_start.py: a start whose module imports a name its project no longer has).

Bound: functions, classes, imports, assignment targets anywhere in the module's top-level statements
(inside ``if``/``try``/``with``/``for`` blocks too, whatever their tests), exception and ``match``
captures, and names a function declares ``global``. Counting more than runs keeps the answer on the safe
side: a name is "not defined" only when nothing in the module could bind it. Unknown (None) when the
module can bind names no statement spells: a ``*`` import, a module ``__getattr__`` (PEP 562),
``globals()``/``vars()``/``locals()``/``setattr``/``exec``, or ``sys.modules``.
"""

from __future__ import annotations

import ast
from collections.abc import Callable

from dockwright.project.ast_names import dotted
from dockwright.project.ast_walk import walk

# calls and attributes through which a module binds names its statements do not spell
_DYNAMIC_CALLS = frozenset({"globals", "vars", "locals", "setattr", "exec"})


def bound_names(tree: ast.Module) -> frozenset[str] | None:
    """Every name the module may bind at its top level; None when it may bind others too."""
    names: set[str] = set()
    for node in walk(tree):
        if isinstance(node, ast.ImportFrom) and any(alias.name == "*" for alias in node.names):
            return None
        if isinstance(node, ast.Name) and node.id in _DYNAMIC_CALLS:
            return None
        if isinstance(node, ast.Attribute) and node.attr == "modules" and dotted(node.value) == "sys":
            return None
        if isinstance(node, ast.Global):
            names.update(node.names)
    for stmt in tree.body:
        names.update(_bound_by(stmt))
    return None if "__getattr__" in names else frozenset(names)


def _bound_by(stmt: ast.stmt) -> set[str]:
    if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return {stmt.name}
    if isinstance(stmt, ast.Import):
        return {alias.asname or alias.name.split(".", 1)[0] for alias in stmt.names}
    if isinstance(stmt, ast.ImportFrom):
        return {alias.asname or alias.name for alias in stmt.names}
    found: set[str] = set()
    todo: list[ast.AST] = [stmt]
    while todo:  # the statement's nodes, not the bodies of the functions and classes it holds
        node = todo.pop()
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            found.add(node.id)
        elif (isinstance(node, ast.ExceptHandler) and node.name) or (
            isinstance(node, (ast.MatchAs, ast.MatchStar)) and node.name
        ):
            found.add(node.name)
        elif isinstance(node, ast.MatchMapping) and node.rest:
            found.add(node.rest)
        if node is not stmt and isinstance(node, ast.stmt):
            found.update(_bound_by(node))
            continue
        if isinstance(node, ast.Lambda):
            continue
        todo.extend(ast.iter_child_nodes(node))
    type_alias = getattr(ast, "TypeAlias", None)  # `type X = ...` (Python 3.12)
    if type_alias is not None and isinstance(stmt, type_alias):
        found.add(stmt.name.id)
    return found


def from_sites(
    statements: list[ast.Import | ast.ImportFrom], absolute: Callable[[str, int], str]
) -> tuple[tuple[str, str, int], ...]:
    """(module, name, line) of each name an import-time ``from`` import takes (``statements``: the module's
    :func:`import_sites.import_statements`), the module absolute (``absolute(module, level)``; "" for a
    relative import above the top package, which is left out)."""
    found: list[tuple[str, str, int]] = []
    for stmt in statements:
        if not isinstance(stmt, ast.ImportFrom):
            continue
        module = absolute(stmt.module or "", stmt.level)
        if module:
            found += [(module, alias.name, stmt.lineno) for alias in stmt.names if alias.name != "*"]
    return tuple(found)
