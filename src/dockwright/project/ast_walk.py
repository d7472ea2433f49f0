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


class _Kept:
    """The walks of one block: the nodes of each walked root, the children of each node seen."""

    def __init__(self) -> None:
        self.walks: dict[int, tuple[ast.AST, list[ast.AST]]] = {}  # id of a root -> (root, nodes)
        self.children: dict[int, list[ast.AST]] = {}  # id of a node of a kept walk -> its children

    def walk(self, root: ast.AST) -> list[ast.AST]:
        hit = self.walks.get(id(root))
        if hit is not None:
            return hit[1]
        children = self.children
        order = [root]
        # ast.walk's order: breadth first, each node's children as ast.iter_child_nodes lists them
        # (listed once: a body walked before its module keeps its children for the module's walk)
        for node in order:
            kids = children.get(id(node))
            if kids is None:
                kids = children[id(node)] = _children(node)
            order.extend(kids)
        self.walks[id(root)] = (root, order)
        return order


def _children(node: ast.AST) -> list[ast.AST]:
    """``list(ast.iter_child_nodes(node))`` without its two generators per node (the walks of a large
    checkout list 2.6 M nodes' children)."""
    out: list[ast.AST] = []
    for name in node._fields:
        value = getattr(node, name, None)  # iter_fields skips a field the node lacks
        if isinstance(value, ast.AST):
            out.append(value)
        elif isinstance(value, list):
            out.extend([item for item in value if isinstance(item, ast.AST)])
    return out


_kept: _Kept | None = None


@contextmanager
def walks_kept() -> Iterator[None]:
    """Keep the nodes of every tree :func:`walk` walks until the block ends (blocks may nest)."""
    global _kept
    outer = _kept
    _kept = _Kept()
    try:
        yield
    finally:
        _kept = outer


def walk(node: ast.AST) -> Iterator[ast.AST]:
    """The nodes of ``node``'s tree as :func:`ast.walk` yields them, walked once per block."""
    kept = _kept
    return ast.walk(node) if kept is None else iter(kept.walk(node))


def iter_child_nodes(node: ast.AST) -> Iterator[ast.AST]:
    """``node``'s children as :func:`ast.iter_child_nodes` yields them (known once its tree is walked)."""
    kept = _kept
    known = None if kept is None else kept.children.get(id(node))
    return ast.iter_child_nodes(node) if known is None else iter(known)
