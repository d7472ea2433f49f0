"""A worker class the server's current releases no longer ship: the lock keeps a release that has it.

What it does: when the start command runs a server of the servers table with a worker class that its
releases since ``dropped_in`` lack (``gunicorn -k eventlet``: the table's ``dropped``), wherever the
command comes from (a Procfile, the repository's image, the options a Socket.IO server needs), or
the gunicorn config file it loads when its command line names none (``worker_class = "eventlet"``),
``gunicorn<26`` joins what the start adds to the lock: an unpinned gunicorn then resolves to the last
release with that worker, a pinned older one stays, and a pin on a release without it stops the lock
with the one line naming both.

Why: gunicorn 26.0 dropped its eventlet worker. A Flask-SocketIO project whose Procfile says ``web:
gunicorn --worker-class eventlet -w 1 app:app`` beside an unpinned ``gunicorn`` got 27.0, and the
container stopped at start: ``ImportError: Entry point ('gunicorn.workers', 'eventlet') not found``.
"""

from __future__ import annotations

import dataclasses
import posixpath

from dockwright.project.adds_in_lock import add_name
from dockwright.project.detectors.servers import package_of, table
from dockwright.project.facts import AppFacts, Evidence, Fact
from dockwright.project.gunicorn_config import config_strings, served_argv
from dockwright.project.plan_files import PlanFiles


def _option(argv: tuple[str, ...], flags: tuple[str, ...]) -> str | None:
    """The value ``argv`` gives one of ``flags`` (``-k eventlet``, ``--worker-class=eventlet``,
    ``-keventlet``), the last one given; None when it gives none."""
    found = None
    for index, word in enumerate(argv[1:], start=1):
        flag, eq, value = word.partition("=")
        if flag in flags:
            found = value if eq else (argv[index + 1] if index + 1 < len(argv) else "")
        elif not word.startswith("--") and word[:2] in flags and len(word) > 2:
            found = word[2:]  # a short option joined to its value
    return found


def worker_package(argv: tuple[str, ...]) -> tuple[str, str] | None:
    """(the package, why) of a gunicorn worker class given by its import path on ``argv``'s command line
    (``-k uvicorn.workers.UvicornWorker``: uvicorn), when the servers table knows its top module."""
    if not argv or posixpath.basename(argv[0]) != "gunicorn":
        return None
    value = _option(argv, ("-k", "--worker-class")) or ""
    top = value.split(".", 1)[0] if "." in value else ""
    package = package_of(top) if top else None
    if not package:
        return None
    return package, f"gunicorn's worker class {value} is {package}'s; the project does not depend on it"


def _dropped(files: PlanFiles, argv: tuple[str, ...]) -> tuple[str, str, Evidence | None] | None:
    """(requirement, worker class, the config file's line naming it) when ``argv`` runs a server with a
    worker class it dropped (``gunicorn<26``) or one its extra serves (``gunicorn[gevent]``), given on
    its command line or, without one there, in the gunicorn config file it loads (``worker_class =
    "eventlet"``: the setting is the long option's name)."""
    if not argv:
        return None
    program = posixpath.basename(argv[0])
    for server in table().servers:
        if server.command[0] != program or not (server.dropped or server.extras):
            continue
        value, where = _option(argv, server.loads), None
        if value is None:
            settings = config_strings(files, argv)
            for flag in (f for f in server.loads if f.startswith("--")):
                value, where = settings.get(flag[2:].replace("-", "_"), (None, None))
                if value is not None:
                    break
        if value in server.dropped:
            return f"{server.package}<{server.dropped_in}", value, where
        extra = dict(e.split("=", 1) for e in server.extras).get(value or "")
        if value and extra:
            return f"{server.package}[{extra}]", value, where
    return None


def with_dropped_worker(files: PlanFiles, app: AppFacts) -> AppFacts:
    """``app`` whose lock keeps a server release that still has the worker class its start names."""
    found = _dropped(files, served_argv(files.tree, app.command.value) if app.command.value else ())
    if found is None:
        return app
    requirement, worker, where = found
    name = add_name(requirement)
    if any(a == requirement for a in app.adds.value):
        return app
    kept = tuple(a for a in app.adds.value if a != name)  # the bare server the plan added
    ev = where or (app.command.evidence[0] if app.command.evidence else Evidence("start command", None, ""))
    why = (
        f"the start runs {name}'s {worker} worker, which {name} {requirement.split('<', 1)[1]}.0 dropped: "
        f"the lock keeps {requirement}"
        if "<" in requirement
        else f"the start runs {name}'s {worker} worker, which imports what only {requirement} requires"
    )
    return dataclasses.replace(
        app, adds=Fact((*kept, requirement), (*app.adds.evidence, Evidence(ev.file, ev.line, why)))
    )
