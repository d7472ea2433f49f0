"""A ``FROM`` reference with the defaults of the ``ARG``s declared before the first ``FROM`` put in.

BuildKit expands a ``FROM`` line with those global ``ARG``s (https://docs.docker.com/reference/dockerfile/
#understand-how-arg-and-from-interact): ``ARG PYTHON_VERSION=3.10`` then ``FROM
python:${PYTHON_VERSION}-slim`` builds on ``python:3.10-slim`` unless a build argument says otherwise.
Read as a plain ``docker build`` runs it: ``$NAME`` and ``${NAME}`` are the default (a global ``ARG``'s
default may itself name an earlier one); ``${NAME:-word}`` / ``${NAME-word}`` give ``word`` where NAME has
no value (``:-`` also where it is empty), ``${NAME:+word}`` / ``${NAME+word}`` give ``word`` only where it
has one. A name with no default (``ARG PYTHON_VERSION``, the builder's platform ``$TARGETARCH``) is the
builder's to give, so a reference naming it bare, or using another form (``${NAME#prefix}``), stays as
written.
"""

from __future__ import annotations

import re

from dockwright.dockerfile.syntax import Dockerfile, Stage

__all__ = ["base_image", "expand_args", "global_defaults", "resolved_image"]

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_OPERATORS = (":-", ":+", "-", "+")


def global_defaults(dockerfile: Dockerfile) -> dict[str, str]:
    """The value of each global ``ARG`` with a known default, in the order declared (a default naming
    an earlier one is expanded; one naming an unknown value leaves the name unknown)."""
    values: dict[str, str] = {}
    for instruction in dockerfile.global_args:
        for key, value in instruction.pairs:
            if value is None:
                continue  # declared with no default: the builder's (or an earlier declaration's)
            expanded = expand_args(value, values, dockerfile.escape)
            if expanded is None:
                values.pop(key, None)
            else:
                values[key] = expanded
    return values


def expand_args(text: str, values: dict[str, str], escape: str = "\\") -> str | None:
    """``text`` with its variables replaced from ``values`` (module docstring), or None when one is
    unknown or written in a form not read here."""
    out: list[str] = []
    pos, size = 0, len(text)
    while pos < size:
        char = text[pos]
        if char == escape and pos + 1 < size:
            out.append(text[pos + 1])
            pos += 2
            continue
        if char != "$" or pos + 1 == size:
            out.append(char)
            pos += 1
            continue
        bare = _NAME.match(text, pos + 1)
        if bare is not None:
            if bare.group() not in values:
                return None
            out.append(values[bare.group()])
            pos = bare.end()
            continue
        if text[pos + 1] != "{":
            out.append(char)
            pos += 1
            continue
        braced = _braced(text, pos, values, escape)
        if braced is None:
            return None
        value, pos = braced
        out.append(value)
    return "".join(out)


def _braced(text: str, start: int, values: dict[str, str], escape: str) -> tuple[str, int] | None:
    """The value of the ``${...}`` at ``start`` and the offset after it, or None (unknown, or a form
    not read here)."""
    name = _NAME.match(text, start + 2)
    if name is None:
        return None
    pos = name.end()
    if text.startswith("}", pos):
        value = values.get(name.group())
        return None if value is None else (value, pos + 1)
    operator = next((op for op in _OPERATORS if text.startswith(op, pos)), None)
    if operator is None:
        return None
    word_start = pos + len(operator)
    end = _closing(text, word_start, escape)
    if end is None:
        return None
    word = expand_args(text[word_start:end], values, escape)
    if word is None:
        return None
    value = values.get(name.group())
    if value is not None and (value or not operator.startswith(":")):
        return (value if operator.endswith("-") else word), end + 1
    return (word if operator.endswith("-") else ""), end + 1


def _closing(text: str, pos: int, escape: str) -> int | None:
    """The offset of the ``}`` closing a ``${`` whose word starts at ``pos`` (nested ones skipped)."""
    depth = 1
    while pos < len(text):
        if text[pos] == escape:
            pos += 2
            continue
        if text.startswith("${", pos):
            depth += 1
            pos += 2
            continue
        if text[pos] == "}":
            depth -= 1
            if depth == 0:
                return pos
        pos += 1
    return None


def resolved_image(dockerfile: Dockerfile, image: str) -> str:
    """A ``FROM`` reference with the global ``ARG`` defaults put in; as written when it names none, or
    one whose value the builder gives."""
    if "$" not in image:
        return image
    expanded = expand_args(image, global_defaults(dockerfile), dockerfile.escape)
    return image if expanded is None else expanded


def base_image(dockerfile: Dockerfile, stage: Stage) -> str:
    """The image (or earlier stage's name) ``stage`` is built ``FROM``, its global ``ARG`` defaults put
    in (:func:`resolved_image`)."""
    return resolved_image(dockerfile, stage.base_image)
