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

- Gradio keeps cached examples in ``.gradio/cached_examples`` (``GRADIO_EXAMPLES_CACHE``), made at launch
  when an Interface caches its examples, and flagged samples in ``.gradio/flagged`` (an Interface's
  ``flagging_dir``), written when a user presses Flag, which Interfaces show by default
  (https://www.gradio.app/guides/using-flagging, https://www.gradio.app/docs/gradio/interface).

- Chainlit makes ``.files/`` (uploaded files) in its app root when ``chainlit.config`` is imported, and
  ``chainlit run`` writes ``.chainlit/config.toml`` and ``.chainlit/translations/`` there when they are
  missing; the app root is ``CHAINLIT_APP_ROOT``, default the working directory (chainlit's
  ``config.py``: ``FILES_DIRECTORY.mkdir``, ``init_config``).

Files too: ``chainlit run`` writes ``chainlit.md`` (the welcome page) in the app root when the project
has none (chainlit's ``markdown.py`` ``init_markdown``): without one in the project it is created owned
by the app user. FastHTML's ``fast_app()`` reads its session-signing key from ``.sesskey`` and writes one when
the file is missing (fasthtml's ``core.py`` ``get_key``): the developer's copy is a secret the
.dockerignore keeps out, and an empty file made for the app user would be read as an empty key (every
session forgeable), so the plan says to give the key from the environment instead (:func:`library_notes`).

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
        "chainlit",
        ".files",
        "CHAINLIT_APP_ROOT",
        r"\bimport chainlit\b|\bfrom chainlit\b",
        "chainlit makes .files/ (uploads) in its app root, the working directory (CHAINLIT_APP_ROOT unset), "
        "when it is imported",
    ),
    LibraryDir(
        "chainlit",
        ".chainlit",
        "CHAINLIT_APP_ROOT",
        r"\bimport chainlit\b|\bfrom chainlit\b",
        "chainlit run writes .chainlit/config.toml and .chainlit/translations/ in its app root, the working "
        "directory (CHAINLIT_APP_ROOT unset), when they are missing",
    ),
    LibraryDir(
        "gradio",
        ".gradio",
        "GRADIO_EXAMPLES_CACHE",
        r"\bcache_examples\s*=\s*True|\bflagging_|\b(?:gr|gradio)\.(?:Interface|ChatInterface)\(",
        "Gradio writes .gradio/ in the working directory: cached examples at launch (cache_examples, "
        "GRADIO_EXAMPLES_CACHE unset) and flagged samples at an Interface's Flag button, on by default",
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


@dataclass(frozen=True)
class LibraryFile:
    module: str  # top-level import name
    file: str  # relative to the working directory, written when the project lacks it
    variable: str  # the environment variable (or the argument) that moves it: named, the project chose
    why: str
    # a secret (a pattern of dockwright.secrets keeps the project's copy out of the build context): never
    # made as an empty file, which the library would read as its key; the plan says how to give it instead
    kept_out: bool = False
    # a kept-out file is said only where a module of the start uses it: a regex of that line ("": the import)
    use: str = ""


LIBRARY_FILES: tuple[LibraryFile, ...] = (
    LibraryFile(
        "chainlit",
        "chainlit.md",
        "CHAINLIT_APP_ROOT",
        "chainlit run writes chainlit.md (its welcome page) in its app root, the working directory "
        "(CHAINLIT_APP_ROOT unset), when the project has none",
    ),
    LibraryFile(
        "fasthtml",
        ".sesskey",
        "secret_key",
        "FastHTML's fast_app() reads the key that signs its session cookies from .sesskey in the working "
        "directory and writes a new one there when the file is missing (no secret_key given): the "
        "developer's .sesskey is a secret the .dockerignore keeps out, and the app user cannot write "
        "the app directory, so the app stops at import (PermissionError); pass fast_app the key as its "
        "secret_key argument, read from the environment (one key for every replica)",
        kept_out=True,
    ),
    LibraryFile(
        "streamlit",
        ".streamlit/secrets.toml",
        "STREAMLIT_SECRETS_FILES",
        "the app reads st.secrets, which Streamlit loads from .streamlit/secrets.toml, a secret no image "
        "carries (the .dockerignore keeps the project's out): give it at run time: mount it read-only "
        '(docker run -v "$PWD/.streamlit/secrets.toml:/app/.streamlit/secrets.toml:ro"), or read the '
        "values from environment variables",
        kept_out=True,
        use=r"\bst\.secrets\b|\bstreamlit\.secrets\b",
    ),
)


def library_files(tree: ProjectTree, scans: tuple[ModuleScan, ...]) -> list[Fact[str]]:
    """The files of :data:`LIBRARY_FILES` the libraries of the modules the start loads write, where the
    project has none."""
    out: list[Fact[str]] = []
    for row in LIBRARY_FILES:
        users = [s for s in scans if row.module in s.imports]
        if not users or tree.is_file(row.file) or row.kept_out:
            continue
        if any(tree.line_of(s.rel, re.escape(row.variable)) for s in scans):
            continue
        line = tree.line_of(users[0].rel, rf"\b{re.escape(row.module)}\b")
        out.append(Fact(row.file, (Evidence(users[0].rel, line, row.why),)))
    return out


def library_notes(tree: ProjectTree, scans: tuple[ModuleScan, ...]) -> list[str]:
    """What the plan says of each secret file of :data:`LIBRARY_FILES` (``kept_out``) the libraries of the
    modules the start loads read and write, where the project does not give it another way."""
    out: list[str] = []
    for row in LIBRARY_FILES:
        users = [s for s in scans if row.module in s.imports]
        if not row.kept_out or not users or any(tree.line_of(s.rel, re.escape(row.variable)) for s in scans):
            continue
        pattern = row.use or rf"\b{re.escape(row.module)}\b"
        used = next(((s, line) for s in users if (line := tree.line_of(s.rel, pattern))), None)
        if used is not None:
            out.append(f"{used[0].rel}:{used[1]}: {row.why}")
    return out
