"""Compose's interpolation of a service's values, as the planned image can carry them.

What it does
    Compose puts variables into every value of the file before it runs anything
    (https://docs.docker.com/reference/compose-file/interpolation/): ``$$`` is a ``$``, ``${VAR:-default}``
    and ``${VAR-default}`` give the default where VAR is unset (as it is in the image); any other ``$VAR``,
    ``${VAR}``, ``${VAR:?error}`` is the host's value at ``docker compose up``. :func:`interpolated` reads
    a setting's value (None when part of it is the host's); :func:`command_words` reads a ``command:`` or
    ``entrypoint:`` (a string or a list of words): the defaults put in, and each host variable left for the
    container's shell to read from its environment at start (``docker run -e VAR=...``), unless the
    program word itself is one, which the image cannot know.

Why is this bad?
    Taken as written, a list ``command: ["gunicorn", "-b", "0.0.0.0:${PORT:-5000}", "app:app"]`` became an
    exec-form ``CMD`` that hands gunicorn the text ``0.0.0.0:${PORT:-5000}`` (no shell reads it: the start
    stops), and ``${SERVER:-gunicorn} app:app`` named no program.

Example
    ``gunicorn -w ${WORKERS} -b 0.0.0.0:${PORT:-5000} app:app`` -> ``gunicorn -w ${WORKERS} -b
    0.0.0.0:5000 app:app`` (``WORKERS``: the host's, read by the container's shell at start).

Use instead
    Nothing to change in the repository.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass

_INTERPOLATION = re.compile(r"\$\$|\$\{\w+:?-([^}$]*)\}|\$\{[^}]*\}?|\$\w+")
_NAME = re.compile(r"\$\{?(\w+)")


def interpolated(value: str) -> str | None:
    """A compose value as the image may carry it: compose's defaults put in, ``$$`` a ``$``; None when a
    part of it is the host's (``${LOCAL_TIMEZONE}``), which the image cannot know."""
    found = _put(value)
    return None if found[1] else found[0]


def _put(value: str) -> tuple[str, tuple[str, ...]]:
    """``value`` with the defaults put in and ``$$`` made ``$``, the host's variables left as written; and
    the names of those."""
    host: list[str] = []

    def put(match: re.Match[str]) -> str:
        if match.group(0) == "$$":
            return "$"
        if match.group(1) is not None:
            return match.group(1)
        name = _NAME.match(match.group(0))
        host.append(name.group(1) if name else match.group(0))
        return match.group(0)

    return _INTERPOLATION.sub(put, value), tuple(dict.fromkeys(host))


@dataclass(frozen=True)
class ComposeCommand:
    """A service's ``command:``/``entrypoint:`` after compose's interpolation."""

    value: str | list[str]  # the string or words, with the defaults put in
    host: tuple[str, ...]  # the host's variables (no default) the words still name
    program_needs: bool  # the program word is (or holds) one of those: the image cannot know it


def command_words(value: str | list[str]) -> ComposeCommand:
    """A ``command:`` (a string compose splits itself, or a list of words) with compose's defaults put in;
    a list whose words name a host variable becomes one ``sh -c`` line (its shell reads the variable at
    start; each such word double-quoted, the others quoted as they are)."""
    if isinstance(value, str):
        text, host = _put(value)
        return ComposeCommand(text, host, bool(host) and _first_needs(text))
    words = [_put(w) for w in value]
    host = tuple(dict.fromkeys(n for _, names in words for n in names))
    if not host:
        return ComposeCommand([w for w, _ in words], (), False)
    program_needs = bool(words[0][1]) or (
        len(words) > 2 and words[1][0] == "-c" and _first_needs(words[2][0])
    )
    line = " ".join(double_quoted(w) if names else shlex.quote(w) for w, names in words)
    return ComposeCommand(line, host, program_needs)


def double_quoted(word: str) -> str:
    """``word`` in double quotes: its ``$`` read by the shell, nothing else."""
    return '"' + word.replace("\\", "\\\\").replace('"', '\\"').replace("`", "\\`") + '"'


def _first_needs(line: str) -> bool:
    """Whether the first word of ``line`` that is no ``NAME=value`` assignment holds a ``$``
    (``sh -c "..."``: the first of its line's)."""
    try:
        words = shlex.split(line)
    except ValueError:
        words = line.split()
    if len(words) > 2 and words[0].rsplit("/", 1)[-1] in ("sh", "bash") and words[1] == "-c":
        return _first_needs(words[2])
    program = next((w for w in words if not re.match(r"^\w+=", w)), "")
    return "$" in program
