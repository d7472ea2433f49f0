"""The gunicorn options a Socket.IO server needs (Flask-SocketIO, python-socketio's WSGI server).

What it does: when a module the start loads builds a WSGI Socket.IO server (``SocketIO(app)``,
``socketio.Server()``: ``data/socketio_modes.toml``) and the start serves the app with gunicorn (the
plan's command, or the project's own: a Procfile's, a platform's), the command gets what
Flask-SocketIO's deployment guide gives for the server's async mode: one worker process, and the worker
type the mode needs (``--threads 100`` for threading, gevent's or gevent-websocket's worker,
``--worker-class eventlet``, which keeps a gunicorn before 26 in the lock: ``dropped_workers.py``), and a
graceful timeout (5 s) under ``docker stop``'s 10 s. The mode is the call's ``async_mode=`` when written
as a literal, else the first mode whose packages the project depends on, in the order the library tries
them. An option the command already sets (its own, or carried from the repository's image), or its
gunicorn config file sets (``worker_class``, ``workers``, ``threads``, ``graceful_timeout``),
is kept as it is.

Why: gunicorn's default is one sync worker with one thread. A connected client's long-poll holds it, so
while one browser tab is open the app answers no other request (a chat app's ``/`` got no answer in 8 s),
and a WebSocket upgrade holds it for the connection's life. More than one worker loses sessions: a
client's next poll reaches a process that never saw it. A client's long-poll is open up to the ping
interval (25 s), longer than ``docker stop`` waits (10 s) and shorter than gunicorn's default graceful
timeout (30 s): while a browser tab was open, every stop ended in SIGKILL.
"""

from __future__ import annotations

import ast
import posixpath
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import lru_cache

from dockwright.project.ast_names import import_aliases, resolved
from dockwright.project.ast_walk import walk
from dockwright.project.detectors.base import outside_app
from dockwright.project.detectors.scan import ModuleScan
from dockwright.project.detectors.servers import last_command, options_inserted
from dockwright.project.facts import AppFacts, Evidence, Fact
from dockwright.project.gunicorn_config import config_settings
from dockwright.project.loaded_modules import loaded_modules
from dockwright.project.plan_files import PlanFiles
from dockwright.project.tree import data_table

# gunicorn's spellings of the options the table adds
_SAME = {
    "--workers": ("-w", "--workers"),
    "--worker-class": ("-k", "--worker-class"),
    "--threads": ("--threads",),
    "--graceful-timeout": ("--graceful-timeout",),
}
# the config file's setting for each of them (gunicorn.conf.py, -c FILE)
_SETTING = {
    "--workers": "workers",
    "--worker-class": "worker_class",
    "--threads": "threads",
    "--graceful-timeout": "graceful_timeout",
}
_TARGET = re.compile(r"^[A-Za-z_][\w.]*:[A-Za-z_][\w.]*(?:\(.*\))?$")


@dataclass(frozen=True)
class Mode:
    mode: str
    requires: tuple[str, ...]
    options: tuple[str, ...]


@dataclass(frozen=True)
class Needs:
    """What the served Socket.IO server needs: options for the command, and the evidence (the server's
    line and the mode's reason)."""

    options: tuple[str, ...]
    evidence: Evidence
    mode: str = ""


@lru_cache(maxsize=1)
def _table() -> tuple[frozenset[str], tuple[Mode, ...], str]:
    raw = data_table("socketio_modes.toml")
    modes = tuple(Mode(str(r["mode"]), tuple(r["requires"]), tuple(r["options"])) for r in raw["mode"])
    return frozenset(raw["servers"]), modes, str(raw["source"])


def looked_for(text: str) -> bool:
    """True when a module's text may build a Socket.IO server (the scans read it only then)."""
    return "socketio" in text


def socketio_servers(module: ast.Module) -> list[tuple[int, str | None]]:
    """(line, the ``async_mode`` written as a literal, else None) of each WSGI Socket.IO server the
    module builds."""
    servers = _table()[0]
    aliases = import_aliases(module)
    out: list[tuple[int, str | None]] = []
    for node in walk(module):
        if not isinstance(node, ast.Call):
            continue
        if resolved(node.func, aliases) not in servers:
            continue
        mode = next(
            (
                k.value.value
                for k in node.keywords
                if k.arg == "async_mode"
                and isinstance(k.value, ast.Constant)
                and isinstance(k.value.value, str)
            ),
            None,
        )
        out.append((node.lineno, mode))
    return out


