"""Options of the start's server that change its user or group (``data/privilege_options.toml``).

What it does: ``gunicorn ... --user www-data --group www-data`` (a Makefile's serve target, a script a
host's root runs) asks the server to call setuid/setgid after binding, which only root may; the image
starts as its non-root user, so gunicorn stops at start with ``PermissionError`` and uWSGI exits. Those
options (``--user X``, ``-u X``, ``--group=X``; uWSGI's ``--uid``/``--gid``) are left out of the start,
with a note naming them: the image's ``USER`` is the user the app runs as.

The start is read where the server is its program, or the program a carrier hands it to (an entry
script ``bash entrypoint.sh gunicorn ...`` ends in ``exec "$@"``): the first word naming a server of
the table and the words after it. A ``sh -c`` string is left as written.
"""

from __future__ import annotations

import posixpath
from dataclasses import replace
from functools import cache

from dockwright.project.facts import AppFacts, Fact

_TABLE = "privilege_options.toml"


@cache
def _options(table: str) -> dict[str, frozenset[str]]:
    from dockwright.project.tree import data_table

    rows = data_table(table).get("server", [])
    return {str(r["program"]): frozenset(str(o) for o in r["options"]) for r in rows}


def server_options(table: str, argv: tuple[str, ...]) -> tuple[int, frozenset[str]] | None:
    """Where the start's server is in ``argv`` (the first word naming a program of the data table
    ``table``, rows ``program``/``options``) and that program's options of the table, else None."""
    rows = _options(table)
    start = next((i for i, word in enumerate(argv) if posixpath.basename(word) in rows), None)
    return None if start is None else (start, rows[posixpath.basename(argv[start])])


def without_user_options(argv: tuple[str, ...]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """``argv`` less its server's user and group options, and those options as written."""
    found = server_options(_TABLE, argv)
    if found is None:
        return argv, ()
    start, options = found
    kept: list[str] = list(argv[: start + 1])
    dropped: list[str] = []
    i = start + 1
    while i < len(argv):
        word = argv[i]
        flag, eq, _ = word.partition("=")
        if flag in options and (eq or i + 1 < len(argv)):
            taken = 1 if eq else 2
            dropped.append(" ".join(argv[i : i + taken]))
            i += taken
            continue
        kept.append(word)
        i += 1
    return tuple(kept), tuple(dropped)


def with_user_options_dropped(app: AppFacts, notes: list[str]) -> AppFacts:
    """``app`` whose start no longer asks its server to change user (see the module docstring)."""
    argv = app.command.value
    if not argv:
        return app
    kept, dropped = without_user_options(tuple(argv))
    if not dropped:
        return app
    notes.append(
        f"{start_location(app)}: left out of the start: {', '.join(dropped)} (the server would change its "
        "user, which only root may: the image starts as its non-root user, the USER of the Dockerfile)"
    )
    return replace(app, command=Fact(kept, app.command.evidence))


def start_location(app: AppFacts) -> str:
    """Where the start command was read (``Procfile:1``), for a note about it."""
    ev = app.command.evidence[0] if app.command.evidence else None
    return (f"{ev.file}:{ev.line}" if ev.line else ev.file) if ev else "the start command"
