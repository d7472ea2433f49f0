"""The one gate every project-derived value passes before it lands in a generated file.

A Dockerfile, a ``.dockerignore`` and a requirements lock are line-oriented: a newline (or any other
control character) in a version, a URL, a path or a package name would end the line and start a new
instruction (``RUN ...``), a new ignore rule (``!.env``) or a new pip option (``--index-url ...``).
Such values are refused with one line naming the field; quoting for each context (``dq`` for ENV,
ARG and LABEL values, JSON for exec form) is done by the template filters in ``render.py``.

The template environment calls :func:`check_text` on every attribute a template reads from the plan
(see ``render._environment``), so no template can forget it. It sits below every layer that
writes project-derived text (it imports only ``errors``): ``plan`` escapes .dockerignore lines with
:func:`ignore_line`, ``lock`` checks the lock it writes, ``render`` checks what templates read.
"""

from __future__ import annotations

import re
from typing import Any

from dockwright.errors import PlanError

# Unicode's category Cc is exactly C0, DEL and C1 (65 code points, unchanged since Unicode 1.1), plus
# the line and paragraph separators: one search, where a loop over unicodedata.category took ~4 ms of
# a planning (it checks every value a template reads).
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_CONTINUATION = re.compile(r"\\\n +")  # "\\" newline indent: the same instruction goes on (wrapped commands)


def control_character(text: str) -> str | None:
    """The first control character in ``text`` (C0, DEL, C1, Unicode line separators), else None."""
    found = _CONTROL.search(text)
    return None if found is None else found.group()


def check_text(value: Any, field: str) -> None:
    """Raise a one-line :class:`PlanError` naming ``field`` when a string (or a tuple/list of strings,
    at any depth) holds a control character; anything else passes."""
    if isinstance(value, str):
        char = control_character(_CONTINUATION.sub(" ", value))
        if char is not None:
            shown = value if len(value) <= 60 else value[:57] + "..."
            raise PlanError(
                f"{field} contains a control character ({char!r}) and cannot be written into a "
                f"generated file: {shown!r}"
            )
    elif isinstance(value, (tuple, list)):
        for item in value:
            check_text(item, field)


def ignore_line(path: str) -> str:
    """A literal path as a .dockerignore pattern: glob characters and a leading ``#``/``!`` escaped."""
    check_text(path, f".dockerignore entry {path[:40]!r}")
    escaped = re.sub(r"([\\*?\[\]])", r"\\\1", path)
    return "\\" + escaped if escaped.startswith(("#", "!")) else escaped
