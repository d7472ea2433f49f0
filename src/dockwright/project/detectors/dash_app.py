"""Dash apps (``app = Dash(__name__)``), served by a production server through Dash's Flask server.

## What it detects
Which module: the one a launch line runs (``python index.py``; see ``named.py``), else one that
imports the app and binds its server for a WSGI server (``wsgi.py``: ``server = app.server``), else
the one that calls ``app.run()`` / ``app.run_server()`` on a Dash app it defines or imports
(multi-file apps define the app in ``app.py`` and register the layout and callbacks in
``index.py``: serving ``app.py`` alone would serve no page), else the module defining the app.

What object: a name the module binds to the app's Flask server (``server = app.server``, the Dash
deployment guide's convention, or ``from app import server``) is served as ``module:server``; else
the Dash object itself, a WSGI callable since Dash 3 (``module:app``; on Dash 2, add
``server = app.server``).

## Evidence
The launch line that names the module, else the line binding the app's server, else the line
calling ``app.run()``, else the line defining the Dash app.

## Example
```
app.py     # app = Dash(__name__); server = app.server
index.py   # from app import app, server; app.layout = ...; app.run(port=8060)
```

## Start command
The WSGI server comes from ``servers.toml`` (one the project depends on, else gunicorn added to the
lock): ``gunicorn index:server``. ``Dash(backend="fastapi" | "quart")`` (Dash 4) is ASGI: uvicorn
serves ``module:app.server``. Port: a literal ``app.run(port=N)``, else Dash's 8050. A file in a
folder that is not a package is imported from that folder (gunicorn ``--chdir``).
"""

from __future__ import annotations

from dockwright.project.detectors.base import Candidate, Context, import_dir
from dockwright.project.detectors.named import named_module
from dockwright.project.detectors.scan import ModuleScan, signatures
from dockwright.project.facts import Evidence

_RUNS = ("run", "run_server")
_ASGI_BACKENDS = ("fastapi", "quart")


def detect(ctx: Context) -> list[Candidate]:
    fw = signatures().framework("dash")
    defined = {f"{s.module}.{var}": s for s in ctx.scans for name, var, _ in s.apps if name == fw.name}
    if not defined:
        return []

    def app_var(scan: ModuleScan) -> str | None:
        """The local name of a Dash app in ``scan``: defined there, or imported from where it is."""
        own = next((var for name, var, _ in scan.apps if name == fw.name), None)
        return own or next((n for n, full in scan.from_imports.items() if full in defined), None)

    def run_line(scan: ModuleScan) -> int | None:
        var = app_var(scan)
        calls = (i for i in scan.invocations if i.last in _RUNS and i.name.rsplit(".", 1)[0] == var)
        return next((i.line for i in calls), None)

    def wsgi_module(scan: ModuleScan) -> int | None:
        """The line where a module that imports a Dash app binds its server (``wsgi.py``)."""
        var = app_var(scan)
        if not var or any(name == fw.name for name, _, _ in scan.apps):
            return None
        return next((line for value, line in scan.attributes.values() if value == f"{var}.server"), None)

    named = named_module(ctx, r"python[\d.]*", lambda s: app_var(s) is not None)
    found = (named[0], named[1].evidence) if named else None
    if found is None:
        binder = next((s for s in ctx.scans if wsgi_module(s) is not None), None)
        if binder is not None:
            found = (binder, Evidence(binder.rel, wsgi_module(binder), "binds the dash app's server"))
    if found is None:
        runner = next((s for s in ctx.scans if run_line(s) is not None), None)
        if runner is not None:
            found = (runner, Evidence(runner.rel, run_line(runner), "dash app run here"))
    if found is None:
        first = next(iter(defined.values()))
        var, line = next((v, ln) for name, v, ln in first.apps if name == fw.name)
        found = (first, Evidence(first.rel, line, f"dash app `{var}`"))
    scan, ev = found
    var = app_var(scan) or "app"
    home = defined.get(scan.from_imports.get(var, f"{scan.module}.{var}"), scan)
    backend = next((i.keywords.get("backend") for i in home.invocations if i.last == "Dash"), None)
    interface = "asgi" if backend in _ASGI_BACKENDS else "wsgi"
    server = _server_name(scan, var, home)
    attr = server or (f"{var}.{fw.attribute}" if interface == "asgi" else var)
    if server:
        detail = f"{ev.detail}; serves `{attr}`"
    elif interface == "asgi":
        detail = f"{ev.detail}; serves `{attr}` (Dash backend {backend!r}: ASGI)"
    else:
        detail = (
            f"{ev.detail}; serves `{attr}` "
            f"(no `server = {var}.server`: the Dash object, a WSGI app since Dash 3)"
        )
    chdir, module = import_dir(ctx.tree, scan)
    return [
        Candidate(
            fw.name,
            "web",
            "web",
            (Evidence(ev.file, ev.line, detail),),
            framework=fw,
            target=f"{module}:{attr}",
            interface=interface if interface != "wsgi" else "",
            chdir=chdir,
            module=scan.module,
            rel=scan.rel,
        )
    ]


def _server_name(scan: ModuleScan, var: str, home: ModuleScan) -> str | None:
    """A name ``scan`` binds to the Dash app's Flask server (``server = app.server``, or imported)."""
    for name, (value, _) in scan.attributes.items():
        if value == f"{var}.server":
            return name
    for name, (value, _) in home.attributes.items():
        if value.endswith(".server") and scan.from_imports.get(name) == f"{home.module}.{name}":
            return name
    return None
