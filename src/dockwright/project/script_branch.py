"""The argument an entry script's server line needs: ``if [ "$1" = "run" ]; then ... exec gunicorn``.

Entry scripts often serve only when told (``ENTRYPOINT ["app"]`` with ``CMD ["run"]`` in the
project's image) and hand any other argument to ``manage.py`` or a CLI. Run without that word, the
script takes its other branch: it prints a help text and exits 0 (rw37: ephios's image shape). This
reads the test around the line: the innermost ``if``/``elif`` testing ``$1`` for equality with one word
(``[ "$1" = run ]``, ``[[ $1 == "run" ]]``, ``test "$1" = run``), or the ``case "$1" in`` pattern
the line sits under (``run)``, ``run|serve)``: its first word). None when the line is under no such
test, or under one the first argument must not match (``!=``, ``*)``).
"""

from __future__ import annotations

import re

from dockwright.lazy_re import lazy

# how the start's evidence names the argument (plan/start.py reads it: the script is no wrapper then)
ARGUMENT_SAID = "when its first argument is"

_FIRST = r"""["']?\$(?:1|\{1\})["']?"""
_WORD = r"""["']?([A-Za-z0-9][\w.:-]*)["']?"""
_TEST = lazy(
    rf"""^(?:el)?if\s+(?:\[\[?|test)\s+(?:{_FIRST}\s+==?\s+{_WORD}|{_WORD}\s+==?\s+{_FIRST})\s*(?:\]\]?)?\s*(?:;|$)"""
)
_OPENS_IF = lazy(r"^if\b")
_CASE = lazy(rf"^case\s+{_FIRST}\s+in\b")
_PATTERN = lazy(r"""^\(?\s*["']?(\*|[A-Za-z0-9][\w.:-]*)["']?\s*(?:\|[^)]*)?\)""")


def branch_argument(text: str, line: int) -> str | None:
    """The word the script's first argument must be for its line ``line`` (1-based) to run (module
    notes), else None."""
    lines = [raw.split("#", 1)[0].strip() for raw in text.replace("\\\n", " ").splitlines()]
    if not 0 < line <= len(lines):
        return None
    scanned = [*lines[: line - 1], lines[line - 1].split("exec ", 1)[0]]  # `run) exec gunicorn ...`
    # the blocks open at the line, innermost last: ("arg", word) an `if` or `case` branch taken for that
    # first argument; ("stop", None) a branch taken for any other (`else`, `*)`); ("other", None) a
    # test of something else, or a `case` on another word
    blocks: list[tuple[str, str | None]] = []
    for stripped in scanned:
        for part in (p.strip() for p in re.split(r";", stripped)):
            test = _TEST.match(part)
            if _OPENS_IF.match(part):
                blocks.append(("arg", test.group(1) or test.group(2)) if test else ("other", None))
            elif part.startswith("elif") and blocks:
                blocks[-1] = ("arg", test.group(1) or test.group(2)) if test else ("other", None)
            elif part == "else" and blocks and blocks[-1][0] in ("arg", "stop"):
                blocks[-1] = ("stop", None)
            elif part in ("fi", "esac") and blocks:
                blocks.pop()
            elif _CASE.match(part):
                blocks.append(("stop", None))  # before its first pattern
            elif part.startswith("case "):
                blocks.append(("other", None))
            elif blocks and blocks[-1][0] in ("arg", "stop") and (pattern := _PATTERN.match(part)):
                word = pattern.group(1)
                blocks[-1] = ("stop", None) if word == "*" else ("arg", word)
    for kind, word in reversed(blocks):
        if kind != "other":
            return word
    return None
