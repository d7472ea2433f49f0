"""Reflex apps: a project configured by ``rxconfig.py`` (``rx.Config(app_name=...)``), recognised to refuse.

## What it detects
A top-level ``rxconfig.py`` that imports reflex. Reflex's production start, ``reflex run --env prod``
(or ``reflex export`` and a static server), compiles the app's frontend with Bun or Node.js and
packages fetched from the npm registry (reflex/utils/js_runtimes.py and reflex/utils/registry.py of
reflex 0.10.1), which a Python image plan does not provide.

## Evidence
The ``rxconfig.py`` line importing reflex.

## Example
```python
# rxconfig.py
import reflex as rx

config = rx.Config(app_name="notes")
```

## Start command
None: the plan stops with a one-line error that names the file and asks for ``--start`` (the backend
alone, ``reflex run --env prod --backend-only --backend-host 0.0.0.0``, serves without the frontend),
instead of running ``rxconfig.py`` as the app's script.
"""

from __future__ import annotations

from dockwright.project.detectors.base import Candidate, Context
from dockwright.project.facts import Evidence

CONFIG = "rxconfig.py"


def detect(ctx: Context) -> list[Candidate]:
    scan = ctx.by_rel.get(CONFIG)
    if scan is None or "reflex" not in scan.imports:
        return []
    line = next((at for module, at in scan.import_sites if module.split(".")[0] == "reflex"), None)
    return [Candidate("reflex", "web", "web", (Evidence(CONFIG, line, "reflex app config"),))]
