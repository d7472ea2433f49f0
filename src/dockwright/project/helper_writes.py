"""Files a module writes at import through a project function that opens its path parameter.

What it does: a project function that opens one of its parameters for writing (``open(path, "w")``,
``Path(path).write_text(...)``; project/file_writes.py's writers), called at module level (also under a
module-level ``if``/``try``) with a path in the app's tree held in a module-level variable
(``SECRET_FILE = os.path.join(BASE_DIR, "secret.txt")``, then ``SECRET_KEY =
secret_from_file(SECRET_FILE)``): the module writes that file when it is imported, so at every start.
In a folder of the app's code, which stays root-owned, the non-root user cannot create it: a note names
the call, the helper's write, the variable holding the path and the name the call sets, to give
another way. A folder of its own is made writable, as the other writes are. The file is never made
beforehand: such helpers read it when it exists, and an empty one would be read as the value.

Why: a Django server's settings wrote a generated ``secret.txt`` beside the installed package at import;
the container stopped with PermissionError and the plan said nothing (the write is in a helper of
``utils.py``, not in the settings).
"""

from __future__ import annotations

import ast
import posixpath
import re
from collections.abc import Iterable, Iterator
from typing import NamedTuple

from dockwright.errors import ProjectError
from dockwright.project.ast_names import dotted
from dockwright.project.detectors.scan import ModuleScan, tree_path
from dockwright.project.file_writes import written_path
from dockwright.project.tree import ProjectTree


class HelperWrite(NamedTuple):
    """A module-level call writing ``file`` (relative to the root) through the project function
    ``function`` (which writes at ``writes_at``, ``rel:line``); ``variable`` holds the path, ``sets``
    is the name the call's value is assigned to ("" for none)."""

    rel: str
    line: int
    function: str
    writes_at: str
    file: str
    variable: str
    sets: str

    @property
    def folder(self) -> str:
        return posixpath.dirname(self.file) or "."


def helper_writes(tree: ProjectTree, scans: Iterable[ModuleScan]) -> list[HelperWrite]:
    """The files written at import through a project function (see the module's docstring). A module is
    parsed only when its text defines a function and names a writer, or it calls such a function."""
    scans = list(scans)
    parsed: dict[str, ast.Module] = {}
    writers: dict[str, tuple[int, str]] = {}  # "module.function" -> (parameter position, "rel:line")
    for scan in scans:
        module = _parsed(tree, scan, parsed, _WRITER)
        for node in module.body if module is not None else []:
            if isinstance(node, ast.FunctionDef):
                found = _written_parameter(node)
                if found is not None:
                    writers[f"{scan.module}.{node.name}"] = (found[0], f"{scan.rel}:{found[1]}")
    if not writers:
        return []
    out: list[HelperWrite] = []
    for scan in scans:
        local = {
            name: dotted_name for name, dotted_name in scan.from_imports.items() if dotted_name in writers
        }
        local |= {k.rsplit(".", 1)[1]: k for k in writers if k.rsplit(".", 1)[0] == scan.module}
        module = _parsed(tree, scan, parsed, None) if local else None
        if module is not None:
            out += _calls(scan, module, local, writers)
    return out


# the writers of project/file_writes.py, in a module's text: worth parsing it for a function using one
_WRITER = re.compile(r"\bopen\(|\.write_(?:text|bytes)\(|\.touch\(|sqlite3\.connect\(|\.save\(")


def _parsed(
    tree: ProjectTree, scan: ModuleScan, cache: dict[str, ast.Module], wanted: re.Pattern[str] | None
) -> ast.Module | None:
    """The module's syntax tree (the scan's own when it kept one), parsed once; None when its text does
    not match ``wanted`` or it cannot be read."""
    if scan.rel in cache:
        return cache[scan.rel]
    if isinstance(scan.syntax, ast.Module):
        cache[scan.rel] = scan.syntax
        return scan.syntax
    try:
        source = tree.read_text(scan.rel)
    except ProjectError:
        return None
    if wanted is not None and ("def " not in source or not wanted.search(source)):
        return None
    try:
        module = ast.parse(source)
    except (SyntaxError, ValueError):
        return None
    cache[scan.rel] = module
    return module


def _written_parameter(func: ast.FunctionDef) -> tuple[int, int] | None:
    """(position, line) of the parameter the function opens for writing, else None."""
    params = [a.arg for a in (*func.args.posonlyargs, *func.args.args)]
    for node in ast.walk(func):
        if not isinstance(node, ast.Call):
            continue
        path = written_path(node)
        while (
            isinstance(path, ast.Call) and dotted(path.func) in ("Path", "pathlib.Path", "str") and path.args
        ):
            path = path.args[0]
        if isinstance(path, ast.Name) and path.id in params:
            return params.index(path.id), node.lineno
    return None


def _top_level(body: list[ast.stmt]) -> Iterator[ast.stmt]:
    """Module-level statements, those under a module-level ``if``/``try`` too (run at import)."""
    for stmt in body:
        yield stmt
        if isinstance(stmt, ast.If):
            yield from _top_level([*stmt.body, *stmt.orelse])
        elif isinstance(stmt, ast.Try):
            yield from _top_level([*stmt.body, *stmt.orelse, *stmt.finalbody])


def _calls(
    scan: ModuleScan, module: ast.Module, local: dict[str, str], writers: dict[str, tuple[int, str]]
) -> list[HelperWrite]:
    out: list[HelperWrite] = []
    for stmt in _top_level(module.body):
        value = stmt.value if isinstance(stmt, (ast.Assign, ast.Expr, ast.AnnAssign)) else None
        if (
            not isinstance(value, ast.Call)
            or not isinstance(value.func, ast.Name)
            or value.func.id not in local
        ):
            continue
        position, writes_at = writers[local[value.func.id]]
        argument = value.args[position] if len(value.args) > position else None
        if not isinstance(argument, ast.Name):
            continue
        bound = _bound_before(module.body, argument.id, stmt.lineno)
        parts = tree_path(bound, scan) if bound is not None else None
        if not parts:
            continue
        file = posixpath.normpath("/".join(parts))
        if file.startswith(".."):
            continue
        targets = stmt.targets if isinstance(stmt, ast.Assign) else []
        sets = next((t.id for t in targets if isinstance(t, ast.Name)), "")
        function = value.func.id
        out.append(HelperWrite(scan.rel, stmt.lineno, function, writes_at, file, argument.id, sets))
    return out


def _bound_before(body: list[ast.stmt], name: str, line: int) -> ast.expr | None:
    """The value of the last module-level assignment of ``name`` before ``line``."""
    found: ast.expr | None = None
    for stmt in body:
        if stmt.lineno >= line:
            break
        if isinstance(stmt, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == name for t in stmt.targets
        ):
            found = stmt.value
    return found
