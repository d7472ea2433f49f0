"""Names in Python source trees, shared by the scanners of settings modules."""

from __future__ import annotations

import ast


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


def import_aliases(module: ast.Module) -> dict[str, str]:
    """Local name -> full dotted name of what the module's absolute imports bind, anywhere in it
    (``import numpy as np``: np -> numpy; ``import os.path``: os -> os; ``from a.b import c as d``:
    d -> a.b.c); a later import of the same name wins."""
    out: dict[str, str] = {}
    for node in ast.walk(module):
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
