"""saq workers: a module-level settings dict, run by ``saq``.

## What it detects
A module importing saq that assigns, at module level, a dict literal with the keys ``queue`` and
``functions`` (the worker's keyword arguments: ``settings = {"queue": queue, "functions": [...],
"concurrency": 10}``), conventionally named ``settings``.

## Evidence
The line of the settings dict.

## Example
```python
# jobs.py
from saq import Queue

queue = Queue.from_url("redis://redis:6379")

async def resize(ctx, *, path): ...

settings = {"queue": queue, "functions": [resize], "concurrency": 4}
```

## Start command
``saq jobs.settings`` (the settings' dotted path), no port: saq's ``--web`` monitor is an option of
the user's (https://saq-py.readthedocs.io/en/latest/getting_started.html). A module whose own imports
resolve only from a folder that is not a package is imported from that folder, with ``PYTHONPATH``
(shapes.worker_import).
"""

from __future__ import annotations

import ast

from dockwright.project.ast_names import assignment
from dockwright.project.detectors.base import Candidate, Context, outside_app
from dockwright.project.detectors.shapes import worker_import
from dockwright.project.facts import Evidence

_KEYS = frozenset({"queue", "functions"})


def _settings(syntax: ast.Module) -> list[tuple[str, int]]:
    """(variable, line) of the module-level dicts naming a queue and functions, ``settings`` first."""
    out = []
    for stmt in syntax.body:
        targets, value = assignment(stmt)
        if not isinstance(value, ast.Dict) or len(targets) != 1 or not isinstance(targets[0], ast.Name):
            continue
        keys = {k.value for k in value.keys if isinstance(k, ast.Constant) and isinstance(k.value, str)}
        if keys >= _KEYS:
            out.append((targets[0].id, stmt.lineno))
    return sorted(out, key=lambda found: found[0] != "settings")


def detect(ctx: Context) -> list[Candidate]:
    for scan in ctx.scans:
        if "saq" not in scan.imports or scan.syntax is None or not scan.module or outside_app(scan.rel):
            continue
        for var, line in _settings(scan.syntax):
            where = worker_import(ctx, "saq", scan)
            return [
                Candidate(
                    "saq",
                    "saq",
                    "worker",
                    (Evidence(scan.rel, line, f"saq worker settings `{var}`{where.said}"),),
                    command=("saq", f"{where.module}.{var}"),
                    module=scan.module,
                    rel=scan.rel,
                    env=where.env,
                )
            ]
    return []
