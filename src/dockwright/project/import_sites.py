"""Where a module imports other top-level packages when it is imported (for project/undeclared_imports.py).

Only imports that run at import time and must succeed count: module and class bodies and the blocks
inside them, not function bodies (a lazy import fails only when called), not a ``try`` that catches
ImportError (an optional dependency), not ``if TYPE_CHECKING:``, not a block for another platform
(``if sys.platform == "win32":``) or Python (``if sys.version_info >= (3, 11):``), not a ``with
contextlib.suppress(ImportError):`` block, not a block under a flag (``if mutagen:``, set by an optional
import) and not a block whose test asks whether a module is installed (``if find_spec("x"):``, or its
``else`` after ``if not find_spec("x"):``). Relative imports are the project's own.
"""

from __future__ import annotations

import ast

from dockwright.project.ast_names import dotted
from dockwright.project.ast_walk import walk

_IMPORT_ERRORS = frozenset({"ImportError", "ModuleNotFoundError", "Exception", "BaseException"})
# typing, the platform, and whether a module is installed (`if not find_spec("breez_sdk"): ... else:
# from breez_sdk import ...`, the guard of an optional extra)
_CONDITIONAL = (
    *("TYPE_CHECKING", "sys.platform", "os.name", "platform.system", "find_spec", "find_loader"),
    "sys.version_info",  # `if sys.version_info >= (3, 11): import tomllib / else: import tomli`
)


def import_sites(tree: ast.Module) -> tuple[tuple[str, int], ...]:
    """(dotted module, line) of every absolute import that runs when the module is imported."""
    return absolute_sites(import_statements(tree))


def absolute_sites(statements: list[ast.Import | ast.ImportFrom]) -> tuple[tuple[str, int], ...]:
    """(dotted module, line) of the absolute imports of ``statements`` (:func:`import_statements`)."""
    found: list[tuple[str, int]] = []
    for stmt in statements:
        if isinstance(stmt, ast.Import):
            found += [(alias.name, stmt.lineno) for alias in stmt.names]
        elif stmt.level == 0 and stmt.module:
            found.append((stmt.module, stmt.lineno))
    return tuple(found)


def import_statements(tree: ast.Module) -> list[ast.Import | ast.ImportFrom]:
    """Every import statement that runs when the module is imported, relative ones included."""
    found: list[ast.Import | ast.ImportFrom] = []
    _walk(tree.body, found)
    return found


def _walk(body: list[ast.stmt], found: list[ast.Import | ast.ImportFrom]) -> None:
    for stmt in body:
        if isinstance(stmt, (ast.Import, ast.ImportFrom)):
            found.append(stmt)
        elif isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        elif isinstance(stmt, ast.ClassDef):
            _walk(stmt.body, found)
        elif isinstance(stmt, ast.Try) or (hasattr(ast, "TryStar") and isinstance(stmt, ast.TryStar)):
            if not _catches_import_error(stmt.handlers):
                _walk(stmt.body, found)
            _walk(stmt.orelse, found)
            _walk(stmt.finalbody, found)
        elif isinstance(stmt, ast.If):
            if not _conditional(stmt.test):
                _walk(stmt.body, found)
                _walk(stmt.orelse, found)
        elif isinstance(stmt, (ast.With, ast.AsyncWith)):
            if not any(_suppresses_import_error(item.context_expr) for item in stmt.items):
                _walk(stmt.body, found)  # `with contextlib.suppress(ImportError):` is an optional import
        elif isinstance(stmt, (ast.For, ast.AsyncFor, ast.While)):
            _walk(stmt.body, found)


def optional_imports(tree: ast.Module) -> list[ast.Import | ast.ImportFrom]:
    """The import statements inside a ``try`` that catches ImportError, anywhere in the module
    (``try: from . import _requests`` / ``except ImportError: pass``): optional, so what they import
    is not loaded for sure (nor its own imports)."""
    found: list[ast.Import | ast.ImportFrom] = []
    for node in walk(tree):
        is_try = isinstance(node, ast.Try) or (hasattr(ast, "TryStar") and isinstance(node, ast.TryStar))
        if is_try and _catches_import_error(node.handlers):  # type: ignore[attr-defined]
            for stmt in node.body:  # type: ignore[attr-defined]
                found += [n for n in walk(stmt) if isinstance(n, (ast.Import, ast.ImportFrom))]
    return found


def _suppresses_import_error(node: ast.expr) -> bool:
    """``contextlib.suppress(ImportError, ...)`` (or ``suppress(ModuleNotFoundError)``, ``Exception``)."""
    if not (isinstance(node, ast.Call) and (dotted(node.func) or "").rsplit(".", 1)[-1] == "suppress"):
        return False
    return any((dotted(arg) or "").rsplit(".", 1)[-1] in _IMPORT_ERRORS for arg in node.args)


def _catches_import_error(handlers: list[ast.ExceptHandler]) -> bool:
    for handler in handlers:
        if handler.type is None:
            return True
        kinds = handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type]
        if any((dotted(kind) or "").rsplit(".", 1)[-1] in _IMPORT_ERRORS for kind in kinds):
            return True
    return False


def _conditional(test: ast.expr) -> bool:
    """A test on typing or the platform, or on a flag (``if mutagen:``, ``if not _has_ejs:``, a value
    an optional import set or left None): its imports may never run here."""
    inner = test.operand if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not) else test
    if isinstance(inner, (ast.Name, ast.Attribute)):
        return True
    names = {dotted(node) or "" for node in walk(test)}
    return any(name.endswith(mark) for name in names for mark in _CONDITIONAL)
