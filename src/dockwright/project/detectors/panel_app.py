"""Panel apps: a file served with ``panel serve``, or a module marking something ``.servable()``.

## What it detects
A file a launch line serves with ``panel serve`` (a script, Makefile, Procfile or the own Dockerfile's
command; a notebook too; see ``named.py``), else the shallowest module importing panel that marks
something ``.servable()``, else a script that starts its own server with ``pn.serve(...)``.

## Evidence
The launch line (which carries its port), else the ``.servable()`` line, else the ``pn.serve(...)``
line.

## Example
```python
# explorer.py
import panel as pn

pn.panel("Hello").servable()
```

## Start command
``panel serve FILE --address 0.0.0.0 --port 5006 --liveness``: the probe is Panel's ``/liveness``
endpoint. The websocket origin is left narrow: ``BOKEH_ALLOW_WS_ORIGIN=localhost:<port>`` (Bokeh's
own default, spelled out in the image so it is one ``-e`` to set the public ``host:port``).
``--allow-websocket-origin=*`` would let any web page open a session on the server with its
visitors' cookies. A script that starts its own server with ``pn.serve(...)`` and no
``.servable()`` runs as ``python FILE``; a literal ``address`` other than 0.0.0.0 in that call is
reported.
"""

from __future__ import annotations

from dockwright.project.detectors.base import Candidate, Context, script_target
from dockwright.project.detectors.named import named_files
from dockwright.project.detectors.scan import ModuleScan, signatures
from dockwright.project.detectors.shapes import launched_file, launched_notebook, runs_file
from dockwright.project.facts import Evidence


def _servable(scan: ModuleScan) -> bool:
    return "panel" in scan.imports and any(i.last == "servable" for i in scan.invocations)


def detect(ctx: Context) -> list[Candidate]:
    fw = signatures().framework("panel")
    launched = launched_file(ctx, fw, r"panel\s+serve", lambda s: "panel" in s.imports)
    if launched is not None:
        return [launched]
    notebook = next(named_files(ctx, r"panel\s+serve", (".ipynb",)), None)
    if notebook:
        return [launched_notebook(fw, notebook)]
    for scan in ctx.scans:
        if _servable(scan) and not scan.rel.endswith("__init__.py"):
            line = next(i.line for i in scan.invocations if i.last == "servable")
            return [runs_file(fw, scan, Evidence(scan.rel, line, "panel app marked .servable()"))]
    for scan in ctx.scans:
        serve = next((i for i in scan.invocations if i.last == "serve" and "panel" in scan.imports), None)
        if serve and scan.main_guard:
            address = serve.keywords.get("address")
            local = f"{scan.rel}:{serve.line}: pn.serve() without address='0.0.0.0' listens on localhost only"
            notes = () if address == "0.0.0.0" else (local,)
            ev = Evidence(scan.rel, serve.line, "panel server started by the script (pn.serve)")
            return [
                Candidate(
                    "panel",
                    "web",
                    "web",
                    (ev,),
                    command=("python", *script_target(ctx.tree, scan).split()),
                    framework=fw,
                    module=scan.module,
                    rel=scan.rel,
                    notes=notes,
                )
            ]
    return []
