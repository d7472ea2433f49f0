"""Streamlit apps, started by their own runner (``streamlit run FILE``).

## What it detects
The file a launch line runs with ``streamlit run`` (a shell script, Makefile or Procfile; see
``named.py``), else the shallowest script importing streamlit, wherever it sits in the package.

## Evidence
The launch line (which also carries its port), else the script (``imports streamlit``).

## Example
```
dashboard/app.py   # import streamlit as st; st.title("Sales")
Makefile           # run: streamlit run dashboard/app.py
```

## Start command
``streamlit run FILE --server.port PORT --server.address 0.0.0.0 --server.headless true`` (the
runner table, ``servers.toml``); the port is the launch line's, else Streamlit's 8501; the health
path is ``/_stcore/health``.
"""

from __future__ import annotations

from collections.abc import Callable

from dockwright.project.detectors.base import Candidate, Context
from dockwright.project.detectors.named import named_module
from dockwright.project.detectors.scan import Framework, Invocation, ModuleScan, signatures
from dockwright.project.facts import Evidence


def runs_file(
    fw: Framework,
    scan: ModuleScan,
    ev: Evidence,
    target: str = "",
    notes: tuple[str, ...] = (),
    port: int | None = None,
) -> Candidate:
    """The web candidate a framework's own runner starts on one file (``target``: default the path;
    ``port``: what the launch line that named it asks for)."""
    return Candidate(
        fw.name,
        "web",
        "web",
        (ev,),
        framework=fw,
        target=target or scan.rel,
        module=scan.module,
        rel=scan.rel,
        notes=notes,
        port=port,
        port_evidence=ev if port else None,
    )


def self_run_module(
    ctx: Context, run_call: Callable[[ModuleScan], Invocation | None], said: str
) -> tuple[ModuleScan, Invocation, Evidence] | None:
    """The module of an app that starts itself (``ui.run(...)``, ``ft.app(main)``), its call and the
    evidence: the file a launch line runs with ``python``, else the first module ``run_call`` finds a
    call in (``said`` at that line). ``run_call`` is asked once per module."""
    calls: dict[str, Invocation | None] = {}

    def call(scan: ModuleScan) -> Invocation | None:
        if scan.rel not in calls:
            calls[scan.rel] = run_call(scan)
        return calls[scan.rel]

    named = named_module(ctx, r"python[\d.]*", lambda s: call(s) is not None)
    scan = named[0] if named else next((s for s in ctx.scans if call(s) is not None), None)
    found = call(scan) if scan is not None else None
    if scan is None or found is None:
        return None
    return scan, found, named[1].evidence if named else Evidence(scan.rel, found.line, said)


def detect(ctx: Context) -> list[Candidate]:
    fw = signatures().framework("streamlit")

    def imports(scan: ModuleScan) -> bool:
        return fw.module in scan.imports and not scan.rel.endswith("__init__.py")

    named = named_module(ctx, r"streamlit\s+run", imports)
    if named:
        scan, launch = named
        return [runs_file(fw, scan, launch.evidence, port=launch.port)]
    for scan in ctx.scans:
        if imports(scan):
            return [runs_file(fw, scan, Evidence(scan.rel, None, "imports streamlit"))]
    return []
