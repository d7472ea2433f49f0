"""What a walk from some roots reaches, to a fixed point: the modules a start imports
(``undeclared_imports.reachable``, ``loaded_modules``), the functions a program's entry calls
(``dev_servers``)."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from typing import TypeVar

_T = TypeVar("_T", bound=Hashable)


def reached(roots: Iterable[_T], following: Callable[[_T], Iterable[_T]]) -> set[_T]:
    """``roots`` and every item ``following`` leads to from them, each followed once."""
    seen: set[_T] = set()
    todo = list(roots)
    while todo:
        item = todo.pop()
        if item in seen:
            continue
        seen.add(item)
        todo += following(item)
    return seen
