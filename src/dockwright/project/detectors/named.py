"""Which project file a repository's own launch line names (shared by the UI and worker detectors).

A shell script, Makefile or Procfile that says ``streamlit run app/home.py``, ``panel serve dash.py``
or ``python src/ui/app.py`` tells which of several candidate files is the app: the detectors prefer it
to their own ranking. Looked at: top-level ``*.sh``, ``Makefile`` and ``Procfile``, and ``*.sh`` under
``bin/``, ``docker/``, ``deploy/`` and ``scripts/``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from dockwright.project.detectors.base import Context
from dockwright.project.detectors.scan import ModuleScan
from dockwright.project.facts import Evidence

LAUNCH_DIRS = ("bin", "docker", "deploy", "scripts")


def launch_files(ctx: Context) -> list[str]:
    """The repository's launch files, top level first."""
    out = [r for r in ctx.tree.top_files() if r.endswith(".sh") or r in ("Makefile", "Procfile")]
    for folder in LAUNCH_DIRS:
        if ctx.tree.is_dir(folder):
            out += [f"{folder}/{n}" for n in ctx.tree.listdir(folder) if n.endswith(".sh")]
    return [r for r in out if ctx.tree.is_file(r)]


def named_files(
    ctx: Context, launcher: str, suffixes: tuple[str, ...] = (".py",)
) -> Iterator[tuple[str, Evidence]]:
    """Every project file a launch line runs with ``launcher`` (a regex: ``streamlit\\s+run``), as a
    project-relative path (``./`` and the launch file's own folder resolved), with its evidence."""
    ends = "|".join(re.escape(s) for s in suffixes)
    pattern = re.compile(rf"(?:^|[\s;&|(]){launcher}\s+(?:-\S+\s+)*([\w./-]+(?:{ends}))(?=\s|$|[;&|)])")
    for rel in launch_files(ctx):
        folder = rel.rpartition("/")[0]
        for number, line in enumerate(ctx.tree.read_text(rel).splitlines(), 1):
            for match in pattern.finditer(line):
                path = match.group(1).removeprefix("./")
                for candidate in dict.fromkeys((path, f"{folder}/{path}" if folder else path)):
                    if ctx.tree.is_file(candidate):
                        yield candidate, Evidence(rel, number, line.strip()[:120])
                        break


def named_module(
    ctx: Context, launcher: str, accept: Callable[[ModuleScan], bool]
) -> tuple[ModuleScan, Evidence] | None:
    """The first module a launch line runs with ``launcher`` that the detector accepts (it imports
    the framework ...), with the line's evidence."""
    for rel, ev in named_files(ctx, launcher):
        if rel in ctx.by_rel and accept(ctx.by_rel[rel]):
            return ctx.by_rel[rel], ev
    return None
