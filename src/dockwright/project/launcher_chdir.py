"""The folder a started Python program moves to with ``os.chdir(...)`` before it serves.

What it finds
    The module the start runs (``python run.py``, ``python -m pkg``'s ``__main__``, a console script's
    module) or the module a server imports for the app (``gunicorn run:app``), calling ``os.chdir(X)`` at
    module level (or, for a program run as a script, in its ``__main__`` block), where ``X`` is a folder
    of the tree: a relative literal (``"site"``, from the folder the start runs in) or a folder built from
    ``__file__`` (``os.path.join(os.path.dirname(os.path.abspath(__file__)), "site")``,
    ``Path(__file__).resolve().parent / "site"``), directly or through a module-level name bound once.

Decision
    That folder is where the program runs from then on: a file it opens by a relative path
    (``FileHandler("app.log")``, ``sqlite:///data.db``) is there, so the writable folders and files
    follow it (``start_cwd.py``'s folder, replaced). A folder from a variable, the home, an absolute or a
    parent path is not followed.

Why: a launcher ``run.py`` moving into ``site/`` before importing the app there had its log file made
writable at the root, and the app stopped at start with PermissionError on ``site/app.log``.
"""

from __future__ import annotations

import ast
import copy
import posixpath
from collections.abc import Iterable, Iterator
from typing import Any

from dockwright.project.ast_names import dotted
from dockwright.project.detectors.scan import ModuleScan
from dockwright.project.detectors.servers import last_command, package_of
from dockwright.project.dev_servers import parsed_module, started_module
from dockwright.project.facts import Evidence
from dockwright.project.file_writes import path_parts
from dockwright.project.tree import ProjectTree

_CHDIR = frozenset({"os.chdir", "chdir"})


def launcher_folder(
    tree: ProjectTree,
    scans: Iterable[ModuleScan],
    pyproject: dict[str, Any] | None,
    command: tuple[str, ...],
    cwd: str,
) -> tuple[str, Evidence] | None:
    """The folder (relative to the root, "" for the root) the started program moves to, with the call's
    evidence, or None when it moves nowhere the tree holds (module docstring)."""
    scans = list(scans)
    argv = last_command(command)
    started = started_module(scans, pyproject, argv)
    as_script = started is not None and started[1] is None
    scan = started[0] if started else _served_module(scans, argv)
    if scan is None:
        return None
    module = parsed_module(tree, scan)
    if module is None:
        return None
    bound: dict[str, ast.expr] = {}
    for stmt in module.body:
        if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name):
            name = stmt.targets[0].id
            bound[name] = stmt.value if name not in bound else ast.Constant(None)  # bound twice: unknown
    found: tuple[str, Evidence] | None = None
    for call in _chdirs(module, as_script):
        folder = _folder(call.args[0], scan.rel, bound, found[0] if found else cwd)
        if folder is None:
            return None  # a move the scan cannot follow: where the program runs is not known
        shown = ast.unparse(call)[:80]
        found = (
            folder,
            Evidence(scan.rel, call.lineno, f"{shown}: the program runs in {folder or 'the root'}"),
        )
    return found


def _served_module(scans: list[ModuleScan], argv: tuple[str, ...]) -> ModuleScan | None:
    """The module a server command imports the app from (``gunicorn run:app``), else None."""
    if not argv or not package_of(argv[0]):
        return None
    target = next((a for i, a in enumerate(argv[1:], 1) if ":" in a and not argv[i - 1].startswith("-")), "")
    module = target.split(":", 1)[0]
    return next((s for s in scans if module and s.module == module), None)


def _chdirs(module: ast.Module, as_script: bool) -> Iterator[ast.Call]:
    """The ``os.chdir(X)`` calls run at import (module-level statements) and, for a script, in its
    ``__main__`` block, in order."""
    body: list[ast.stmt] = []
    for stmt in module.body:
        test = ast.dump(stmt.test) if isinstance(stmt, ast.If) else ""
        if isinstance(stmt, ast.If) and "__name__" in test and "__main__" in test:
            body += stmt.body if as_script else []
        else:
            body.append(stmt)
    for stmt in body:
        value = stmt.value if isinstance(stmt, ast.Expr) else None
        if isinstance(value, ast.Call) and dotted(value.func) in _CHDIR and len(value.args) == 1:
            yield value


class _Names(ast.NodeTransformer):
    def __init__(self, bound: dict[str, ast.expr]) -> None:
        self.bound = bound

    def visit_Name(self, node: ast.Name) -> ast.expr:
        value = self.bound.get(node.id)
        return copy.deepcopy(value) if value is not None and node.id != "__file__" else node


def _folder(node: ast.expr, rel: str, bound: dict[str, ast.expr], cwd: str) -> str | None:
    for _ in range(3):  # names bound to names
        node = _Names(bound).visit(copy.deepcopy(node))
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return _inside(cwd or ".", node.value)
    parts = path_parts(node, rel)
    if not parts:
        return None
    return _inside(*parts)


def _inside(folder: str, *parts: str) -> str | None:
    """``parts`` joined below ``folder``, normalised ("" for the root), or None when the path leaves the
    tree: an absolute, home or variable part, or one above the root (``..``: the image's ``/app/..`` is
    ``/``, which the writable folders would make the app user's)."""
    if any(p.startswith(("/", "~", "$")) for p in parts):
        return None
    joined = posixpath.normpath(posixpath.join(folder, *parts))
    if joined == ".." or joined.startswith("../"):
        return None
    return "" if joined == "." else joined
