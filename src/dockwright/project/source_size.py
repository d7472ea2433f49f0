"""How much Python source of its own the app copies into the image: modules and bytes.

The planner compiles the app's source to bytecode at build time only when there is enough of it
(plan/app_bytecode.py); this counts what the runtime's ``COPY`` takes: every ``.py`` file the tree
scan sees (virtualenvs, hidden, cache and build folders skipped), less the tests and docs folders
the ``.dockerignore`` leaves out.
"""

from __future__ import annotations

from dockwright.project.facts import Evidence, Fact, SourceSize
from dockwright.project.tree import MAX_SOURCE_FILES, ProjectTree


def detect_source_size(tree: ProjectTree, left_out: tuple[str, ...]) -> Fact[SourceSize]:
    """Modules and bytes of the app's own ``.py`` files outside the ``left_out`` top-level folders."""
    files = [f for f in tree.python_files if f.split("/", 1)[0] not in left_out]
    size = SourceSize(len(files), sum(tree.size(f) for f in files))
    cut = " (the scan stops there)" if len(tree.python_files) >= MAX_SOURCE_FILES else ""
    skipped = f", {', '.join(left_out)}/ left out" if left_out else ""
    modules = f"{size.modules} Python module{'' if size.modules == 1 else 's'}"
    detail = f"{modules}{cut}, {size.bytes} bytes{skipped}"
    return Fact(size, (Evidence(".", None, detail),))
