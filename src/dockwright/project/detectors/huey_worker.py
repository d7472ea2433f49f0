"""huey consumers: a module-level huey object.

## What it detects
A module importing huey that binds one of huey's storage classes at module level (``RedisHuey``,
``PriorityRedisHuey``, ``SqliteHuey``, ``FileHuey``, ``Huey``, ``SqlHuey`` ...; ``data/frameworks.toml``);
``MemoryHuey`` keeps its queue inside the process, so no consumer reads it and it does not count.

## Evidence
The line binding the huey object.

## Example
```python
# jobs.py
from huey import RedisHuey

huey = RedisHuey("reports", url="redis://redis:6379/0")

@huey.task()
def render(report_id): ...
```

## Start command
``huey_consumer module.variable`` (``huey_consumer jobs.huey`` above; the runner table,
``servers.toml``). A command written for huey 2.x's ``huey_consumer.py`` script runs as
``huey_consumer``, the console script every release installs (``servers.toml`` ``[[renamed]]``).
A module whose own imports resolve only from a folder that is not a package is imported from that
folder, with ``PYTHONPATH`` (huey_consumer has no option for it; shapes.worker_import).
A worker has no port, and never outranks a web process.
"""

from __future__ import annotations

from dockwright.project.detectors.base import Candidate, Context
from dockwright.project.detectors.shapes import runner_worker
from dockwright.project.facts import Evidence


def detect(ctx: Context) -> list[Candidate]:
    for scan in ctx.scans:
        found = next(((var, line) for name, var, line in scan.apps if name == "huey"), None)
        if found is None or not scan.module:
            continue
        var, line = found
        ev = Evidence(scan.rel, line, f"huey object `{var}`")
        return [runner_worker(ctx, "huey", scan, ev, var)]
    return []
