"""A shell line's lists and pipes, read outside quotes: one splitter for the planner's ``sh -c`` starts
(``project/detectors/base.py``), the start's ``cd`` reader (:func:`cd_folder`: ``project/start_cwd.py``,
the entry scripts' steps, the scripts Alembic's note reads) and the audit's signals check, none of which
may cut ``--name 'a;b'`` in two.

POSIX "Lists" separate commands with ``&&``, ``||``, ``;`` and newlines; a ``|`` joins the commands of
one pipeline. Inside single quotes nothing is special; inside double quotes and outside quotes a
backslash takes the next character literally
(https://pubs.opengroup.org/onlinepubs/9799919799/utilities/V3_chap02.html#tag_19_02). Standard library
only: the audit imports it without the planner.
"""

from __future__ import annotations

import shlex
from collections.abc import Iterator

SEPARATORS = ("&&", "||", ";", "\n")


def _unquoted(line: str) -> Iterator[int]:
    """The index of each character of ``line`` outside quotes and not escaped by a backslash."""
    index = 0
    quote = ""
    while index < len(line):
        char = line[index]
        if char == "\\" and quote != "'":
            index += 2  # an escaped character: a separator or quote of no effect
            continue
        if quote:
            quote = "" if char == quote else quote
        elif char in "'\"":
            quote = char
        else:
            yield index
        index += 1


def split_lists(line: str) -> list[str]:
    """``line`` split at ``&&``, ``||``, ``;`` and newlines outside quotes, the separators kept as items
    (``"".join`` gives ``line`` back): ``a && b 'c;d'`` -> ``["a ", "&&", " b 'c;d'"]``."""
    parts: list[str] = []
    start = skip = 0
    for index in _unquoted(line):
        if index < skip:
            continue  # the second character of `&&` / `||`
        separator = next((s for s in SEPARATORS if line.startswith(s, index)), None)
        if separator is not None:
            parts += [line[start:index], separator]
            start = skip = index + len(separator)
    return [*parts, line[start:]]


def commands(line: str) -> list[str]:
    """The commands of ``line``'s lists, stripped, in order (separators and the empty ones a line break
    after a separator leaves, ``a &&\\n b``, left out); ``[""]`` for a blank line."""
    found = [part.strip() for part in split_lists(line) if part not in SEPARATORS and part.strip()]
    return found or [""]


def pipeline(command: str) -> list[str]:
    """The commands of one item of :func:`commands` joined by ``|`` outside quotes, stripped:
    ``a 'x|y' | b`` -> ``["a 'x|y'", "b"]``."""
    cuts = [index for index in _unquoted(command) if command[index] == "|"]
    bounds = zip([-1, *cuts], [*cuts, len(command)], strict=True)
    return [command[start + 1 : end].strip() for start, end in bounds]


def has_operator(command: str, operator: str) -> bool:
    """``operator`` (one character: ``|``, ``&``, ``>``) occurs in ``command`` (one item of
    :func:`commands`: no ``||`` left in it) outside quotes."""
    return any(command[index] == operator for index in _unquoted(command))


def cd_folder(command: str) -> str | None:
    """The folder one command of a list enters, as written (``cd app``, ``cd "my app"``, ``cd /srv``),
    else None (no ``cd``, ``cd`` alone or with options, unbalanced quotes)."""
    try:
        words = shlex.split(command)
    except ValueError:
        return None
    return words[1] if len(words) == 2 and words[0] == "cd" else None
