"""The command a user gives with ``--start``, as the image runs it.

A command given on the command line is run as given, with two exceptions, each said in a note:

- a project manager's runner before it (``uv run``, ``poetry run``, ``pdm run``, ``pipenv run``, ``hatch
  run``, ``rye run``; ``data/command_prefixes.toml``) is left out: the image runs the program from its venv,
  which is on PATH, and holds no project manager (``uv run gunicorn`` would stop with "uv: not found");
- a line using shell syntax (``$PORT``, ``&&``, ``;``, a redirect) runs under ``/bin/sh -c`` with ``exec``
  before its last command: an exec-form CMD passes ``0.0.0.0:$PORT`` to the server unexpanded (gunicorn
  stops with "'0.0.0.0:$PORT' is not a valid port number"). A line that already starts a shell (``sh -c
  "..."``) is kept as it is.
"""

from __future__ import annotations

import posixpath
import re
import shlex

from dockwright.errors import ProjectError
from dockwright.project.command_prefixes import prefixes, unprefixed_steps
from dockwright.project.detectors.base import needs_shell, shell_argv

_SHELLS = frozenset({"sh", "bash", "dash", "ash", "zsh"})
# a quoted string: what the shell reads in it is only `$` and a backquote between double quotes
_QUOTED = re.compile(r"'[^']*'|\"((?:[^\"\\]|\\.)*)\"")


def _unquoted(line: str) -> str:
    """``line`` with its quoted strings reduced to what a shell expands in them: ``gunicorn
    'app:create_app()'`` needs no shell, ``--bind "0.0.0.0:$PORT"`` does."""
    return _QUOTED.sub(lambda m: "".join(c for c in m.group(1) or "" if c in "$`"), line)


def explicit_start(start: str, notes: list[str]) -> tuple[str, ...]:
    """The argv of ``--start START`` (module docstring); ``notes`` gains what was changed."""
    try:
        words = shlex.split(start)
    except ValueError as exc:
        raise ProjectError(f"cannot split --start {start!r}: {exc}") from exc
    if not words:
        raise ProjectError("--start is empty")
    if posixpath.basename(words[0]) in _SHELLS:
        return tuple(words)  # the user's own shell line: `sh -c "..."`, `bash script.sh`
    line = unprefixed_steps(start)
    if line != start:
        names = [posixpath.basename(w) for w in words]
        runners = sorted(
            {
                f"{name} {prefixes()[name].subcommand}"
                for name in names
                if name in prefixes() and prefixes()[name].subcommand in names
            }
        )
        notes.append(
            f"--start: {', '.join(runners)} left out: the image runs the command from its venv, which is "
            "on PATH and holds no project manager"
        )
    if needs_shell(_unquoted(line)):
        argv = shell_argv(line)
        notes.append(
            f"--start uses shell syntax, so it runs as `/bin/sh -c {shlex.quote(argv[2])}` (an exec-form "
            "command would pass $VARIABLES and operators to the program unexpanded)"
        )
        return argv
    try:
        return tuple(shlex.split(line))
    except ValueError:  # unprefixed_steps keeps the words' quoting: it splits as the start did
        return tuple(words)
