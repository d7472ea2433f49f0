"""Modules written with Python 3.12's type parameter syntax, read by the running interpreter's grammar.

What it does
    dockwright's app detector parses the project's modules with the ``ast`` of the Python that runs it
    (3.11 on the oldest supported). PEP 695 (Python 3.12) added syntax that grammar rejects: the ``type``
    statement (``type UserId = int``, ``type Pair[T] = tuple[T, T]``) and type parameter lists on
    classes and functions (``class Repo[T](Base):``, ``def first[T](items: list[T]) -> T:``). None of it
    tells how the app starts; it only made the whole module unreadable, so an app object, a route or a
    setting in such a module was not seen. When a module does not parse, :func:`parse` rewrites those
    constructs in a copy, keeping every line where it was (a ``type`` statement becomes an assignment
    of the same name, a parameter list written on one line is blanked), and parses the copy.

    A module whose other syntax the grammar lacks (3.12's nested f-string quotes, 3.14's template
    strings) still does not parse: the detector notes it, as before.

Why is this bad?
    An application factory or settings class in a module that also declares ``type Handler = ...`` was
    invisible: the plan fell back to another candidate or stopped with "cannot tell how the app starts".

Example
    ``class Store[T](Protocol): ...`` reads as ``class Store(Protocol): ...``; ``type Key = str`` as
    ``Key = str``. Sources: https://peps.python.org/pep-0695/,
    https://docs.python.org/3/reference/simple_stmts.html#the-type-statement.
"""

from __future__ import annotations

import ast
import re

# `type Name = ...` / `type Name[T] = ...` at the start of a statement (the soft keyword, then a name)
_TYPE_STATEMENT = re.compile(r"^(?P<indent>[ \t]*)type[ \t]+(?P<name>[A-Za-z_]\w*)[ \t]*(?=[\[=])")
# `class Name[` / `def name[` / `async def name[`: a type parameter list opens right after the name
_GENERIC_HEAD = re.compile(r"^[ \t]*(?:async[ \t]+)?(?:class|def)[ \t]+[A-Za-z_]\w*[ \t]*(?=\[)")


def _close(line: str, start: int) -> int | None:
    """The index just past the bracket that closes the one at ``start`` on the same line, or None."""
    depth = 0
    for i in range(start, len(line)):
        if line[i] in "[(":
            depth += 1
        elif line[i] in "])":
            depth -= 1
            if depth == 0:
                return i + 1
    return None


def downlevel(source: str) -> str:
    """``source`` with PEP 695 constructs written for the 3.11 grammar, line for line."""
    out: list[str] = []
    for line in source.splitlines(keepends=True):
        statement = _TYPE_STATEMENT.match(line)
        if statement:
            rest = line[statement.end() :]
            if rest.startswith("["):
                end = _close(rest, 0)
                rest = rest[end:] if end is not None else rest
            line = f"{statement.group('indent')}{statement.group('name')} {rest.lstrip()}"
        else:
            head = _GENERIC_HEAD.match(line)
            if head:
                end = _close(line, head.end())
                if end is not None:
                    line = line[: head.end()] + line[end:]
        out.append(line)
    return "".join(out)


def parse(source: str, filename: str = "<unknown>") -> ast.Module:
    """``ast.parse``; on a ``SyntaxError``, the module read once more with its PEP 695 constructs
    rewritten (:func:`downlevel`). Raises the first error when the rewrite does not help."""
    return parse_as_written(source, filename)[0]


def parse_as_written(source: str, filename: str = "<unknown>") -> tuple[ast.Module, bool]:
    """:func:`parse`, and whether this interpreter's grammar read the source as written (False: only
    with its PEP 695 constructs rewritten)."""
    try:
        return ast.parse(source, filename=filename), True
    except SyntaxError as first:
        rewritten = downlevel(source)
        if rewritten == source:
            raise
        try:
            return ast.parse(rewritten, filename=filename), False
        except SyntaxError:
            raise first from None
