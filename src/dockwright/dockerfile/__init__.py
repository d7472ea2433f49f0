"""Dockerfile parsing: a faithful, span-preserving model of BuildKit's syntax.

``parse(text)`` / ``parse_file(path)`` return a :class:`Dockerfile` (see ``syntax.py``);
they never raise on bad input -- problems are ``Dockerfile.errors``. ``shell.py`` has
tolerant helpers to look inside RUN scripts (``shell_commands``, ``run_script``).
The parser is checked against BuildKit's own Go parser in ``tests/dockerfile``.

The names below load on first use (PEP 562): ``dockwright.dockerfile.ignore`` (the .dockerignore
matcher the audit's secret patterns use) does not load the parser, 25-65 ms of imports that an
audit ran while the engine exported the image.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from dockwright.dockerfile.parser import parse, parse_file
    from dockwright.dockerfile.syntax import (
        Comment,
        Directive,
        Dockerfile,
        Flag,
        Heredoc,
        Instruction,
        ParseError,
        Span,
        Stage,
    )

_HOME = {
    "Comment": "syntax",
    "Directive": "syntax",
    "Dockerfile": "syntax",
    "Flag": "syntax",
    "Heredoc": "syntax",
    "Instruction": "syntax",
    "ParseError": "syntax",
    "Span": "syntax",
    "Stage": "syntax",
    "parse": "parser",
    "parse_file": "parser",
}

__all__ = [
    "Comment",
    "Directive",
    "Dockerfile",
    "Flag",
    "Heredoc",
    "Instruction",
    "ParseError",
    "Span",
    "Stage",
    "parse",
    "parse_file",
]


def __getattr__(name: str) -> Any:
    import importlib

    if name not in _HOME:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{_HOME[name]}"), name)
