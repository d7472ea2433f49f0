"""Checks of how the plan's sentences are written, shared by the tests."""

from __future__ import annotations


def nests_parentheses(text: str) -> bool:
    """Whether ``text`` opens a parenthesis inside another (``a (b (c))``), which reads badly."""
    depth = 0
    for char in text:
        depth += (char == "(") - (char == ")")
        if depth > 1:
            return True
    return False
