"""Procfile: every ``name: command`` line is a process (Heroku, Dokku, honcho, foreman).

## What it detects
A ``Procfile`` at the project root. Every ``name: command`` line is a process: ``web`` is the web
process; ``release`` runs once per deploy and is never the app; any other name is a worker.

## Evidence
The ``Procfile`` line of the process (``web: gunicorn ...``); the same line carries the port when
the command names one.

## Example
```
web: python manage.py migrate && gunicorn shop.wsgi --bind 0.0.0.0:$PORT
worker: celery -A shop worker
release: python manage.py migrate
```

## Start command
The process's own command. A project shell script run alone (``web: bash start.sh``) is read as an
entry script (``entry-script``): its ``exec`` line, or its last line's server run inline with ``exec``
added, and that line's port. Shell syntax (``&&``, ``;``, ``$PORT``) becomes ``/bin/sh -c`` with
``exec`` on the last command, so the server still replaces the shell and receives SIGTERM. The port
is the one the command names, if any.
"""

from __future__ import annotations

import re
from dataclasses import replace

from dockwright.project.detectors.base import Candidate, Context, command_env, port_of_command
from dockwright.project.detectors.entry_script import run_script, script_candidates
from dockwright.project.facts import Evidence

_SKIP = frozenset({"release", "postdeploy", "predeploy"})


def detect(ctx: Context) -> list[Candidate]:
    if not ctx.tree.is_file("Procfile"):
        return []
    out: list[Candidate] = []
    seen: set[str] = set()
    for number, line in enumerate(ctx.tree.read_text("Procfile").splitlines(), 1):
        match = re.match(r"^([A-Za-z0-9_-]+):\s*(.+)$", line.strip())
        if not match or match.group(1) in _SKIP or match.group(1) in seen:
            continue
        name, text = match.group(1), match.group(2)
        argv, env = command_env(text, f"Procfile:{number}")
        if not argv:
            continue
        seen.add(name)
        ev = Evidence("Procfile", number, f"{name}: {text.strip()}")
        port = port_of_command(argv)
        script = run_script(ctx, argv)
        started = script_candidates(ctx, script) if script else []
        if started:
            # `web: bash start.sh`: the script's own start (its exec line, or its server run inline)
            found = started[0]
            out.append(replace(found, source="procfile", process=name, evidence=(ev, *found.evidence)))
            continue
        out.append(
            Candidate(
                "procfile",
                name,
                "web" if name == "web" else "worker",
                (ev,),
                command=argv,
                port=port,
                port_evidence=ev if port else None,
                env=env,
            )
        )
    return out
