"""Writes on a path held in a class attribute, the class defined in the same module or another one.

What it finds: a writer (project/file_writes.py's: ``sqlite3.connect``, ``open(..., "w")``,
``os.makedirs`` ...) called on ``Cls.ATTR``, where ``Cls`` is a class the module defines or imports from
a project module (``from config import Config``), whose body binds ``ATTR`` once to a path built from
that module's ``__file__`` (``DATABASE_PATH = os.path.join(os.path.dirname(__file__), "data",
"app.db")``). The folder is the one that path names, from the module defining the class; the write is
the call's (file, line), added to the calling module's ``file_writes``, so it is made writable, or said
when it holds code, as the other writes beside a module are.

Why: a Flask app's ``database.py`` connected to ``Config.DATABASE_PATH`` of ``config.py`` (``data/``
beside it): nothing was made writable and the container stopped at start as the non-root user with
``sqlite3.OperationalError: unable to open database file``.
"""

from __future__ import annotations

import ast
from collections.abc import Mapping

from dockwright.project.ast_walk import walk
from dockwright.project.detectors.scan import ModuleScan
from dockwright.project.file_writes import write_target, written_on


def class_paths(module: ast.Module) -> dict[str, ast.expr]:
    """``"Cls.ATTR"`` -> the value bound once to ``ATTR`` in the body of the module-level class ``Cls``."""
    out: dict[str, ast.expr] = {}
    for node in module.body:
        if not isinstance(node, ast.ClassDef):
            continue
        seen: dict[str, list[ast.expr]] = {}
        for stmt in node.body:
            if isinstance(stmt, ast.Assign):
                for target in stmt.targets:
                    if isinstance(target, ast.Name):
                        seen.setdefault(target.id, []).append(stmt.value)
            elif isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name) and stmt.value:
                seen.setdefault(stmt.target.id, []).append(stmt.value)
        out |= {f"{node.name}.{name}": values[0] for name, values in seen.items() if len(values) == 1}
    return out


_WRITERS = ("connect(", "open(", "makedirs(", "mkdir(", "write_text(", "write_bytes(", "touch(", ".save(")


def may_write(text: str) -> bool:
    """True when a module's text may call a writer (the scan walks its tree only then)."""
    return any(w in text for w in _WRITERS)


def attribute_writes(module: ast.Module) -> list[tuple[ast.Call, str, str]]:
    """The module's write calls on ``Cls.ATTR``: (call, ``Cls``, ``ATTR``)."""
    out: list[tuple[ast.Call, str, str]] = []
    for node in walk(module):
        if not isinstance(node, ast.Call):
            continue
        path = write_target(node)
        if isinstance(path, ast.Attribute) and isinstance(path.value, ast.Name):
            out.append((node, path.value.id, path.attr))
    return out


def add_class_path_writes(
    scans: Mapping[str, ModuleScan],
    paths: Mapping[str, dict[str, ast.expr]],
    writes: Mapping[str, list[tuple[ast.Call, str, str]]],
) -> None:
    """Add to each scan's ``file_writes`` its writes on class attributes (module docstring); ``paths``
    and ``writes`` by the module's path, from :func:`class_paths` and :func:`attribute_writes`."""
    by_module = {s.module: s for s in scans.values()}
    for rel, calls in writes.items():
        scan = scans[rel]
        for call, cls, attr in calls:
            holder, name = _holder(scan, cls, paths, by_module)
            value = paths.get(holder.rel, {}).get(f"{name}.{attr}") if holder else None
            if holder is None or value is None:
                continue
            found = written_on(call, value, holder.rel)
            if found is not None and found not in scan.file_writes:
                scan.file_writes.append(found)


def _holder(
    scan: ModuleScan, cls: str, paths: Mapping[str, dict[str, ast.expr]], by_module: Mapping[str, ModuleScan]
) -> tuple[ModuleScan | None, str]:
    """The scan of the module defining the class ``cls`` names in ``scan``, and its name there."""
    if any(key.startswith(f"{cls}.") for key in paths.get(scan.rel, {})):
        return scan, cls
    source, _, name = scan.from_imports.get(cls, "").rpartition(".")
    return by_module.get(source), name
