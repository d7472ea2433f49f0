"""Names in Python source trees, shared by the scanners of settings modules."""

from __future__ import annotations

import ast
from typing import NamedTuple

from dockwright.project.ast_walk import walk


def dotted(node: ast.AST, *, tail: bool = False) -> str | None:
    """``a.b.c`` for a name or an attribute chain of names; None for anything else (``f().x``), or with
    ``tail`` the attributes after it (``f().x.y`` -> ``x.y``, as the app scan names a call)."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        inner = dotted(node.value, tail=tail)
        if inner:
            return f"{inner}.{node.attr}"
        return node.attr if tail else None
    return None


# calls that join path parts: `os.path.join(X, "a")`, `Path(X, "a")`
PATH_JOINS = frozenset({"os.path.join", "path.join", "join", "Path", "pathlib.Path", "PurePath"})


class PathJoin(NamedTuple):
    """A path joined from a folder and a literal name: the folder's expression, the ``".."`` steps
    between them, the name."""

    base: ast.expr
    ups: int
    name: str


def path_join(node: ast.AST) -> PathJoin | None:
    """``X / "a"``, ``os.path.join(X, "a")`` or ``Path(X, "..", "a")`` (its ``".."`` steps counted in
    ``ups``); None for any other node, or one whose first name after the steps is no literal."""
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div):
        name = _literal(node.right)
        return None if name is None else PathJoin(node.left, 0, name)
    if not (isinstance(node, ast.Call) and dotted(node.func) in PATH_JOINS and len(node.args) > 1):
        return None
    names = [_literal(a) for a in node.args[1:]]
    ups = next((i for i, n in enumerate(names) if n != ".."), len(names))
    name = names[ups] if ups < len(names) else None
    return None if name is None else PathJoin(node.args[0], ups, name)


def _literal(node: ast.AST) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def import_aliases(module: ast.Module) -> dict[str, str]:
    """Local name -> full dotted name of what the module's absolute imports bind, anywhere in it
    (``import numpy as np``: np -> numpy; ``import os.path``: os -> os; ``from a.b import c as d``:
    d -> a.b.c); a later import of the same name wins."""
    out: dict[str, str] = {}
    for node in walk(module):
        if isinstance(node, ast.Import):
            for a in node.names:
                out[a.asname or a.name.split(".")[0]] = a.name if a.asname else a.name.split(".")[0]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            for a in node.names:
                out[a.asname or a.name] = f"{node.module}.{a.name}"
    return out


def resolved(node: ast.AST, aliases: dict[str, str]) -> str:
    """The full dotted name a name or attribute chain means through ``aliases`` (``import_aliases``):
    ``np.zeros`` -> ``numpy.zeros``; a head no import binds is kept as written; "" for anything else."""
    name = dotted(node) or ""
    head, dot, rest = name.partition(".")
    return aliases.get(head, head) + dot + rest if head else ""


def bound_names(module: ast.Module, target: str) -> frozenset[str]:
    """The dotted names through which the module's imports reach ``target`` (``pkg.attr``): ``from pkg
    import attr as a`` -> ``a``; ``import pkg`` -> ``pkg.attr``; ``from pkg.sub import x`` for a
    ``pkg.sub.x.attr`` -> ``x.attr``."""
    out: set[str] = set()
    for local, full in import_aliases(module).items():
        if full == target:
            out.add(local)
        elif target.startswith(f"{full}."):
            out.add(local + target[len(full) :])
    return frozenset(out)


def assignment(stmt: ast.stmt) -> tuple[list[ast.expr], ast.expr | None]:
    """(targets, value) of an ``=`` or annotated assignment (``x: int = 1``), else ``([], None)``."""
    if isinstance(stmt, ast.Assign):
        return list(stmt.targets), stmt.value
    if isinstance(stmt, ast.AnnAssign):
        return [stmt.target], stmt.value
    return [], None


def is_main_guard(stmt: ast.stmt) -> bool:
    """``if __name__ == "__main__":``: a block that runs only when the module is the script."""
    test = stmt.test if isinstance(stmt, ast.If) else None
    return (
        isinstance(test, ast.Compare)
        and isinstance(test.left, ast.Name)
        and test.left.id == "__name__"
        and any(isinstance(c, ast.Constant) and c.value == "__main__" for c in test.comparators)
    )


def reached_from(module: ast.Module, roots: list[ast.stmt]) -> set[int]:
    """The ids of the nodes running ``roots`` (statements of ``module``) may run: the statements, and the
    module's top-level functions and classes (every method) they name (called, or passed on:
    ``IOLoop.current().run_sync(main)``), and those they name in turn."""
    defined: dict[str, ast.stmt] = {
        stmt.name: stmt
        for stmt in module.body
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
    }

    def named(node: ast.AST) -> set[str]:
        return {n.id for n in ast.walk(node) if isinstance(n, ast.Name)} & set(defined)

    reached: set[str] = set().union(*(named(stmt) for stmt in roots)) if roots else set()
    frontier = set(reached)
    while frontier:
        frontier = set().union(*(named(defined[name]) for name in frontier)) - reached
        reached |= frontier
    return {id(n) for stmt in [*roots, *(defined[name] for name in reached)] for n in ast.walk(stmt)}
