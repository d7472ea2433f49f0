"""Background workers: Celery apps and Dramatiq actors.

## What it detects
Celery apps (``Celery(...)`` objects) and Dramatiq actors: the module declaring them
(``@dramatiq.actor``, ``@actor(...)``), or, when several modules do, the one that imports all of them
at import time; a module that only sets up the broker declares nothing for the worker to consume.
RQ and arq have their own modules (``rq_worker.py``, ``arq_worker.py``).

## Evidence
The line defining the Celery app; the first actor's line, or the module importing the actor modules.

## Example
```python
# tasks.py
from celery import Celery

app = Celery("tasks", broker="redis://redis:6379/0")
```

## Start command
``celery -A module worker`` and ``dramatiq module``; the commands come from the runner table
(``servers.toml``). A worker has no port, and never outranks a web process.
"""

from __future__ import annotations

from dockwright.project.detectors.base import Candidate, Context, importable
from dockwright.project.detectors.scan import ModuleScan, signatures
from dockwright.project.detectors.servers import runner
from dockwright.project.facts import Evidence


def detect(ctx: Context) -> list[Candidate]:
    out: list[Candidate] = []
    celery, dramatiq = runner("celery"), runner("dramatiq")
    assert celery is not None and dramatiq is not None
    fw = signatures().framework("celery")
    for scan in ctx.scans:
        apps = [(var, line) for name, var, line in scan.apps if name == "celery"]
        if apps:
            var, line = apps[0]
            # celery finds an attribute named `app` or `celery` by itself; name any other one
            chdir, module = importable(scan.rel, scan.module)
            app = module if var in ("app", "celery") else f"{module}:{var}"
            ev = Evidence(scan.rel, line, f"celery app `{var}`")
            out.append(
                Candidate(
                    "celery",
                    "worker",
                    "worker",
                    (ev,),
                    command=celery.argv(target=app, chdir=chdir),
                    framework=fw,
                    target=f"{scan.module}:{var}",
                    module=scan.module,
                    rel=scan.rel,
                )
            )
            break
    chosen = _dramatiq_module(ctx)
    if chosen is not None:
        scan, said = chosen
        ev = Evidence(scan.rel, scan.actors[0] if scan.actors else None, said)
        chdir, module = importable(scan.rel, scan.module)
        out.append(
            Candidate(
                "dramatiq",
                "worker",
                "worker",
                (ev,),
                command=dramatiq.argv(target=module, chdir=chdir),
                module=scan.module,
                rel=scan.rel,
            )
        )
    return out


def _dramatiq_module(ctx: Context) -> tuple[ModuleScan, str] | None:
    """The module the ``dramatiq`` command loads: one that declares actors, or, when several do, one
    that imports every one of them (``from jobs.mail import *`` ...); a module that only imports
    dramatiq (the broker's setup) declares nothing to consume. Without declared actors, the first
    module importing dramatiq, as before."""
    importing = [s for s in ctx.scans if "dramatiq" in s.imports and not s.rel.endswith("__init__.py")]
    declaring = [s for s in importing if s.actors]
    if len(declaring) == 1:
        return declaring[0], "declares dramatiq actors"
    if declaring:
        modules = {s.module for s in declaring}
        for scan in ctx.scans:
            imported = {m for m, _ in scan.import_sites}  # at import time: not a function's lazy import
            # `from context.a.workers import *` in a folder the app runs from names app.context.a.workers
            named = {m for m in modules if any(i and (m == i or m.endswith("." + i)) for i in imported)}
            if named == modules and scan.module not in modules:
                return scan, f"imports the modules declaring dramatiq actors ({', '.join(sorted(modules))})"
        return declaring[0], "declares dramatiq actors"
    return (importing[0], "imports dramatiq (actors)") if importing else None
