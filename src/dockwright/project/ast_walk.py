"""One walk of each (sub)tree while a module is scanned: the scan's many analyses each walk the module's
tree (and its function bodies) again, so :func:`walk` keeps the nodes of every tree it walked inside a
:func:`walks_kept` block and hands the same list to the next analysis that walks it.

:func:`walk` yields the nodes in the order of :func:`ast.walk`; outside a block it is :func:`ast.walk`.
The trees must not change inside a block (no analysis of the scan rewrites a tree: rewrites work on
copies). The kept lists hold their root, so no ``id`` is reused while they are kept.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from contextlib import contextmanager

# id of a walked root -> (the root, its nodes in ast.walk order); None outside a block
_kept: dict[int, tuple[ast.AST, list[ast.AST]]] | None = None


@contextmanager
def walks_kept() -> Iterator[None]:
    """Keep the nodes of every tree :func:`walk` walks until the block ends (blocks may nest)."""
    global _kept
    outer = _kept
    _kept = {}
    try:
        yield
    finally:
        _kept = outer


def walk(node: ast.AST) -> Iterator[ast.AST]:
    """The nodes of ``node``'s tree as :func:`ast.walk` yields them, walked once per block."""
    kept = _kept
    if kept is None:
        return ast.walk(node)
    hit = kept.get(id(node))
    if hit is None:
        nodes = list(ast.walk(node))
        kept[id(node)] = (node, nodes)
        return iter(nodes)
    return iter(hit[1])
