"""Environment variables a call run at import cannot do without: None handed to a call that raises.

What it does: in a module's top-level statements (not functions, classes, ``if`` or ``try`` blocks), a
variable read with no default (``os.environ.get("REDIS_URL")``, ``os.getenv("REDIS_URL")``), directly
or through a module-level name assigned once (``REDIS_URL = os.environ.get("REDIS_URL")``), passed to a
call of ``data/none_refusing_calls.toml`` (``redis.from_url(REDIS_URL)``, ``create_engine(...)``) is
required.

Why: unset, the read is None and the call raises at import: the settings module of a Django project
then fails in the build's collectstatic and at the container's start. Required, the variable is named
for ``docker run`` and build steps that import the module get its dummy.

The call also says what the variable holds: ``BROKER`` passed to ``create_engine`` gets the database
URL dummy, as ``DATABASE_URL`` does by its name (the generic dummy word is no URL these parsers take).

Example: ``REDIS_URL = os.environ.get("REDIS_URL")`` then ``QUEUE = redis.from_url(REDIS_URL)`` ->
``REDIS_URL`` required, evidence the call's line.
"""

from __future__ import annotations

import ast
import re
from functools import cache
from typing import NamedTuple

from dockwright.project.ast_names import dotted
from dockwright.project.ast_walk import walk
from dockwright.project.tree import data_table

_READS = frozenset({"os.getenv", "os.environ.get"})
_ENV_NAME = re.compile(r"^[A-Z_][A-Z0-9_]*$")
_RUN_AT_IMPORT = (ast.Assign, ast.AnnAssign, ast.Expr)


class RefusingCall(NamedTuple):
    name: str
    keyword: str
    any_position: bool
    dummy: str  # the build-time dummy row (plan/data/buildsteps.toml's suffix) its argument gets, or ""


class RefusedRead(NamedTuple):
    """A read with no default that a call at import refuses as None: the variable, the call's line, why,
    and the dummy row the call's argument needs ("" when the variable's name decides)."""

    variable: str
    line: int
    why: str
    dummy: str


@cache
def refusing_calls() -> dict[str, RefusingCall]:
    rows = data_table("none_refusing_calls.toml").get("call", [])
    return {
        str(r["name"]): RefusingCall(
            str(r["name"]), str(r.get("keyword", "")), bool(r.get("any_position")), str(r.get("dummy", ""))
        )
        for r in rows
    }


def _read_without_default(node: ast.AST) -> str | None:
    if not (isinstance(node, ast.Call) and dotted(node.func) in _READS and len(node.args) == 1):
        return None
    if node.keywords:
        return None
    arg = node.args[0]
    if isinstance(arg, ast.Constant) and isinstance(arg.value, str) and _ENV_NAME.match(arg.value):
        return arg.value
    return None


def _full_name(node: ast.expr, from_imports: dict[str, str]) -> str:
    name = dotted(node) or ""
    head, _, rest = name.partition(".")
    base = from_imports.get(head, head)
    return base + (f".{rest}" if rest else "")


def _bound_reads(tree: ast.Module) -> dict[str, str]:
    """Module-level names assigned exactly once anywhere in the module, to a read with no default."""
    counts: dict[str, int] = {}
    for node in walk(tree):
        targets: list[ast.expr] = []
        if isinstance(node, ast.Assign):
            targets = list(node.targets)
        elif isinstance(node, (ast.AnnAssign, ast.AugAssign, ast.NamedExpr)):
            targets = [node.target]
        for target in targets:
            if isinstance(target, ast.Name):
                counts[target.id] = counts.get(target.id, 0) + 1
    out: dict[str, str] = {}
    for stmt in tree.body:
        if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name):
            variable = _read_without_default(stmt.value)
            if variable and counts.get(stmt.targets[0].id) == 1:
                out[stmt.targets[0].id] = variable
    return out


def _passed(call: ast.Call, row: RefusingCall) -> list[ast.expr]:
    """The arguments of ``call`` that must not be None."""
    positional = list(call.args) if row.any_position else call.args[:1]
    return [*positional, *(kw.value for kw in call.keywords if row.keyword and kw.arg == row.keyword)]


def none_refusing_reads(tree: ast.Module, from_imports: dict[str, str]) -> list[RefusedRead]:
    """Each read with no default a call at import refuses as None."""
    table = refusing_calls()
    bound = _bound_reads(tree)
    out: list[RefusedRead] = []
    for stmt in tree.body:
        if not isinstance(stmt, _RUN_AT_IMPORT):
            continue
        deferred = {id(n) for lam in walk(stmt) if isinstance(lam, ast.Lambda) for n in walk(lam.body)}
        for node in walk(stmt):
            if not isinstance(node, ast.Call) or id(node) in deferred:
                continue
            row = table.get(_full_name(node.func, from_imports))
            if row is None:
                continue
            for arg in _passed(node, row):
                variable = bound.get(arg.id) if isinstance(arg, ast.Name) else _read_without_default(arg)
                if variable:
                    why = f"read without a default and passed at import to {row.name}, which refuses None"
                    out.append(RefusedRead(variable, node.lineno, why, row.dummy))
    return out
