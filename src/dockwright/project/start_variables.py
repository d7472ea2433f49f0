"""Variables the start command expands without a default.

What it finds
    ``$NAME`` and ``${NAME}`` in the start's words (a ``sh -c`` line read as the shell reads it), outside
    single quotes, that the line does not assign itself (``N=$(nproc) && ...``, ``export N=1``) and that
    carry no default (``${NAME:-x}``, ``${NAME-x}``).

Why is this bad?
    Unset, the word is empty: ``gunicorn -w "$GUNICORN_WORKERS"`` stops on "invalid int value: ''" and an
    unquoted ``-w $WORKERS`` shifts the next option into its place. A platform or compose ``env_file``
    gave the value; a container started on its own has none.

Example
    ``exec gunicorn -w "$GUNICORN_WORKERS" app.asgi:application`` -> ``GUNICORN_WORKERS`` is required.

Use instead
    Pass the variables at ``docker run -e``; the plan lists them and the image sets none.
"""

from __future__ import annotations

import re

from dockwright.shell_lists import commands

# `$NAME`, `${NAME}`, `${NAME:-x}`/`${NAME-x}`/`${NAME:=x}`/`${NAME:?x}`...: the name, and the operator
_EXPANSION = re.compile(r"\$(?:\{([A-Za-z_][A-Za-z0-9_]*)([^}]*)\}|([A-Za-z_][A-Za-z0-9_]*))")
_ASSIGNED = re.compile(r"(?:^|[\s;&|(])(?:export\s+|local\s+|readonly\s+)?([A-Za-z_][A-Za-z0-9_]*)=")
_SINGLE_QUOTED = re.compile(r"'[^']*'")
# the shell's own and the ones every container has
_SHELL = frozenset({"HOME", "PATH", "PWD", "OLDPWD", "HOSTNAME", "USER", "SHELL", "IFS", "RANDOM", "UID"})


def expanded_without_default(command: tuple[str, ...]) -> list[str]:
    """The variables ``command`` expands with no default and does not assign, in order, once each."""
    shell = len(command) >= 3 and command[0].rsplit("/", 1)[-1] in ("sh", "bash") and command[1] == "-c"
    text = command[2] if shell else " ".join(command)
    assigned = {m.group(1) for line in commands(text) for m in _ASSIGNED.finditer(line)} if shell else set()
    found: list[str] = []
    for match in _EXPANSION.finditer(_SINGLE_QUOTED.sub("''", text) if shell else text):
        name = match.group(1) or match.group(3)
        operator = match.group(2) or ""
        if operator.startswith((":-", "-", ":=", "=", ":+", "+")) or name in assigned | _SHELL:
            continue
        if name not in found:
            found.append(name)
    return found
