"""Shiny Express apps, served by Shiny's own program (``shiny run FILE``).

## What it detects
The file a launch line runs with ``shiny run`` (see ``named.py``) that imports ``shiny.express``,
else the shallowest module importing ``shiny.express`` (``from shiny.express import ui``), wherever
it sits in the package. An Express app builds its page as the file is imported and has no ``App``
object; a Shiny core app (``app = App(app_ui, server)``) is an ASGI app the web detector serves.

## Evidence
The launch line (which also carries its port), else the ``shiny.express`` import.

## Example
```python
# app.py
from shiny import render
from shiny.express import input, ui

ui.input_slider("count", "Count", 1, 20, 5)


@render.text
def twice():
    return str(input.count() * 2)
```

## Start command
``shiny run FILE --host 0.0.0.0 --port 8000`` (the runner table, ``servers.toml``): ``shiny run``
listens on 127.0.0.1 unless ``--host`` says otherwise, on 8000 unless the launch line names a port.
It reloads only with ``--reload``, which the image does not pass.
"""

from __future__ import annotations

from dockwright.project.detectors.base import Candidate, Context
from dockwright.project.detectors.scan import ModuleScan, signatures
from dockwright.project.detectors.shapes import launched_file, runs_file
from dockwright.project.facts import Evidence


def _express_line(scan: ModuleScan) -> int | None:
    """The line importing ``shiny.express``, if the module does."""
    if scan.rel.endswith("__init__.py"):
        return None
    return next((line for module, line in scan.import_sites if module.startswith("shiny.express")), None)


def detect(ctx: Context) -> list[Candidate]:
    fw = signatures().framework("shiny-express")
    launched = launched_file(ctx, fw, r"shiny\s+run", lambda s: _express_line(s) is not None)
    if launched is not None:
        return [launched]
    for scan in sorted(ctx.scans, key=lambda s: s.rel.count("/")):
        line = _express_line(scan)
        if line is not None:
            return [runs_file(fw, scan, Evidence(scan.rel, line, "shiny express app: imports shiny.express"))]
    return []
