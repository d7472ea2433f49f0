"""ast_walk.walk and iter_child_nodes give what ast.walk and ast.iter_child_nodes give, in their order,
inside a walks_kept block (each tree walked once) and outside it."""

from __future__ import annotations

import ast

from dockwright.project.ast_walk import iter_child_nodes, walk, walks_kept

SOURCE = """
import os

class Store:
    root = os.path.join(os.getcwd(), "data")

    def open(self, name, *, mode="r"):
        def inner(x):
            return [y for y in x if y]
        return open(os.path.join(self.root, name), mode)

if __name__ == "__main__":
    Store().open(os.environ.get("NAME", "a.txt"))
"""


def test_walk_orders_match_ast_walk_inside_and_outside_a_block() -> None:
    tree = ast.parse(SOURCE)
    subtrees = [n for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.ClassDef, ast.If))]
    expected = {id(n): list(ast.walk(n)) for n in [tree, *subtrees]}
    assert [list(walk(n)) for n in [tree, *subtrees]] == [expected[id(n)] for n in [tree, *subtrees]]
    with walks_kept():
        # a body walked before its module, then the module, then every body again (twice)
        assert list(walk(subtrees[1])) == expected[id(subtrees[1])]
        for _ in range(2):
            for node in [tree, *subtrees]:
                assert list(walk(node)) == expected[id(node)]
                assert list(iter_child_nodes(node)) == list(ast.iter_child_nodes(node))


def test_blocks_nest_and_forget_their_walks() -> None:
    first, second = ast.parse("a = 1"), ast.parse("b = f(2)")
    with walks_kept():
        assert list(walk(first)) == list(ast.walk(first))
        with walks_kept():
            assert list(walk(second)) == list(ast.walk(second))
        assert list(walk(first)) == list(ast.walk(first))
    assert list(walk(second)) == list(ast.walk(second))
