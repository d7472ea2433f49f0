"""The web probe of an image that also runs other processes: it asks only when the web start runs.

A compose file (or Procfile) often runs one image three ways: the web server, a Celery worker and
Celery beat, the last two by overriding the command. The image's HEALTHCHECK is inherited by all three;
a probe of the web port fails in the worker and the beat, so those containers turn unhealthy and an
orchestrator that acts on health restarts them. The probe therefore reads what the container runs:
PID 1's command line (``/proc/1/cmdline``: tini's, which holds the whole command it starts, or the
program's own when the image runs without tini) and asks the port only when it holds the words that
name the web start. Any other command of the image passes: it serves no port, and the container stops
when its program does.

The words are the shortest start of the web command's program words (the interpreter and ``-m``, or
an entrypoint script's ``sh entrypoint.sh``, dropped; each word's path dropped) that no other process's
command contains: ``gunicorn`` beside ``celery -A proj worker``; ``manage.py runserver`` beside
``manage.py rqworker``. When every start of the web command is inside another command, nothing tells
them apart and the probe stays as it is (its reason says to disable it for the others in compose).

The check is Python (the runtime has no shell tools to rely on: no pgrep, no curl) and runs before the
probe's own code, in the same one-liner: ``'gunicorn' in t or sys.exit(0)``.
"""

from __future__ import annotations

import re

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


def gate_words(start: tuple[str, ...], others: tuple[tuple[str, ...], ...]) -> tuple[str, ...] | None:
    """The fewest leading program words of ``start`` that no command in ``others`` contains, or None."""
    own = program_words(start)
    theirs = [words(o) for o in others if o]
    if not own or not theirs:
        return None
    for n in range(1, len(own) + 1):
        part = own[:n]
        if not any(_inside(part, t) for t in theirs):
            return tuple(part)
    return None


def gate_code(gate: tuple[str, ...]) -> str:
    """Python statements that end the probe with success unless PID 1's command holds ``gate``."""
    if len(gate) == 1:
        test = f"{gate[0]!r} in t"
    else:
        test = f"any(t[i:i + {len(gate)}] == {list(gate)!r} for i in range(len(t)))"
    return f"import sys; {_WORDS}; {test} or sys.exit(0); "
