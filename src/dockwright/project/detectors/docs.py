"""Each start detector's documentation, and docs/detectors.md generated from the registry (rank order):
``python -m dockwright.project.detectors.docs > docs/detectors.md``."""

from __future__ import annotations

import inspect
import re
import sys
from dataclasses import dataclass

from dockwright.errors import DockwrightError
from dockwright.project.detectors import DETECTORS, Detector

SECTIONS = ("## What it detects", "## Evidence", "## Example", "## Start command")
"""The fixed sections of a detector module's docstring, in this order, after a one-line summary."""


@dataclass(frozen=True)
class DetectorDoc:
    rank: int  # 1 = strongest source (registry order)
    name: str  # as in the registry (and the candidates' source)
    module: str  # the detector's module, e.g. dockwright.project.detectors.procfile
    summary: str  # the docstring's first line
    docs: str  # Markdown: What it detects / Evidence / Example / Start command


def describe(rank: int, name: str, detector: Detector) -> DetectorDoc:
    module = sys.modules[detector.__module__]
    summary, _, docs = inspect.cleandoc(module.__doc__ or "").partition("\n")
    return DetectorDoc(rank, name, module.__name__, summary.strip(), docs.strip())


def documented() -> list[DetectorDoc]:
    """Every registered detector's documentation, in rank order."""
    return [describe(rank, name, detector) for rank, (name, detector) in enumerate(DETECTORS, 1)]


def explain(name: str) -> str:
    """The documentation of the detector ``name``, as Markdown with a heading."""
    doc = next((d for d in documented() if d.name == name), None)
    if doc is None:
        raise DockwrightError(f"no start detector {name!r}; `dockwright plan --list-detectors` lists them")
    where = f"Rank {doc.rank} of {len(DETECTORS)} (`{doc.module}`)."
    return f"# {doc.name}: {doc.summary}\n\n{where}\n\n{doc.docs}\n"


def _demote(docs: str) -> str:
    """Detector docs use ``##`` sections; inside detectors.md they sit one level deeper."""
    return re.sub(r"^## ", "#### ", docs, flags=re.M)


def detectors_markdown() -> str:
    docs = documented()
    out = [
        "# dockwright start detectors",
        "",
        "Generated from the detector registry (`python -m dockwright.project.detectors.docs`); do not edit",
        "by hand. Each detector reads one source that can say how the app starts; they are listed in rank",
        "order (earlier = stronger evidence). Explicit configuration (`--start`, `--port`,",
        "`[tool.dockwright]`) is read before any of them; across sources a web process beats a worker and a",
        "worker beats a CLI (see [detection.md](detection.md)). `dockwright plan --explain-detector NAME`",
        "prints one.",
        "",
        "| rank | name | summary |",
        "| --- | --- | --- |",
    ]
    out += [f"| {doc.rank} | `{doc.name}` | {doc.summary} |" for doc in docs]
    for doc in docs:
        out += ["", f"## {doc.rank}. `{doc.name}`", "", doc.summary, "", _demote(doc.docs)]
    return "\n".join(out) + "\n"


if __name__ == "__main__":  # pragma: no cover
    print(detectors_markdown(), end="")
