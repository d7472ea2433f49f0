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
    runs for good (a bot, a consumer), so the script takes its kind (worker) and its place. A script
    whose ``exec`` line runs the project's own program (``exec python3 -m bot -c config.yaml``, also
    through a privilege dropper: detectors/entry_script.py) that a detector reads as a server or worker
    (``python -m bot``, whose ``__main__`` serves) takes that process's kind, framework and port, and its
    place: the script is how the repository starts that program.

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


def _without_moot(argv: tuple[str, ...]) -> tuple[str, ...]:
    """A command line as :func:`_line` spells it, without the interpreter's flags the image makes moot."""
    return tuple(w for w in _line(argv) if w not in ("-u", "-B"))


def _program_words(argv: tuple[str, ...]) -> tuple[str, ...]:
    """The words that name the project's program a Python command runs: ``python -m MODULE``, ``python
    FILE.py`` (as :func:`_line` spells them, the interpreter's moot flags dropped); () for another."""
    line = _without_moot(argv)
    if line[:1] != ("python",) or len(line) < 2:
        return ()
    if line[1] == "-m":
        return line[:3] if len(line) > 2 else ()
    return ("python", line[1].removeprefix("./")) if line[1].endswith(".py") else ()


def _starts_program(line: tuple[str, ...]) -> Callable[[Candidate], bool]:
    """A web or worker process that starts the project program ``line`` runs (``python -m bot``, which
    serves, beside an entry script's ``exec python3 -m bot -c config.yaml``), with no arguments of its
    own: a detector read the program, and the script is how the repository runs it, with arguments of
    its own (``-c config.yaml``). A line that runs the program alone adds nothing to that detector's start
    (which may give it settings of its own: a UI server's bind address), which stays."""
    words = _program_words(line) if len(_program_words(line)) < len(_without_moot(line)) else ()

    def selected(c: Candidate) -> bool:
        return bool(words) and c.kind in ("web", "worker") and _started_program(c) == words

    return selected


def _started_program(c: Candidate) -> tuple[str, ...]:
    """The project program a candidate starts as itself: its command when that is ``python -m MODULE``
    or ``python FILE.py`` alone, or the script a self-served framework app runs as (its target, the
    module's file or ``-m`` name: detectors/base.script_target)."""
    if c.command:
        program = _program_words(c.command) if _bare(c) else ()
        return program if program == _line(c.command) else ()
    if c.framework is None or not c.rel or c.target not in (shlex.quote(c.rel), f"-m {c.module}"):
        return ()
    return _program_words(("python", *shlex.split(c.target)))


def _as_program(script: Candidate, program: Candidate) -> Candidate:
    """The entry script's start as the project program's process: its kind and name, its framework, and
    the port its detector read when the script's line names none."""
    port = (script.port, script.port_evidence) if script.port else (program.port, program.port_evidence)
    return dataclasses.replace(
        script,
        kind=program.kind,
        process=program.process,
        framework=script.framework or program.framework,
        port=port[0],
        port_evidence=port[1],
    )


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
            else:  # `exec python -m bot -c config.yaml`: the project's program, a server its detectors read
                wrapped = move_before(out, script, _starts_program(_exec_line(script)))
                if wrapped is not None:
                    out[out.index(script)] = _as_program(script, wrapped)
        else:
            wrapped = None
        if wrapped is None:
            continue
        if script.command[:1] not in (("sh",), ("bash",)):  # the line a privilege dropper runs, alone
            what = "server" if wrapped.kind == "web" else "program"
            notes.append(
                f"{script.evidence[0].file} ends by running the {what} {wrapped.evidence[0]} starts, with "
                f"its own arguments ({script.target}): the image starts that line"
            )
            continue
        notes.append(
            f"{script.command[-1]} ends by running the {'server' if wrapped.kind == 'web' else 'program'} "
            f"{wrapped.evidence[0]} starts "
            f"({script.evidence[0]}), after its own steps: the image starts through the script"
        )
    return out
