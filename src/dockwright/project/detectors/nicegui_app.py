"""NiceGUI apps: a script importing nicegui that calls ``ui.run()``.

## What it detects
A module importing nicegui that calls ``ui.run(...)`` (at module level or under its ``__main__``
guard), preferring the file a launch line runs with ``python`` (see ``named.py``), else the shallowest
such module, wherever it sits in the package. ``ui.run_with(app)`` mounts NiceGUI into a FastAPI app
instead; that app is the FastAPI detector's.

## Evidence
The launch line that names the file, else the line calling ``ui.run()`` (``nicegui app run here``).

## Example
```python
# board.py
from nicegui import ui


@ui.page("/")
def index() -> None:
    ui.label("Tasks")


ui.run(port=8090, reload=False, show=False)
```

## Start command
A NiceGUI app starts itself, so the image runs ``python FILE`` (``python -m pkg.mod`` when the file is
inside a package). ``ui.run()`` listens on 0.0.0.0:8080 unless the call says otherwise; the port is a
literal ``ui.run(port=N)``, else 8080. A literal ``host`` other than 0.0.0.0 is reported (it listens
only there), and so is ``reload`` left at its default or set to ``True``: ui.run then serves through
uvicorn's reloader, a development mode that watches the working directory and runs the app in a
child process. NiceGUI keeps ``app.storage`` under ``.nicegui/`` of the working directory (the app
directory): that folder is made the app user's, unless the project sets ``NICEGUI_STORAGE_PATH``
(``project/library_dirs.py``).
"""

from __future__ import annotations

from dockwright.project.detectors.base import Candidate, Context, script_target
from dockwright.project.detectors.scan import Invocation, ModuleScan, signatures
from dockwright.project.detectors.shapes import runs_file, self_run_module


def _run_call(scan: ModuleScan) -> Invocation | None:
    """The module's ``ui.run(...)`` when it imports nicegui (``nicegui.ui.run`` counts too)."""
    if "nicegui" not in scan.imports:
        return None
    return next((i for i in scan.invocations if i.name in ("ui.run", "nicegui.ui.run")), None)


def _notes(scan: ModuleScan, call: Invocation) -> tuple[str, ...]:
    out: list[str] = []
    where = f"{scan.rel}:{call.line}"
    host = call.keywords.get("host")
    if isinstance(host, str) and host not in ("0.0.0.0", "::"):
        out.append(f"{where}: ui.run(host={host!r}) listens only there, not on the container's interfaces")
    port = call.keywords.get("port")
    if type(port) is int and port < 1024:
        out.append(f"{where}: ui.run(port={port}) is a privileged port the non-root user cannot bind")
    reload = call.keywords.get("reload", True) if "reload" in call.keywords else True
    if reload is True:
        said = "reload=True" if "reload" in call.keywords else "reload left at its default, True"
        out.append(
            f"{where}: ui.run with {said} serves through uvicorn's reloader (a development mode that "
            "watches the working directory and runs the app in a child process); pass reload=False"
        )
    return tuple(out)


def detect(ctx: Context) -> list[Candidate]:
    found = self_run_module(ctx, _run_call, "nicegui app run here")
    if found is None:
        return []
    scan, call, ev = found
    port = call.keywords.get("port")
    return [
        runs_file(
            signatures().framework("nicegui"),
            scan,
            ev,
            script_target(ctx.tree, scan),
            _notes(scan, call),
            port if type(port) is int else None,
        )
    ]
