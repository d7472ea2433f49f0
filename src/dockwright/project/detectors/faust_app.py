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
reads: a worker has no port, and never outranks a web process. The worker makes its data directory
(``{app id}-data``) in the working directory at start, which the non-root user cannot: the plan sets
``FAUST_DATADIR=faust-data`` and makes that folder the app user's (``project/library_dirs.py``), unless
the app names its own ``datadir=`` (then that folder is the project's to provide). A module whose own
imports resolve only from a folder that is not a package is imported from that folder, with
``PYTHONPATH`` (the working directory stays the image's; shapes.worker_import).
"""

from __future__ import annotations

import re

from dockwright.project.detectors.base import Candidate, Context, as_imported
from dockwright.project.detectors.shapes import runner_worker
from dockwright.project.facts import Evidence

_OWN_DATADIR = re.compile(r"\bdatadir\s*=")
_DATADIR_WHY = (
    "the worker makes its data directory in the working directory at start; faust-data is the folder "
    "the image makes the app user's (Faust's default, {app id}-data, would be refused)"
)


def detect(ctx: Context) -> list[Candidate]:
    for scan in ctx.scans:
        found = next(((var, line) for name, var, line in scan.apps if name == "faust"), None)
        if found is None or not scan.module:
            continue
        var, line = found
        text = ctx.tree.read_text(scan.rel) if ctx.tree.is_file(scan.rel) else ""
        env = () if _OWN_DATADIR.search(text) else (("FAUST_DATADIR", "faust-data", _DATADIR_WHY),)
        module = as_imported(scan)  # `from src.app import app` in its agents: the same module object
        ev = Evidence(scan.rel, line, f"faust app `{var}`")
        attr = "" if var == "app" else var
        return [runner_worker(ctx, "faust", scan, ev, attr, env=env, module=module, sep=":")]
    return []
