"""A module-level regular expression compiled on first use, not at import.

A command imports hundreds of modules and most of their patterns never run: `dockwright plan` on a
small project compiled 231 module-level patterns at import and used 37 (docs/lean.md, imports26).
``_WORD = lazy(r"...")`` instead of ``re.compile(r"...")`` keeps the call sites (``_WORD.search(s)``)
and compiles once, on the first call. Imports nothing of dockwright.
"""

from __future__ import annotations

import re
import sys
import weakref
from collections.abc import Callable, Iterator
from typing import Any


class LazyPattern:
    """The methods of ``re.Pattern[str]`` that dockwright calls, on a pattern compiled when first used."""

    __slots__ = ("__weakref__", "_compiled", "flags", "pattern")

    def __init__(self, pattern: str, flags: int = 0) -> None:
        self.pattern = pattern
        self.flags = flags
        self._compiled: re.Pattern[str] | None = None
        _MADE.add(self)

    def compiled(self) -> re.Pattern[str]:
        """The compiled pattern (compiled now on the first call; an invalid one raises here)."""
        if self._compiled is None:
            self._compiled = re.compile(self.pattern, self.flags)
        return self._compiled

    def match(self, string: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        return self.compiled().match(string, pos, endpos)

    def fullmatch(self, string: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        return self.compiled().fullmatch(string, pos, endpos)

    def search(self, string: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        return self.compiled().search(string, pos, endpos)

    def finditer(self, string: str, pos: int = 0, endpos: int = sys.maxsize) -> Iterator[re.Match[str]]:
        return self.compiled().finditer(string, pos, endpos)

    def findall(self, string: str, pos: int = 0, endpos: int = sys.maxsize) -> list[Any]:
        return self.compiled().findall(string, pos, endpos)

    def sub(self, repl: str | Callable[[re.Match[str]], str], string: str, count: int = 0) -> str:
        return self.compiled().sub(repl, string, count)

    def subn(
        self, repl: str | Callable[[re.Match[str]], str], string: str, count: int = 0
    ) -> tuple[str, int]:
        return self.compiled().subn(repl, string, count)

    def split(self, string: str, maxsplit: int = 0) -> list[str | Any]:
        return self.compiled().split(string, maxsplit)

    def __repr__(self) -> str:
        return f"lazy({self.pattern!r}, {self.flags!r})"


_MADE: weakref.WeakSet[LazyPattern] = weakref.WeakSet()  # every pattern alive, for compile_all()


def compile_all() -> None:
    """Compile every pattern made so far: the daemon's server does it once it has imported the
    commands' modules, so a command it forks compiles none (patterns kept in a module's tuples and
    tables too, which a walk of the modules' names missed)."""
    for pattern in list(_MADE):
        try:
            pattern.compiled()
        except re.error:  # raised again where it is used, as without the daemon
            continue


def lazy(pattern: str, flags: int = 0) -> LazyPattern:
    """``re.compile(pattern, flags)``, compiled on the first match/search/... call."""
    return LazyPattern(pattern, flags)
