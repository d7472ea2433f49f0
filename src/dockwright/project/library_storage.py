"""Library calls that keep a queue's or a store's files at a path relative to the working directory.

What it does
    Reads the calls of :data:`STORAGES` (Huey's ``SqliteHuey``, persist-queue's queues and ``PDict``)
    and the path each is given: a literal, a module-level name bound to one, or an environment read
    with a literal fallback (``os.environ.get("SPOOL_PATH", "spool")``), else the library's own default.
    A relative path is a write of the module's scan (``ModuleScan.writes``, relative to the working
    directory): a folder the library makes is made the app user's in the image; a SQLite file in the
    app directory itself is said (the directory stays root's: SQLite writes its journal beside the file).

Why is this bad?
    The image runs as a non-root user over a root-owned app directory, the working directory: the worker
    or the app stopped at its first write with ``sqlite3.OperationalError: unable to open database file``
    (Huey's ``huey.db``) or ``PermissionError`` (persist-queue's folder), and nothing said why.

Example
    ``SQLiteAckQueue("spool")`` -> ``spool/`` made the app user's; ``SqliteHuey(filename="queue.db")``
    -> "a SQLite file in the app directory ...; point its path at a writable volume".

Use instead
    Give the path from the environment, pointing at a volume (``SqliteHuey(filename=os.environ[...])``).
"""

from __future__ import annotations

import ast
from dataclasses import dataclass


@dataclass(frozen=True)
class Storage:
    calls: frozenset[str]  # the callable's last dotted parts (`SqliteHuey`, `persistqueue.SQLiteQueue`)
    position: int  # the path's positional index
    keyword: str  # the path's keyword
    default: str | None  # the library's default path (None: the argument is required)
    folder: bool  # the path is a folder the library makes (else a SQLite file)
    source: str


STORAGES: tuple[Storage, ...] = (
    Storage(
        frozenset({"SqliteHuey", "huey.SqliteHuey", "huey.api.SqliteHuey", "contrib.sql_huey.SqliteHuey"}),
        1,
        "filename",
        "huey.db",
        False,
        "https://huey.readthedocs.io/en/latest/api.html#SqliteHuey (filename='huey.db')",
    ),
    Storage(
        frozenset(
            {
                f"{prefix}{name}"
                for prefix in ("", "persistqueue.")
                for name in (
                    "Queue",
                    "SQLiteQueue",
                    "SQLiteAckQueue",
                    "FIFOSQLiteQueue",
                    "FILOSQLiteQueue",
                    "UniqueQ",
                    "UniqueAckQ",
                    "PDict",
                )
                if prefix or name != "Queue"  # a bare `Queue(...)` is queue.Queue or asyncio's
            }
        ),
        0,
        "path",
        None,
        True,
        "https://github.com/peter-wangxu/persist-queue#example-usage (the path is a folder it makes)",
    ),
)


def storage_path(call: ast.Call, called: str, assigned: dict[str, ast.expr]) -> tuple[str, bool] | None:
    """(path, is a folder) a call of :data:`STORAGES` keeps its files at, when it is known; ``assigned``:
    the module's names bound once (a path held in a setting)."""
    row = next((r for r in STORAGES if called in r.calls), None)
    if row is None:
        return None
    given = next((k.value for k in call.keywords if k.arg == row.keyword), None)
    if given is None and len(call.args) > row.position:
        given = call.args[row.position]
    if given is None:
        return (row.default, row.folder) if row.default else None
    if isinstance(given, ast.Name) and given.id in assigned:
        given = assigned[given.id]
    text = _literal_or_fallback(given)
    return (text, row.folder) if text else None


def _literal_or_fallback(node: ast.expr) -> str | None:
    """A string literal, or the literal fallback of an environment read (``os.getenv("P", "spool")``,
    ``os.environ.get("P") or "spool"``)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.BoolOp) and isinstance(node.op, ast.Or) and len(node.values) == 2:
        return _literal_or_fallback(node.values[1]) if _is_env_read(node.values[0]) else None
    if isinstance(node, ast.Call) and _is_env_read(node) and len(node.args) == 2:
        return _literal_or_fallback(node.args[1])
    return None


def _is_env_read(node: ast.expr) -> bool:
    func = node.func if isinstance(node, ast.Call) else None
    if isinstance(func, ast.Attribute):
        owner = func.value
        return func.attr == "getenv" or (
            func.attr == "get" and isinstance(owner, ast.Attribute) and owner.attr == "environ"
        )
    return isinstance(func, ast.Name) and func.id == "getenv"
