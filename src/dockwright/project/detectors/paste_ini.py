"""PasteDeploy apps (Pyramid and other WSGI apps configured by an ``.ini`` file).

## What it detects
A production ``.ini`` file (``production.ini``, ``prod.ini``, ``app.ini``, ``deploy.ini`` at the
root or under ``conf/``, ``config/``, ``etc/``, ``deploy/``) whose ``main`` application section
(``[app:main]``, ``[pipeline:main]``, ``[composite:main]``, ``[filter-app:main]``) names the app, as
Pyramid projects are deployed. ``development.ini`` and test configs are not production.

## Evidence
The application section's line in the ``.ini`` file; its ``[server:main]`` ``listen``/``port``
line carries the port.

## Example
```ini
# production.ini
[app:main]
use = egg:shop

[server:main]
use = egg:waitress#main
listen = *:6543
```

## Start command
``gunicorn --paste FILE --bind 0.0.0.0:PORT`` when the project depends on gunicorn (gunicorn loads
the PasteDeploy app, the ``--bind`` it would otherwise leave on 127.0.0.1); else ``pserve FILE``
(Pyramid's runner, serving with the file's ``[server:main]``) when the project depends on Pyramid
and the file has one; else gunicorn, added to the lock. The port is the ``[server:main]`` one, else
8000 (gunicorn's). A ``[server:main]`` listening on localhost is reported: ``pserve`` would serve
only inside the container.
"""

from __future__ import annotations

import configparser

from dockwright.project.detectors.base import Candidate, Context
from dockwright.project.facts import Evidence

NAMES = ("production.ini", "prod.ini", "app.ini", "deploy.ini")
DIRS = ("", "conf/", "config/", "etc/", "deploy/")
_APP_SECTIONS = ("app:main", "pipeline:main", "composite:main", "filter-app:main")
_LOOPBACK = ("localhost", "127.0.0.1", "[::1]")


def _line_of(text: str, needle: str) -> int | None:
    """1-based line of the first line that starts with ``needle`` (after spaces), else None."""
    for number, line in enumerate(text.splitlines(), 1):
        if line.strip().startswith(needle):
            return number
    return None


def _listen(server: configparser.SectionProxy) -> tuple[str, int | None]:
    """(host, port) a ``[server:main]`` section listens on (``listen = *:6543`` or host/port keys)."""
    listen = server.get("listen", "").split()
    if listen:
        host, _, port = listen[0].rpartition(":")
        return host, int(port) if port.isdigit() else None
    port = server.get("port", "")
    return server.get("host", ""), int(port) if port.isdigit() else None


def _candidate(
    ctx: Context, rel: str, text: str, parser: configparser.ConfigParser, section: str
) -> Candidate:
    ev = Evidence(rel, _line_of(text, f"[{section}]"), f"PasteDeploy [{section}]")
    host, port = _listen(parser["server:main"]) if parser.has_section("server:main") else ("", None)
    port_line = _line_of(text, "listen") or _line_of(text, "port")
    port_ev = Evidence(rel, port_line, f"[server:main] port {port}")
    notes: tuple[str, ...] = ()
    if "gunicorn" not in ctx.dependencies and "pyramid" in ctx.dependencies and port:
        command: tuple[str, ...] = ("pserve", rel)
        if host in _LOOPBACK:
            notes = (f"{rel}:{port_line}: [server:main] listens on {host}: serve on *:{port}",)
    else:
        command = ("gunicorn", "--paste", rel, "--bind", f"0.0.0.0:{port or 8000}")
    return Candidate(
        "paste-ini",
        "web",
        "web",
        (ev,),
        command=command,
        port=port or 8000,
        port_evidence=port_ev if port else ev,
        rel=rel,
        notes=notes,
    )


def detect(ctx: Context) -> list[Candidate]:
    for folder in DIRS:
        for name in NAMES:
            rel = folder + name
            if not ctx.tree.is_file(rel):
                continue
            text = ctx.tree.read_text(rel)
            parser = configparser.ConfigParser(interpolation=None, strict=False)
            try:
                parser.read_string(text, rel)
            except configparser.Error:
                continue
            section = next((s for s in _APP_SECTIONS if parser.has_section(s)), None)
            if section is not None:
                return [_candidate(ctx, rel, text, parser, section)]
    return []
