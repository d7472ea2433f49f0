"""Streamlit apps, started by their own runner (``streamlit run FILE``): the file a launch line runs
with ``streamlit run`` (a shell script, Makefile or Procfile; see ``named.py``), else the shallowest
script importing streamlit, wherever it sits in the package.
"""

from __future__ import annotations

from dockwright.project.detectors.base import Candidate, Context
from dockwright.project.detectors.named import named_module
from dockwright.project.detectors.scan import Framework, ModuleScan, signatures
from dockwright.project.facts import Evidence


def runs_file(
    fw: Framework, scan: ModuleScan, ev: Evidence, target: str = "", notes: tuple[str, ...] = ()
) -> Candidate:
    """The web candidate a framework's own runner starts on one file (``target``: default the path)."""
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
    )


def detect(ctx: Context) -> list[Candidate]:
    fw = signatures().framework("streamlit")

    def imports(scan: ModuleScan) -> bool:
        return fw.module in scan.imports and not scan.rel.endswith("__init__.py")

    named = named_module(ctx, r"streamlit\s+run", imports)
    if named:
        return [runs_file(fw, named[0], named[1])]
    for scan in ctx.scans:
        if imports(scan):
            return [runs_file(fw, scan, Evidence(scan.rel, None, "imports streamlit"))]
    return []
