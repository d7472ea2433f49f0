"""Solara apps, served by Solara's own program (``solara run FILE``).

## What it detects
The file a launch line runs with ``solara run`` (a shell script, Makefile, Procfile or the own
Dockerfile's command; see ``named.py``), else the shallowest module importing solara that defines a
module-level ``Page`` (the component ``solara run`` serves by default) or ``routes`` (a multi-page app),
wherever it sits in the package. When that module sits in a plain folder (no ``__init__.py``) beside other
modules defining ``Page`` (``pages/00_home.py``, ``pages/01_map.py``), the folder is the app: ``solara run
pages`` serves one route per file.

## Evidence
The launch line (which also carries its port), else the line defining ``Page`` or ``routes``.

## Example
```python
# sol.py
import solara

clicks = solara.reactive(0)


@solara.component
def Page():
    solara.Button(f"Clicked {clicks.value} times", on_click=lambda: clicks.set(clicks.value + 1))
```

## Start command
``solara run FILE --host 0.0.0.0 --port 8765 --no-open`` with ``SOLARA_MODE=production`` (the
runner table, ``servers.toml``): the CLI listens on localhost unless ``--host`` says otherwise, and
recent releases serve in development mode unless told (older ones have no ``--production`` flag, so
the variable says it). The port is the launch line's,
else Solara's 8765; the probe is the server's ``/readyz``.
"""

from __future__ import annotations

import ast

from dockwright.project.detectors.base import Candidate, Context
from dockwright.project.detectors.scan import ModuleScan, signatures
from dockwright.project.detectors.shapes import launched_file, runs_file
from dockwright.project.facts import Evidence

_SERVED = ("Page", "routes")


def _defines(scan: ModuleScan) -> tuple[str, int] | None:
    """The module-level ``Page`` or ``routes`` a module importing solara defines, with its line."""
    if "solara" not in scan.imports or scan.rel.endswith("__init__.py"):
        return None
    tree = scan.syntax
    if tree is None:
        return None
    for stmt in tree.body:
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and stmt.name in _SERVED:
            return stmt.name, stmt.lineno
        targets = stmt.targets if isinstance(stmt, ast.Assign) else []
        if isinstance(stmt, ast.AnnAssign):
            targets = [stmt.target]
        for target in targets:
            if isinstance(target, ast.Name) and target.id in _SERVED:
                return target.id, stmt.lineno
    return None


def detect(ctx: Context) -> list[Candidate]:
    fw = signatures().framework("solara")
    launched = launched_file(ctx, fw, r"solara\s+run", lambda s: "solara" in s.imports)
    if launched is not None:
        return [launched]
    for scan in sorted(ctx.scans, key=lambda s: s.rel.count("/")):
        found = _defines(scan)
        if found:
            name, line = found
            folder = _pages_folder(ctx, scan)
            if folder:
                said = f"solara multi-page app: the folder {folder}/ holds several `Page` modules"
                return [runs_file(fw, scan, Evidence(scan.rel, line, said), target=folder)]
            return [runs_file(fw, scan, Evidence(scan.rel, line, f"solara app: module-level `{name}`"))]
    return []


def _pages_folder(ctx: Context, scan: ModuleScan) -> str:
    """The module's folder when it is a Solara pages folder (no package, two or more of its modules
    define ``Page``: ``solara run pages/`` routes one page per file), else ""."""
    folder = scan.rel.rpartition("/")[0]
    if not folder or ctx.tree.is_file(f"{folder}/__init__.py"):
        return ""
    siblings = [s for s in ctx.scans if s.rel.rpartition("/")[0] == folder and _defines(s)]
    return folder if len(siblings) >= 2 else ""
