"""The web probe of an image that also runs other processes: those pass, the web start is asked.

A compose file (or Procfile) often runs one image three ways: the web server, a Celery worker and
Celery beat, the last two by overriding the command. The image's HEALTHCHECK is inherited by all three;
a probe of the web port fails in the worker and the beat, so those containers turn unhealthy and an
orchestrator that acts on health restarts them. The probe therefore reads what the container runs:
PID 1's command line (``/proc/1/cmdline``: tini's, which holds the whole command it starts, or the
program's own when the image runs without tini), and passes without asking the port when it holds the
words of one of the project's other processes and not the web start's. Everything else is asked as
before: the web start, another web server a compose file runs from the image (``manage.py runserver``
listens on the same port), and commands the project never names (no silent pass for them).

A command's words are the shortest start of its program words (the interpreter and ``-m``, or an
entrypoint script's ``sh entrypoint.sh``, dropped; each word's path dropped) that the other side's
command does not contain: ``celery`` for ``celery -A proj worker`` beside ``gunicorn ...``;
``manage.py rqworker`` beside ``manage.py runserver``. A process whose every start is inside the web
command cannot be told apart and is asked (the reason says to disable the probe for it in compose).

The check is Python (the runtime has no shell tools to rely on: no pgrep, no curl) and runs before the
probe's own code, in the same one-liner.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# an interpreter word: python, python3, python3.12 (its path dropped)
_PYTHON = re.compile(r"python(\d+(\.\d+)?)?")
_SHELLS = ("sh", "bash")
# the Python probe's words of PID 1's command line: NUL-separated, each also split at spaces (a
# `sh -c "migrate && exec gunicorn ..."` command is one word), each word without its path
_WORDS = (
    "t = [w.rsplit('/', 1)[-1] for w in "
    "open('/proc/1/cmdline', errors='replace').read().replace(chr(0), ' ').split()]"
)


def words(argv: tuple[str, ...]) -> list[str]:
    """The words the probe compares: each argument split at spaces, without its path."""
    return [w.rsplit("/", 1)[-1] for a in argv for w in a.split()]


def program_words(argv: tuple[str, ...]) -> list[str]:
    """The command's words from its program on: ``python -u -m uvicorn app:app`` -> ``uvicorn app:app``;
    ``sh boot.sh`` -> ``boot.sh``; the repository's ``sh entrypoint.sh`` before a start is dropped (its
    ``exec "$@"`` runs the start)."""
    out = words(argv)
    if len(out) > 1 and out[0] in _SHELLS and out[1].endswith(".sh"):
        # `sh boot.sh`: the script names the start; `sh entrypoint.sh gunicorn ...`: what it execs
        out = out[1:] if len(out) == 2 else out[2:]
    if out and _PYTHON.fullmatch(out[0]):
        out = out[1:]
        while out and out[0].startswith("-"):
            option = out.pop(0)
            if option == "-m":
                break
    return out


def _inside(part: list[str], whole: list[str]) -> bool:
    n = len(part)
    return any(whole[i : i + n] == part for i in range(len(whole) - n + 1))


def _distinct(own: list[str], theirs: list[list[str]]) -> tuple[str, ...] | None:
    """The fewest leading words of ``own`` that no command in ``theirs`` contains, or None."""
    for n in range(1, len(own) + 1):
        if not any(_inside(own[:n], t) for t in theirs):
            return tuple(own[:n])
    return None


@dataclass(frozen=True)
class Gate:
    """What the probe looks for in PID 1's command line."""

    web: tuple[str, ...]  # the web start's words; () when each of its starts is inside another command
    others: tuple[tuple[str, ...], ...]  # the words of each other process the web start does not hold
    unknown: tuple[str, ...] = ()  # other commands that cannot be told from the web start (asked)


def gate(start: tuple[str, ...], others: tuple[tuple[str, ...], ...]) -> Gate | None:
    """The gate of the web start ``start`` beside ``others``; None when no other can be told apart."""
    theirs = [o for o in others if o]
    if not start or not theirs:
        return None
    running = ["tini", "--", *words(start)]  # PID 1's words while the web start runs
    found: list[tuple[str, ...]] = []
    unknown: list[str] = []
    for other in theirs:
        part = _distinct(program_words(other), [running])
        if part is None:
            unknown.append(" ".join(other))
        elif part not in found:
            found.append(part)
    if not found:
        return None
    web = _distinct(program_words(start), [words(o) for o in theirs]) or ()
    return Gate(web, tuple(found), tuple(unknown))


def gate_code(gate: Gate) -> str:
    """Python statements that end the probe with success when PID 1 runs another process."""
    others = ", ".join(repr(list(o)) for o in gate.others)
    test = f"any(map(h, [{others}]))"
    if gate.web:
        test += f" and not h({list(gate.web)!r})"
    helper = "h = lambda s: any(t[i:i + len(s)] == s for i in range(len(t)))"
    return f"import sys; {_WORDS}; {helper}; {test} and sys.exit(0); "
