"""Prefect flows served by their own process: ``flow.serve(...)`` or ``prefect.serve(...)``.

## What it detects
A top-level script (or a package ``__main__``) importing prefect whose ``__main__`` block calls
``serve`` (``nightly.serve(name="nightly", cron="0 3 * * *")``, ``serve(a.to_deployment(...), ...)``).
``serve`` registers the flow's deployment and then polls the Prefect API for scheduled runs until it is
stopped: a long-running worker, not a script that ends.

## Evidence
The script, with the ``__main__`` block's call.

## Example
```python
# nightly.py
from prefect import flow

@flow
def tally(): ...

if __name__ == "__main__":
    tally.serve(name="tally", cron="0 3 * * *")
```

## Start command
``python nightly.py`` (``python -m pkg`` for a package ``__main__``), no port, no probe. Without
``PREFECT_API_URL`` the process starts a temporary API server of its own, which never schedules runs
("Cannot schedule flows on an ephemeral server"): the plan says to set it to the Prefect server (or
Prefect Cloud workspace) the runs come from, unless the project sets it itself
(https://docs.prefect.io/v3/how-to-guides/deployment_infra/serve-flows-docker).
"""

from __future__ import annotations

import re

from dockwright.project.detectors.base import Candidate, Context, outside_app
from dockwright.project.detectors.bots import script_command
from dockwright.project.facts import Evidence

_API_URL = re.compile(r"\bPREFECT_API_URL\b")


def _sets_api_url(ctx: Context) -> bool:
    """A module, compose file or env example of the project names PREFECT_API_URL."""
    if any(ctx.tree.line_of(s.rel, r"\bPREFECT_API_URL\b") for s in ctx.scans):
        return True
    files = ("compose.yaml", "compose.yml", "docker-compose.yml", "docker-compose.yaml", "Dockerfile")
    return any(ctx.tree.is_file(f) and _API_URL.search(ctx.tree.read_text(f)) for f in files)


def detect(ctx: Context) -> list[Candidate]:
    out: list[Candidate] = []
    for scan in ctx.scans:
        if "prefect" not in scan.imports or "serve" not in scan.main_calls or outside_app(scan.rel):
            continue
        command = script_command(scan.rel, scan.module)
        if command is None:
            continue
        line = ctx.tree.line_of(scan.rel, r"\bserve\s*\(")
        notes = (
            ()
            if _sets_api_url(ctx)
            else (
                f"{scan.rel}: set PREFECT_API_URL (docker run -e) to the Prefect server the flow's runs are "
                "scheduled on: without it the serve process starts a temporary server that never schedules "
                "runs",
            )
        )
        out.append(
            Candidate(
                "prefect-serve",
                "flows",
                "worker",
                (Evidence(scan.rel, line, "serves Prefect flows: polls the Prefect API for scheduled runs"),),
                command=command,
                module=scan.module,
                rel=scan.rel,
                notes=notes,
            )
        )
    return out
