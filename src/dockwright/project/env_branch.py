"""A start script that serves in development or production by an environment variable.

What it does
    A shell script a repository command runs (compose's ``command: sh scripts/start.sh``, a Procfile
    line, the own image's entry script) whose top-level ``if`` tests an environment variable against a
    word (``if [ "$MODE" != "prod" ]; then ... runserver ...; else ... gunicorn ...; fi``), one branch
    starting a development server and the other not: the start is the production branch, inline, with
    the lines around the ``if``: ``/bin/sh -c "python manage.py migrate --noinput; exec gunicorn ..."``
    (``exec`` added to a server run as the shell's child, as for a plain script: entry_steps.py). The
    branch the service's own environment picks (compose's ``environment: MODE: prod``) is the one taken;
    a service whose environment picks the development branch is left as it was (refused as a
    development start). The variable is set when only its value picks the production branch
    (``MODE=prod``), so the settings that read it see production too.

Why is this bad?
    Refused whole for its development line, the script's production steps were lost with it: the image
    started the framework's default server without the script's migrations and collectstatic, and
    served 500s under the production settings.

Example
    ``scripts/start.sh``: ``if [ "$MODE" != "prod" ]; then python manage.py runserver 0.0.0.0:8000;
    else python manage.py migrate --noinput; gunicorn shop.wsgi:application --bind 0.0.0.0:8000; fi``
    -> ``/bin/sh -c "python manage.py migrate --noinput; exec gunicorn shop.wsgi:application --bind
    0.0.0.0:8000"`` with ``MODE=prod``.

Use instead
    Nothing to change; ``--start`` gives another start.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from dockwright.lazy_re import lazy
from dockwright.project.detectors.base import DEV_SERVER
from dockwright.project.entry_steps import branch_inline

_VAR = r"""["']?\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?["']?"""
_WORD = r"""["']?([\w.:-]+)["']?"""
_TEST = lazy(rf"^if\s+(?:\[\[?|test)\s+{_VAR}\s+(==?|!=)\s+{_WORD}\s*(?:\]\]?)?\s*(;\s*then)?$")


@dataclass(frozen=True)
class EnvBranch:
    command: tuple[str, ...]
    variable: str
    value: str | None  # what the image sets the variable to; None when unset picks the branch too
    line: int  # the `if` line
    why: str


def production_branch(text: str, env: Mapping[str, str]) -> EnvBranch | None:
    """The script's production branch as the start (module docstring), else None."""
    lines = text.replace("\\\n", " ").splitlines()
    found = _top_if(lines)
    if found is None:
        return None
    start, end, middle, (variable, op, word) = found
    then, other = lines[start + 1 : middle], lines[middle + 1 : end]
    if lines[start + 1 : start + 2] and lines[start + 1].strip() == "then":
        then = then[1:]
    dev_then, dev_other = _develops(then), _develops(other)
    if dev_then == dev_other:
        return None
    equal = op != "!="  # the `then` branch runs when the variable is the word
    given = env.get(variable)
    if given is not None and (dev_then if (given == word) == equal else dev_other):
        return None  # the service's own environment runs the development branch
    production_then = not dev_then
    chosen = then if production_then else other
    # the variable is set when only its value takes the production branch (`then` with `=`, `else` with `!=`)
    value = given if given is not None else (word if production_then == equal else None)
    script = "\n".join([*lines[:start], *chosen, *lines[end + 1 :]])
    command = branch_inline(script)
    if command is None:
        return None
    said = f"{variable}={value}" if value is not None else f"{variable} other than {word}"
    why = (
        f"the script serves in production when {said} (line {start + 1}); its other branch starts a "
        "development server: the production branch runs, inline"
    )
    return EnvBranch(command, variable, value, start + 1, why)


def _top_if(lines: list[str]) -> tuple[int, int, int, tuple[str, str, str]] | None:
    """(if line, fi line, else line, (variable, operator, word)) of the script's first top-level ``if``
    that tests a variable, with one ``else`` and no ``elif``; None otherwise (0-based lines)."""
    for index, raw in enumerate(lines):
        test = _TEST.match(raw.split("#", 1)[0].strip())
        if test is None:
            continue
        if not test.group(4) and (index + 1 >= len(lines) or lines[index + 1].strip() != "then"):
            return None
        depth, middle = 0, None
        for later in range(index + 1, len(lines)):
            words = lines[later].split("#", 1)[0].strip()
            head = re.split(r"[\s;]", words, maxsplit=1)[0] if words else ""
            if head in ("if", "case"):
                depth += 1
            elif head in ("fi", "esac") and depth:
                depth -= 1
            elif head == "elif" and not depth:
                return None
            elif head == "else" and not depth:
                middle = later
            elif head == "fi" and not depth:
                tested = (test.group(1), test.group(2), test.group(3))
                return (index, later, middle, tested) if middle is not None else None
        return None
    return None


def _develops(lines: list[str]) -> bool:
    return any(DEV_SERVER.search(line.split("#", 1)[0]) for line in lines)


def shell_script(command: tuple[str, ...]) -> str | None:
    """The project script a command runs through a shell or directly (``sh scripts/start.sh``,
    ``./start.sh``), else None."""
    if not command:
        return None
    if command[0].rsplit("/", 1)[-1] in ("sh", "bash") and len(command) == 2:
        script = command[1]
    elif len(command) == 1:
        script = command[0]
    else:
        return None
    script = script.removeprefix("./")
    return script if script.endswith(".sh") or "/" in script else None
