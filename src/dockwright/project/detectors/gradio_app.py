"""Gradio apps: a module importing gradio that calls ``launch()``.

## What it detects
A module importing gradio (or a project module that does) that calls ``launch()``
(``demo.launch()``, ``gr.Interface(...).launch()``, ``create_demo().launch()``), preferring the
file a launch line runs with ``python`` or ``gradio`` (see ``named.py``), else the shallowest such
module, wherever it sits in the package. A Gradio app mounted into a FastAPI app
(``gr.mount_gradio_app``) has no ``launch()``: the FastAPI detector serves it.

## Evidence
The launch line that names the file, else the line calling ``launch()`` (``gradio app launched
here``).

## Example
```python
# demo.py
import gradio as gr

gr.Interface(fn=str.upper, inputs="text", outputs="text").launch(server_port=7870)
```

## Start command
A Gradio app starts itself, so the image runs ``python FILE`` (``python -m pkg.mod`` when the file
is inside a package); ``gradio FILE`` is the reloading development mode. ``launch()`` binds
127.0.0.1:7860 unless told: the runner table (``servers.toml``) sets ``GRADIO_SERVER_NAME=0.0.0.0``
and ``GRADIO_SERVER_PORT``. The port is a literal ``launch(server_port=N)``, else 7860. A literal
``server_name`` other than 0.0.0.0 wins over the variable and is reported; ``share=True`` needs the
internet (a tunnel to Gradio's share servers) and is reported too.
"""

from __future__ import annotations

from collections.abc import Callable

from dockwright.project.detectors.base import Candidate, Context, script_target
from dockwright.project.detectors.named import named_module
from dockwright.project.detectors.scan import ModuleScan, signatures
from dockwright.project.detectors.shapes import runs_file
from dockwright.project.facts import Evidence


def _launcher(ctx: Context) -> Callable[[ModuleScan], bool]:
    """Whether a module launches a Gradio app: it calls ``launch()`` and imports gradio, or imports
    from a project module that does (``from ui import create_demo; create_demo().launch()``)."""
    gradio_modules = {s.module for s in ctx.by_rel.values() if "gradio" in s.imports}

    def launches(scan: ModuleScan) -> bool:
        if not any(i.last == "launch" for i in scan.invocations):
            return False
        imported = {full.rsplit(".", 1)[0] for full in scan.from_imports.values()}
        return "gradio" in scan.imports or bool(imported & gradio_modules)

    return launches


def _notes(scan: ModuleScan) -> tuple[str, ...]:
    out: list[str] = []
    for call in scan.invocations:
        if call.last != "launch":
            continue
        name = call.keywords.get("server_name")
        if isinstance(name, str) and name not in ("0.0.0.0", "::"):
            out.append(
                f"{scan.rel}:{call.line}: launch(server_name={name!r}) listens only there, not on the "
                "container's interfaces; drop it so GRADIO_SERVER_NAME=0.0.0.0 applies"
            )
        port = call.keywords.get("server_port")
        if type(port) is int and port < 1024:
            out.append(
                f"{scan.rel}:{call.line}: launch(server_port={port}) is a privileged port the non-root "
                "user cannot bind; drop it so GRADIO_SERVER_PORT applies"
            )
        if call.keywords.get("share") is True:
            out.append(f"{scan.rel}:{call.line}: launch(share=True) needs the internet for a share link")
    return tuple(out)


def detect(ctx: Context) -> list[Candidate]:
    fw = signatures().framework("gradio")
    launches = _launcher(ctx)
    named = named_module(ctx, r"(?:python[\d.]*|gradio)", launches)
    found = (named[0], named[1].evidence) if named else None
    if found is None:
        first = next((s for s in ctx.scans if launches(s)), None)
        if first is None:
            return []
        line = next(i.line for i in first.invocations if i.last == "launch")
        found = (first, Evidence(first.rel, line, "gradio app launched here"))
    scan, ev = found
    return [runs_file(fw, scan, ev, script_target(ctx.tree, scan), _notes(scan))]
