"""Bokeh server apps (not Panel's), served with ``bokeh serve``.

## What it detects
A file a launch line serves with ``bokeh serve`` (see ``named.py``), else the shallowest module
importing bokeh that builds its document with ``curdoc()``. A directory app (``myapp/main.py``) is
served as its directory.

## Evidence
The launch line, else the ``curdoc()`` line (``bokeh document (curdoc())``).

## Example
```python
# myapp/main.py
from bokeh.io import curdoc
from bokeh.plotting import figure

curdoc().add_root(figure())
```

## Start command
``bokeh serve TARGET --address 0.0.0.0 --port 5006`` (``myapp`` above); the websocket origin stays
narrow (``BOKEH_ALLOW_WS_ORIGIN=localhost:<port>``, see ``panel_app.py`` for why not ``*``). Bokeh
has no health endpoint: the probe is TCP.
"""

from __future__ import annotations

from dockwright.project.detectors.base import Candidate, Context
from dockwright.project.detectors.named import named_files
from dockwright.project.detectors.scan import ModuleScan, signatures
from dockwright.project.detectors.shapes import runs_file
from dockwright.project.facts import Evidence


def _bokeh_app(scan: ModuleScan) -> bool:
    return (
        "bokeh" in scan.imports
        and "panel" not in scan.imports
        and any(i.last == "curdoc" for i in scan.invocations)
    )


def detect(ctx: Context) -> list[Candidate]:
    fw = signatures().framework("bokeh")
    for launch in named_files(ctx, r"bokeh\s+serve", dirs=True):
        ev, port = launch.evidence, launch.port
        rel = launch.rel if launch.rel.endswith(".py") else f"{launch.rel}/main.py"
        scan = ctx.by_rel.get(rel)
        if scan is not None and "bokeh" in scan.imports:
            return [runs_file(fw, scan, ev, launch.rel, port=port)]
    for scan in ctx.scans:
        if _bokeh_app(scan):
            line = next(i.line for i in scan.invocations if i.last == "curdoc")
            folder, _, name = scan.rel.rpartition("/")
            target = folder if name == "main.py" and folder else scan.rel
            return [runs_file(fw, scan, Evidence(scan.rel, line, "bokeh document (curdoc())"), target)]
    return []
