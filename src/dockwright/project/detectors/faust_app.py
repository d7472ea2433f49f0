"""Faust stream processors: a module-level ``faust.App``.

## What it detects
A module importing faust (faust-streaming, or robinhood's faust it continues) that binds
``faust.App(...)`` at module level; the module whose agents and tables it runs.

## Evidence
The line binding the app.

## Example
```python
# stream/app.py
import faust

app = faust.App("orders", broker="kafka://kafka:9092")
orders = app.topic("orders")

@app.agent(orders)
async def count(stream):
    async for order in stream: ...
```

## Start command
``faust -A module worker --loglevel info`` (``-A`` finds the module's attribute ``app``; any other name
is ``module:variable``; the runner table, ``servers.toml``). A package ``__main__`` calling
``app.main()`` runs the same command line with its own arguments, so the worker is the process, not
that CLI. The worker also serves Faust's web views (``web_port``, 6066 unless set), which no probe
reads: a worker has no port, and never outranks a web process.
"""

from __future__ import annotations

from dockwright.project.detectors.base import Candidate, Context, as_imported
from dockwright.project.detectors.scan import signatures
from dockwright.project.detectors.servers import runner
from dockwright.project.facts import Evidence


def detect(ctx: Context) -> list[Candidate]:
    faust = runner("faust")
    assert faust is not None
    for scan in ctx.scans:
        found = next(((var, line) for name, var, line in scan.apps if name == "faust"), None)
        if found is None or not scan.module:
            continue
        var, line = found
        module = as_imported(scan)  # `from src.app import app` in its agents: the same module object
        target = module if var == "app" else f"{module}:{var}"
        return [
            Candidate(
                "faust",
                "worker",
                "worker",
                (Evidence(scan.rel, line, f"faust app `{var}`"),),
                command=faust.argv(target=target),
                framework=signatures().framework("faust"),
                module=scan.module,
                rel=scan.rel,
            )
        ]
    return []
