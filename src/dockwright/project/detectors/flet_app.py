"""Flet apps: a script importing flet that calls ``ft.app(main)`` (``ft.run(main)`` since flet 1.0).

## What it detects
A module importing flet that calls its ``app(...)`` or ``run(...)`` (``import flet as ft`` ...
``ft.app(target=main)``, ``from flet import app``), at module level or under its ``__main__`` guard,
preferring the file a launch line runs with ``python`` (see ``named.py``), else the shallowest such
module. A call with ``export_asgi_app=True`` returns an ASGI app for a server instead and does not count.

## Evidence
The launch line that names the file, else the line of the call (``flet app run here``).

## Example
```python
# board.py
import flet as ft


def main(page: ft.Page) -> None:
    page.add(ft.Text("Tasks"))


ft.app(target=main, view=ft.AppView.WEB_BROWSER, port=8550)
```

## Start command
A Flet app starts itself, so the image runs ``python FILE`` (``python -m pkg.mod`` inside a package).
In a container (Linux without a display) flet serves its web client instead of opening a window; the
port is a literal ``port=`` of the call, else 8000 (flet's own default there).
``FLET_FORCE_WEB_SERVER``, ``FLET_SERVER_IP=0.0.0.0`` and ``FLET_SERVER_PORT`` are set so every release
listens there (the runner table, ``servers.toml``). A literal ``host`` is reported: ``FLET_SERVER_IP``
overrides it. flet 0.25 and later keep that server in flet-web, which only the ``web`` extra installs
and flet otherwise pip-installs at the first start: it is added to the lock
(``data/unrequired_imports.toml``).
"""

from __future__ import annotations

import re

from dockwright.project.detectors.base import Candidate, Context, script_target
from dockwright.project.detectors.scan import Invocation, ModuleScan, signatures
from dockwright.project.detectors.shapes import runs_file, self_run_module

_ALIAS = re.compile(r"^\s*import\s+flet\s+as\s+(\w+)", re.M)
_CALLS = ("app", "run")


def _run_call(ctx: Context, scan: ModuleScan) -> Invocation | None:
    """The module's call that starts its Flet app, when it imports flet."""
    if "flet" not in scan.imports:
        return None
    text = ctx.tree.read_text(scan.rel) if ctx.tree.is_file(scan.rel) else ""
    heads = {"flet", *_ALIAS.findall(text)}
    for call in scan.invocations:
        head, _, last = call.name.rpartition(".")
        imported = scan.from_imports.get(call.name, "") if not head else ""
        if call.keywords.get("export_asgi_app") is True:
            continue
        if (head in heads and last in _CALLS) or imported in ("flet.app", "flet.run"):
            return call
    return None


def _notes(scan: ModuleScan, call: Invocation) -> tuple[str, ...]:
    host = call.keywords.get("host")
    if isinstance(host, str) and host not in ("0.0.0.0", "::", ""):
        return (
            f"{scan.rel}:{call.line}: {call.name}(host={host!r}) would listen only there; the image sets "
            "FLET_SERVER_IP=0.0.0.0, which flet reads over it",
        )
    return ()


def detect(ctx: Context) -> list[Candidate]:
    found = self_run_module(ctx, lambda scan: _run_call(ctx, scan), "flet app run here")
    if found is None:
        return []
    scan, call, ev = found
    port = call.keywords.get("port")
    return [
        runs_file(
            signatures().framework("flet"),
            scan,
            ev,
            script_target(ctx.tree, scan),
            _notes(scan, call),
            port if type(port) is int and port > 0 else None,
        )
    ]
