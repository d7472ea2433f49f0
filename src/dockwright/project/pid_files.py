"""PID files the start's server writes in a root-owned folder (``data/pid_options.toml``).

What it does: ``granian ... --pid-file /var/run/granian.pid`` (a supervisord program run as root on a
host) makes the server create that file at start; the image starts as its non-root user, which cannot
write in ``/var/run``, so the server stops with ``PermissionError``. An absolute PID file outside
``/tmp`` is moved to ``/tmp`` under its own name (``--pid-file /tmp/granian.pid``), with a note naming
the change; one in ``/tmp`` already, or relative to the work directory, is left as written.

The start is read as :mod:`dockwright.project.privilege_options` reads it: from the first word naming a
server of the table. A ``sh -c`` string is left as written.
"""

from __future__ import annotations

import posixpath
from dataclasses import replace

from dockwright.project.facts import AppFacts, Evidence, Fact
from dockwright.project.privilege_options import server_options, start_location

_TABLE = "pid_options.toml"
WRITABLE = "/tmp"  # the image's one folder every user may write: where the PID file goes


def pid_files_moved(argv: tuple[str, ...]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """``argv`` with its server's PID files outside /tmp moved into /tmp, and the options as written."""
    found = server_options(_TABLE, argv)
    if found is None:
        return argv, ()
    start, options = found
    out = list(argv)
    moved: list[str] = []
    for i in range(start + 1, len(argv)):
        flag, eq, value = argv[i].partition("=")
        if eq and flag in options and _moves(value):
            out[i] = f"{flag}={_in_tmp(value)}"
            moved.append(argv[i])
        elif not eq and argv[i] in options and i + 1 < len(argv) and _moves(argv[i + 1]):
            out[i + 1] = _in_tmp(argv[i + 1])
            moved.append(f"{argv[i]} {argv[i + 1]}")
    return tuple(out), tuple(moved)


def _moves(path: str) -> bool:
    return path.startswith("/") and not (path + "/").startswith(WRITABLE + "/") and not path.startswith("$")


def _in_tmp(path: str) -> str:
    return posixpath.join(WRITABLE, posixpath.basename(path.rstrip("/")) or "server.pid")


def with_pid_files_in_tmp(app: AppFacts, notes: list[str]) -> AppFacts:
    """``app`` whose start writes its PID file where its user may (see the module docstring)."""
    kept, moved = pid_files_moved(tuple(app.command.value))
    if not moved:
        return app
    note = (
        f"{start_location(app)}: {', '.join(moved)} writes the server's PID file in a folder only root "
        f"may write, and the image starts as its non-root user: the file is written in {WRITABLE} instead"
    )
    notes.append(note)
    why = Evidence("default", None, f"PID file moved to {WRITABLE}: {', '.join(moved)}")
    return replace(app, command=Fact(kept, (*app.command.evidence, why)))
