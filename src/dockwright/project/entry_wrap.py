"""An entry script that ends by ``exec``-ing the very server a Procfile, compose or deploy command
starts is the container's start: it ranks before that command.

What it does
    For each entry-script candidate (``boot.sh``, ``docker-entrypoint.sh`` ...), finds a stronger
    candidate of the same kind from a Procfile, compose file or deploy descriptor that runs only the
    server, with the program and app target (``module:app``) the script's ``exec`` line runs, and moves
    the script right before it, with a note naming both lines. A command that runs its own steps first
    (``flask db upgrade; gunicorn ...``) already does what the script adds, and keeps its rank. A script
    whose ``exec`` line runs no known server (``exec python -m bot``) wraps a repository command or a
    systemd/supervisord program that runs exactly that command line: such a source says the program
    runs for good (a bot, a consumer), so the script takes its kind (worker) and its place.

Why is this bad?
    The Procfile's ``web:`` line is a platform's start: Heroku runs migrations in a ``release:`` phase or
    an app.json ``postdeploy`` script, which a container never runs. A script shipped beside it that runs
    the same server after ``alembic upgrade head`` / ``flask db upgrade`` is what the repository's own
    image starts; without it the container serves from an empty database (every query a 500).

Example
    ``Procfile: web: gunicorn shop:app`` and ``boot.sh: flask db upgrade; exec gunicorn -b :5000 shop:app``
    -> the image runs ``sh boot.sh``. ``bot.service: ExecStart=/srv/.venv/bin/python -m bot`` and
    ``docker-entrypoint.sh: alembic upgrade head; exec python -m bot`` -> the image runs
    ``bash docker-entrypoint.sh``, a worker.

Use instead
    Nothing to change in the repository; ``--process``/``--start`` still choose another start.
"""

from __future__ import annotations

import dataclasses
import re
import shlex
from collections.abc import Callable

from dockwright.project.detectors.base import REPOSITORY_COMMANDS, Candidate, move_before
from dockwright.project.detectors.servers import last_command
from dockwright.python_program import PYTHON_PROGRAM

# Sources that say a program runs for good, without saying it is a server.
_SERVICE_SOURCES = (*REPOSITORY_COMMANDS, "systemd", "supervisord")

_TARGET = re.compile(r"^[A-Za-z_][A-Za-z0-9_.]*:[A-Za-z_][A-Za-z0-9_]*(\(.*\))?$")


def _program_and_targets(argv: tuple[str, ...]) -> tuple[str, frozenset[str]] | None:
    if not argv:
        return None
    targets = frozenset(a for a in argv[1:] if _TARGET.match(a))
    return (argv[0].rsplit("/", 1)[-1], targets) if targets else None


def _exec_of(script: Candidate) -> tuple[str, frozenset[str]] | None:
    try:
        return _program_and_targets(tuple(shlex.split(script.target)))
    except ValueError:
        return None


def _wraps(c: Candidate, kind: str, runs: tuple[str, frozenset[str]]) -> bool:
    """Whether repository command ``c`` is the bare server a script execs: the same program and target,
    nothing run before it (a command with its own steps, ``flask db upgrade; gunicorn ...``, stays)."""
    same = _program_and_targets(c.command) == runs
    return c.source in REPOSITORY_COMMANDS and c.kind == kind and _bare(c) and same


def _bare(c: Candidate) -> bool:
    """``c`` runs its program and nothing before it."""
    return bool(c.command) and last_command(c.command) == c.command


def _wrapped_by(kind: str, runs: tuple[str, frozenset[str]]) -> Callable[[Candidate], bool]:
    return lambda c: _wraps(c, kind, runs)


def _line(argv: tuple[str, ...]) -> tuple[str, ...]:
    """A command line as two sources would both spell it: the program without its install path, any
    ``python3``/``python3.12`` as ``python``."""
    if not argv:
        return argv
    program = argv[0].rsplit("/", 1)[-1]
    return ("python" if PYTHON_PROGRAM.match(program) else program, *argv[1:])


def _runs_for_good(line: tuple[str, ...]) -> Callable[[Candidate], bool]:
    """A service source (a Procfile worker, a systemd unit ...) running exactly ``line``, nothing first."""

    def selected(c: Candidate) -> bool:
        service = c.source in _SERVICE_SOURCES and c.kind in ("web", "worker")
        return service and _bare(c) and _line(c.command) == line

    return selected


def _exec_line(script: Candidate) -> tuple[str, ...]:
    try:
        return _line(tuple(shlex.split(script.target)))
    except ValueError:
        return ()


def promote_wrapping_scripts(ranked: list[Candidate], notes: list[str]) -> list[Candidate]:
    """``ranked`` with each entry script moved before the repository command it wraps."""
    out = list(ranked)
    for script in [c for c in ranked if c.source == "entry-script"]:
        runs = _exec_of(script)
        if runs is not None:
            wrapped = move_before(out, script, _wrapped_by(script.kind, runs))
        elif script.kind == "script" and _exec_line(script):
            wrapped = move_before(out, script, _runs_for_good(_exec_line(script)))
            if wrapped is not None:
                out[out.index(script)] = dataclasses.replace(script, kind=wrapped.kind)
        else:
            wrapped = None
        if wrapped is None:
            continue
        notes.append(
            f"{script.command[-1]} ends by running the {'server' if wrapped.kind == 'web' else 'program'} "
            f"{wrapped.evidence[0]} starts "
            f"({script.evidence[0]}), after its own steps: the image starts through the script"
        )
    return out
