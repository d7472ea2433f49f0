"""Data-app frameworks started by their own runner: Streamlit scripts (``streamlit run``), wherever
they sit in the package (the shallowest script importing streamlit wins, or the one a shell script
names with ``streamlit run``).
"""

from __future__ import annotations

import re

from dockwright.project.detectors.base import Candidate, Context
from dockwright.project.detectors.scan import signatures
from dockwright.project.facts import Evidence


def _named_by_script(ctx: Context) -> tuple[str, Evidence] | None:
    for rel in ctx.tree.top_files():
        if rel.endswith(".sh") or rel in ("Makefile", "Procfile"):
            line = ctx.tree.line_of(rel, r"streamlit\s+run\s+\S+\.py")
            if line:
                text = ctx.tree.read_text(rel).splitlines()[line - 1]
                match = re.search(r"streamlit\s+run\s+(\S+\.py)", text)
                if match and match.group(1) in ctx.by_rel:
                    return match.group(1), Evidence(rel, line, f"streamlit run {match.group(1)}")
    return None


def detect(ctx: Context) -> list[Candidate]:
    fw = signatures().framework("streamlit")
    named = _named_by_script(ctx)
    if named:
        rel, ev = named
        scan = ctx.by_rel[rel]
        return [
            Candidate("streamlit", "web", "web", (ev,), framework=fw, target=rel, module=scan.module, rel=rel)
        ]
    for scan in ctx.scans:
        if fw.module in scan.imports and not scan.rel.endswith("__init__.py"):
            ev = Evidence(scan.rel, None, "imports streamlit")
            return [
                Candidate(
                    "streamlit",
                    "web",
                    "web",
                    (ev,),
                    framework=fw,
                    target=scan.rel,
                    module=scan.module,
                    rel=scan.rel,
                )
            ]
    return []
