"""Dockerfile parsing: a faithful, span-preserving model of BuildKit's syntax."""

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
