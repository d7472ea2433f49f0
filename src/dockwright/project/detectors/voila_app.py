"""Voilà dashboards: a notebook served as a page by ``voila``.

## What it detects
A project that depends on voila and has a notebook (``.ipynb``): the one a launch line serves with
``voila`` (a script, Makefile, Procfile or the own Dockerfile's command), else the shallowest notebook
outside examples/, docs/, tests/ ... (by path when several are as shallow).

## Evidence
The launch line, else the project's dependency on voila beside the notebook.

## Example
```text
requirements.txt      voila
                      ipywidgets
dashboard.ipynb       a notebook of widgets
```

## Start command
``voila NOTEBOOK --no-browser --Voila.ip=0.0.0.0 --port=8866`` (the runner table, ``servers.toml``):
voila listens on localhost unless ``--Voila.ip`` says otherwise, and the launch line's port, else 8866.
"""

from __future__ import annotations

from dockwright.project.detectors.base import NOT_THE_APP, Candidate, Context
from dockwright.project.detectors.named import named_files
from dockwright.project.detectors.scan import signatures
from dockwright.project.detectors.shapes import launched_notebook, runs_notebook
from dockwright.project.facts import Evidence
from dockwright.project.tree import ProjectTree


def _notebooks(tree: ProjectTree, rel: str = ".", depth: int = 0) -> list[str]:
    """Notebooks of the project, shallowest first (two folders down at most)."""
    out: list[str] = []
    folders: list[str] = []
    for name in sorted(tree.listdir(rel)):
        path = name if rel == "." else f"{rel}/{name}"
        if name.endswith(".ipynb") and tree.is_file(path):
            out.append(path)
        elif depth < 2 and tree.is_dir(path) and name not in NOT_THE_APP and not name.startswith((".", "_")):
            folders.append(path)
    for folder in folders:
        out += _notebooks(tree, folder, depth + 1)
    return sorted(out, key=lambda p: (p.count("/"), p))


def detect(ctx: Context) -> list[Candidate]:
    if "voila" not in ctx.dependencies:
        return []
    fw = signatures().framework("voila")
    launch = next(named_files(ctx, r"voila", (".ipynb",)), None)
    if launch is not None:
        return [launched_notebook(fw, launch)]
    found = _notebooks(ctx.tree)
    if not found:
        return []
    return [
        runs_notebook(fw, found[0], Evidence(found[0], None, "a notebook of a project depending on voila"))
    ]
