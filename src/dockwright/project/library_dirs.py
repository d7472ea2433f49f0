"""Folders a library keeps its own files in under the working directory, which is the app directory.

The image runs as a non-root user over a root-owned app directory, so a library that creates a folder
in the working directory stops with ``PermissionError`` the first time it writes there. Each row names
the import, the folder, the environment variable the library reads to put it elsewhere, and when the
folder is written:

- NiceGUI keeps ``app.storage`` (general, per user, per tab) as JSON files in ``.nicegui/`` of the
  working directory, resolved when nicegui is imported (``Storage.path``, from ``NICEGUI_STORAGE_PATH``,
  default ``.nicegui``) and created at the first storage write (nicegui 3.18's ``storage.py`` and
  ``persistence/file_persistent_dict.py``; https://nicegui.io/documentation/storage).
- Faust keeps its tables' local state in ``{app id}-data/`` of the working directory (``datadir``, from
  ``FAUST_DATADIR``/``F_DATADIR``, faust/types/_env.py), made by the worker at start
  (faust/app/base.py ``_prepare_datadir``); the Faust detector sets ``FAUST_DATADIR=faust-data`` so the
  folder has a name the plan knows whatever the app id
  (https://faust-streaming.github.io/faust/userguide/settings.html#datadir).

A module the start loads that imports the library gets the folder made writable, unless the project sets
the variable itself (it chose the place: a volume, a folder outside the app).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from dockwright.project.detectors.scan import ModuleScan
from dockwright.project.facts import Evidence, Fact
from dockwright.project.tree import ProjectTree


@dataclass(frozen=True)
class LibraryDir:
    module: str  # top-level import name
    folder: str  # relative to the working directory
    variable: str  # the environment variable that moves it
    use: str  # a regex of the line that uses the folder (its evidence), else the import's line
    why: str


LIBRARY_DIRS: tuple[LibraryDir, ...] = (
    LibraryDir(
        "nicegui",
        ".nicegui",
        "NICEGUI_STORAGE_PATH",
        r"\bstorage\b",
        "NiceGUI keeps app.storage in .nicegui/ of the working directory (NICEGUI_STORAGE_PATH unset) and "
        "creates it at the first storage write",
    ),
    LibraryDir(
        "faust",
        "faust-data",
        "FAUST_DATADIR",
        r"\bfaust\.App\(",
        "a Faust worker keeps its tables' local state in its data directory (FAUST_DATADIR=faust-data, "
        "which the plan sets) and creates it at start",
    ),
)


def library_dirs(tree: ProjectTree, scans: tuple[ModuleScan, ...]) -> list[Fact[str]]:
    """The folders of :data:`LIBRARY_DIRS` that the modules the start loads make their libraries write."""
    out: list[Fact[str]] = []
    for row in LIBRARY_DIRS:
        users = [s for s in scans if row.module in s.imports]
        if not users or any(tree.line_of(s.rel, re.escape(row.variable)) for s in scans):
            continue
        used = next(((s, line) for s in users if (line := tree.line_of(s.rel, row.use))), None)
        scan, line = used or (users[0], tree.line_of(users[0].rel, rf"\b{re.escape(row.module)}\b"))
        out.append(Fact(row.folder, (Evidence(scan.rel, line, row.why),)))
    return out
