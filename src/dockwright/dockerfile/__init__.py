"""Dockerfile parsing: a faithful, span-preserving model of BuildKit's syntax.

``parse(text)`` / ``parse_file(path)`` return a :class:`Dockerfile` (see ``syntax.py``);
they never raise on bad input -- problems are ``Dockerfile.errors``. ``shell.py`` has
tolerant helpers to look inside RUN scripts (``shell_commands``, ``run_script``).
The parser is checked against BuildKit's own Go parser in ``tests/dockerfile``.
"""

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
