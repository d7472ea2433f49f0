"""arq workers: a module-level worker settings class.

## What it detects
A module importing arq with a module-level class whose body names ``functions`` or ``cron_jobs``
(conventionally ``WorkerSettings``).

## Evidence
The line of the settings class.

## Example
```python
# worker.py
from arq.connections import RedisSettings

async def send_mail(ctx, to): ...

class WorkerSettings:
    functions = [send_mail]
    redis_settings = RedisSettings(host="redis")
```

## Start command
``arq module.WorkerSettings`` (``arq worker.WorkerSettings`` above). arq reads the Redis address
from the class's ``redis_settings``; without one it connects to localhost:6379, which the plan
notes (a container's localhost has no Redis). A module whose own imports resolve only from a folder
that is not a package (``src/jobs/worker.py`` importing ``settings`` from ``src/``) is imported from that
folder, which ``PYTHONPATH`` puts on the import path (arq has no option for it): ``arq
jobs.worker.WorkerSettings`` with ``PYTHONPATH=/app/src``.
"""

from __future__ import annotations

from dockwright.project.detectors.base import Candidate, Context
from dockwright.project.detectors.shapes import runner_worker
from dockwright.project.facts import Evidence

_MARKS = frozenset({"functions", "cron_jobs"})


def detect(ctx: Context) -> list[Candidate]:
    for scan in ctx.scans:
        if "arq" not in scan.imports:
            continue
        classes = sorted(scan.classes.items(), key=lambda c: (c[0] != "WorkerSettings", c[1][0]))
        for name, (line, body) in classes:
            if not body & _MARKS:
                continue
            notes = (
                ()
                if "redis_settings" in body
                else (f"{scan.rel}:{line}: {name} has no redis_settings: arq connects to localhost:6379",)
            )
            ev = Evidence(scan.rel, line, f"arq worker settings `{name}`")
            return [runner_worker(ctx, "arq", scan, ev, name, notes)]
    return []