def needs(
    argv: tuple[str, ...],
    loaded: Iterable[ModuleScan],
    dependencies: frozenset[str],
    configured: frozenset[str] = frozenset(),
) -> Needs | None:
    """What a gunicorn command ``argv`` serving an app whose start loads ``loaded`` needs for the Socket.IO
    server one of them builds, or None when none builds one (or every option is already set, on the
    command line or as a ``configured`` setting of its config file)."""
    found = [(s.rel, line, mode) for s in loaded for line, mode in s.socketio or ()]
    if not found:
        return None
    rel, line, written = sorted(found)[0]
    source = _table()[2]
    row = _mode_row(written, dependencies)
    if row is None:
        return None  # a mode the table does not know (gevent_uwsgi, asgi): nothing to say
    options = _unset(row.options, argv, configured)
    if not options:
        return None
    how = f"async mode {row.mode} ({'async_mode=' + repr(written) if written else _why_mode(row)})"
    detail = (
        f"a Socket.IO server keeps each client in the process that accepted it: one gunicorn worker, "
        f"{how}; {source}"
    )
    return Needs(options, Evidence(rel, line, detail), row.mode)


def _mode_row(written: str | None, dependencies: frozenset[str]) -> Mode | None:
    """The table's row for the mode the server runs in: ``written`` (its ``async_mode=``), else the
    first whose packages the project depends on."""
    modes = _table()[1]
    if written is not None:
        row = next(
            (m for m in modes if m.mode == written and all(r in dependencies for r in m.requires)), None
        )
        return row or next((m for m in modes if m.mode == written), None)
    return next((m for m in modes if all(r in dependencies for r in m.requires)), None)


def server_mode(scans: Iterable[ModuleScan], dependencies: frozenset[str]) -> tuple[str, str] | None:
    """The async mode of the first Socket.IO server ``scans`` build and why (``_why_mode``), or None."""
    found = sorted((s.rel, line, mode) for s in scans for line, mode in s.socketio or ())
    if not found:
        return None
    written = found[0][2]
    row = _mode_row(written, dependencies)
    if row is None:
        return None
    return row.mode, ("async_mode=" + repr(written) if written else _why_mode(row))


def _why_mode(row: Mode) -> str:
    if not row.requires:
        return "none of eventlet or gevent is installed"
    return f"{' and '.join(row.requires)} installed, which the library picks first"


def _unset(options: tuple[str, ...], argv: tuple[str, ...], configured: frozenset[str]) -> tuple[str, ...]:
    """``options`` (flag, value pairs) less the flags ``argv`` already sets in any spelling or its config
    file sets."""
    out: list[str] = []
    for flag, value in zip(options[::2], options[1::2], strict=True):
        spellings = _SAME.get(flag, (flag,))
        said = any(
            w in spellings
            or w.startswith(tuple(f"{s}=" for s in spellings))
            or (not w.startswith("--") and len(w) > 2 and w[:2] in spellings)  # `-w2`: joined to its value
            for w in argv[1:]
        )
        if not said and _SETTING.get(flag) not in configured:
            out += [flag, value]
    return tuple(out)


#: why the eventlet worker is no good choice (measured in the sandbox, docs/realworld.md session 23)
EVENTLET_STOP = (
    "gunicorn's eventlet worker (deprecated; gone from gunicorn 26) exits 1 at `docker stop` (its SIGTERM "
    "handler times out after 2 s: eventlet.timeout.Timeout); gevent's worker stops cleanly. Flask-SocketIO "
    "runs eventlet whenever it is installed, so the plan keeps it: to move, replace eventlet by gevent in "
    "the dependencies (or give SocketIO(async_mode='gevent'))"
)


def with_socketio_options(
    files: PlanFiles,
    app: AppFacts,
    scans: Iterable[ModuleScan],
    dependencies: frozenset[str],
    notes: list[str] | None = None,
) -> AppFacts:
    """``app`` whose gunicorn start (the plan's, a Procfile's, a platform's ...) gets the options the
    Socket.IO server of the app it serves needs."""
    command = app.command.value
    argv = last_command(command)
    if not argv or posixpath.basename(argv[0]) != "gunicorn":
        return app
    target = next((w for w in reversed(argv[1:]) if _TARGET.match(w)), None)
    if target is None:
        return app
    scans = [s for s in scans if not outside_app(s.rel)]
    loaded = loaded_modules(files.tree, scans, [target.split(":", 1)[0]])
    found = needs(argv, scans if loaded is None else loaded, dependencies, config_settings(files, argv))
    if found is None:
        return app
    new = options_inserted(command, found.options, "gunicorn")
    if new is None:
        return app
    if found.mode == "eventlet" and notes is not None:
        ev = found.evidence
        notes.append(f"{ev.file}:{ev.line}: the Socket.IO server runs in eventlet mode: {EVENTLET_STOP}")
    return replace(app, command=Fact(new, (*app.command.evidence, found.evidence)))
