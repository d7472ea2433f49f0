"""A project that is a server started by its own command line.

## What it detects
A console script of the project that ``data/server_clis.toml`` lists as a server CLI of this very
distribution (the thumbor, datasette or lnbits repository itself). It ranks before the framework scans:
the tool's documented start beats an app object found in its source (``lnbits`` applies its command
line to its settings and restarts the server when its admin page asks; ``uvicorn lnbits.__main__:app``
does neither, and listens on another port).

## Evidence
The line declaring the script (``console script lnbits = lnbits.server:main``); the port from the
table's documented default.

## Example
```toml
[project]
name = "lnbits"

[project.scripts]
lnbits = "lnbits.server:main"
```

## Start command
The table's command, with the flag that binds all interfaces when the tool listens on loopback by
default (``lnbits --host 0.0.0.0``), on the documented port (5000).
"""

from __future__ import annotations

from dockwright.project.detectors.base import Candidate, Context
from dockwright.project.detectors.console_scripts import project_name, usable_scripts
from dockwright.project.detectors.server_clis import own_server


def detect(ctx: Context) -> list[Candidate]:
    out: list[Candidate] = []
    for name, target, ev in usable_scripts(ctx):
        server = own_server(name, project_name(ctx))
        if server:
            out.append(
                Candidate(
                    "console-script",
                    name,
                    "web",
                    (ev,),
                    command=server.start,
                    target=target,
                    module=target.split(":")[0],
                    port=server.port,
                    port_evidence=server.port_evidence(server.start, ev),
                )
            )
    return out
