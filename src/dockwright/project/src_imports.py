"""An app that runs from its tree while its start imports a package of the project's ``src/`` layout.

What it does
    When the start runs a file of the source tree (a script at the root, which no wheel carries) and a
    module it loads imports a top-level name that only ``src/`` holds (``run_bot.py``: ``from stocknews
    import feed`` with ``src/stocknews/``): a project that builds a wheel has it installed as well
    (``AppFacts.own_imports``, the ``app-scripts`` decision: the package with its metadata and compiled
    parts, as ``uv run run_bot.py`` installs it); a project without a build system gets ``/app/src`` on
    ``PYTHONPATH``.

Why is this bad?
    The tree is copied to ``/app`` and nothing installs the package: the image built, and the bot
    stopped at its first line with ``ModuleNotFoundError: No module named 'stocknews'`` (rw41).

Example
    ``run_bot.py`` + ``src/stocknews/__init__.py`` + ``[build-system]`` (hatchling or uv_build) -> the
    project's wheel installed into the venv, the tree copied, ``CMD ["python", "run_bot.py"]``.

Use instead
    Nothing to change; a console script (``[project.scripts]``) would be installed with the wheel.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable

from dockwright.project.detectors.scan import ModuleScan
from dockwright.project.facts import AppFacts, EnvSetting, Evidence
from dockwright.project.loaded_modules import loaded_modules
from dockwright.project.model_files import APP_DIR
from dockwright.project.root_module import served_module
from dockwright.project.source_roots import module_path
from dockwright.project.tree import ProjectTree

SRC = "src"


def src_import(
    tree: ProjectTree, scans: Iterable[ModuleScan], command: tuple[str, ...]
) -> tuple[str, Evidence] | None:
    """(the name, where) of the first import, by a module of the tree outside ``src/`` that the start
    loads, of a top-level name only ``src/`` holds; None when ``src/`` is a package itself or nothing
    imports from it."""
    if not tree.is_dir(SRC) or tree.is_file(f"{SRC}/__init__.py"):
        return None
    listed = [s for s in scans if s.module]
    words = {w.split(":", 1)[0] for w in command}
    roots = [s.module for s in listed if s.module in words or s.rel in words or f"./{s.rel}" in words]
    loaded = (loaded_modules(tree, listed, roots) or []) if roots else []
    for scan in loaded:
        if scan.rel.startswith(f"{SRC}/"):
            continue
        for name, line in scan.import_sites:
            top = name.split(".", 1)[0]
            inside = tree.is_dir(f"{SRC}/{top}") or tree.is_file(f"{SRC}/{top}.py")
            if inside and not (tree.is_dir(top) or tree.is_file(f"{top}.py")):
                return top, Evidence(scan.rel, line, f"imports {top}, which only {SRC}/ holds")
    return None


def with_src_path(app: AppFacts, found: Evidence) -> AppFacts:
    """``app`` with ``/app/src`` on ``PYTHONPATH`` (unchanged when it sets PYTHONPATH already)."""
    if any(e.name == "PYTHONPATH" for e in app.env):
        return app
    why = (
        f"the app runs from its tree, and {found.file} imports a package of src/ that nothing installs: "
        "src/ on the import path, as an editable install puts it"
    )
    return dataclasses.replace(
        app, env=(*app.env, EnvSetting("PYTHONPATH", f"{APP_DIR}/{SRC}", why, (found,)))
    )


def with_served_src(tree: ProjectTree, app: AppFacts) -> AppFacts:
    """``app``, a package that runs from its tree, with ``/app/src`` on ``PYTHONPATH`` when the module its
    start serves is in the ``src/`` layout (``uvicorn quartr.asgi:app`` with ``src/quartr/asgi.py``):
    installed, the wheel put it on the path; copied, only ``src/`` holds it."""
    module = served_module(app.command.value or ())
    rel = module_path(tree, module) if module else None
    if rel is None or not rel.startswith(f"{SRC}/") or tree.is_file(f"{SRC}/__init__.py"):
        return app
    return with_src_path(app, Evidence(rel, None, f"the start serves {module}, which only {SRC}/ holds"))
