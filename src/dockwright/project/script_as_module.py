"""A script inside the project's package, run by its path, that imports that package: run as a module.

What it does
    A start ``python [options] PKG/.../main.py [args]`` whose file sits under a top-level package of the
    project (``PKG/__init__.py``) and imports that package absolutely (``from PKG.core import client``,
    ``import PKG``) becomes ``python [options] -m PKG....main [args]``, run from the work directory: the
    project's root is then on ``sys.path`` and the import resolves. A script whose own folder provides
    the name (``PKG/cli/PKG/``, ``PKG/cli/PKG.py``) keeps its path, as does a folder of scripts with no
    ``__init__.py`` (no package the import could mean).

Why is this bad?
    Python puts the folder of the script it runs on ``sys.path``, not the working directory: the script
    stops at its first line with ``ModuleNotFoundError: No module named 'PKG'``. A README that runs it
    as ``python -m PKG.cli.main`` is right; a Dockerfile ``ENTRYPOINT ["python", "PKG/cli/main.py"]``
    fails the same way in the repository's own image.

Example
    ``ENTRYPOINT ["python", "app/cli/main.py"]``, ``app/cli/main.py``: ``from app.core.client import
    RouterClient`` -> ``python -m app.cli.main``.

Use instead
    Nothing to change in the repository; ``--start`` still gives a start of its own.
"""

from __future__ import annotations

import posixpath

from dockwright.project.detectors.scan import ModuleScan
from dockwright.project.facts import Evidence
from dockwright.project.tree import ProjectTree
from dockwright.python_program import PYTHON_PROGRAM

_FLAGS = frozenset({"-u", "-B", "-O", "-OO", "-E", "-s", "-I"})


def as_module(
    tree: ProjectTree, by_rel: dict[str, ModuleScan], argv: tuple[str, ...]
) -> tuple[tuple[str, ...], Evidence] | None:
    """``argv`` with the package's script run as a module, and why; None when it runs as written."""
    if not argv or not PYTHON_PROGRAM.match(posixpath.basename(argv[0])):
        return None
    at = 1
    while at < len(argv) and argv[at] in _FLAGS:
        at += 1
    path = argv[at].removeprefix("./") if at < len(argv) else ""
    parts = path[: -len(".py")].split("/") if path.endswith(".py") else []
    if len(parts) < 2 or not all(p.isidentifier() for p in parts) or posixpath.isabs(path):
        return None
    top, folder = parts[0], posixpath.dirname(path)
    scan = by_rel.get(path)
    if scan is None or top not in scan.imports or not tree.is_file(f"{top}/__init__.py"):
        return None
    if tree.is_file(f"{folder}/{top}.py") or tree.is_dir(f"{folder}/{top}"):
        return None  # the script's folder has a `top` of its own: run by path, that one is imported
    module = ".".join(parts)
    line = tree.line_of(path, rf"^\s*(from|import)\s+{top}\b") or None
    why = (
        f"{path} imports its own package {top} absolutely, which its path cannot (Python puts the script's "
        f"folder on sys.path, not the work directory): run as python -m {module}"
    )
    return (*argv[:at], "-m", module, *argv[at + 1 :]), Evidence(path, line, why)
