"""What a settings module does only when DEBUG is on, DEBUG being off unless the user turns it on.

A settings module often keeps its development database in ``if DEBUG:`` (``DATABASES`` with SQLite in
the app's folder) and its production one in ``else:``. When ``DEBUG`` is read from the environment with
a default that is off (``os.getenv("DJANGO_DEBUG", "False") == "True"``, ``env.bool("DEBUG",
default=False)``, ``config("DEBUG", default=False, cast=bool)``, ``DEBUG = False``), the image runs the
``else`` branch: what the ``if DEBUG:`` body writes is not a write of the image, and a warning about it
is false. A DEBUG whose default cannot be read, or is on, keeps every write.
"""

from __future__ import annotations

import ast

from dockwright.project.ast_names import dotted

_FALSE_WORDS = frozenset({"", "0", "false", "no", "off", "n", "f"})
# calls that read a variable: the name first, the default second or as `default=`
_READERS = frozenset({"os.getenv", "os.environ.get", "getenv", "environ.get", "config", "env", "env.bool"})
_UNKNOWN = object()


def _read_default(call: ast.Call) -> object:
    """The value an environment read gives when the variable is unset (``_UNKNOWN`` when it raises or
    cannot be told)."""
    name = dotted(call.func) or ""
    last = name.rsplit(".", 1)[-1]
    if name not in _READERS and last not in ("bool", "getenv"):
        return _UNKNOWN
    default = next((kw.value for kw in call.keywords if kw.arg == "default"), None)
    if default is None and len(call.args) > 1:
        default = call.args[1]
    if default is None:
        # os.getenv/os.environ.get give None; env()/config()/env.bool() raise when the variable is unset
        return None if last in ("getenv", "get") else _UNKNOWN
    if not isinstance(default, ast.Constant):
        return _UNKNOWN
    cast = next((kw.value for kw in call.keywords if kw.arg == "cast"), None)
    to_bool = last == "bool" or (isinstance(cast, ast.Name) and cast.id == "bool")
    if to_bool and isinstance(default.value, str):
        return default.value.strip().lower() not in _FALSE_WORDS
    return bool(default.value) if to_bool else default.value


def _value(node: ast.expr) -> object:
    """``node`` evaluated with every environment read at its default (``_UNKNOWN`` when it cannot be)."""
    if isinstance(node, ast.Constant):
        return node.value
    if isinstance(node, (ast.Tuple, ast.List, ast.Set)):
        items = [_value(e) for e in node.elts]
        return _UNKNOWN if _UNKNOWN in items else tuple(items)
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
        inner = _value(node.operand)
        return _UNKNOWN if inner is _UNKNOWN else not inner
    if isinstance(node, ast.Compare) and len(node.ops) == 1:
        left, right = _value(node.left), _value(node.comparators[0])
        if left is _UNKNOWN or right is _UNKNOWN:
            return _UNKNOWN
        op = node.ops[0]
        if isinstance(op, (ast.Eq, ast.Is)):
            return left == right
        if isinstance(op, (ast.NotEq, ast.IsNot)):
            return left != right
        if isinstance(op, (ast.In, ast.NotIn)) and isinstance(right, (tuple, str)):
            found = str(left) in right if isinstance(right, str) else left in right
            return found if isinstance(op, ast.In) else not found
        return _UNKNOWN
    if not isinstance(node, ast.Call):
        return _UNKNOWN
    if isinstance(node.func, ast.Attribute) and node.func.attr in ("lower", "upper", "strip", "capitalize"):
        inner = _value(node.func.value)
        if isinstance(inner, str):
            return str(getattr(inner, node.func.attr)())
        return _UNKNOWN
    name = dotted(node.func)
    if name in ("bool", "int", "str") and len(node.args) == 1:
        inner = _value(node.args[0])
        if inner is _UNKNOWN:
            return _UNKNOWN
        try:
            return {"bool": bool, "int": int, "str": str}[name](inner)
        except (TypeError, ValueError):
            return _UNKNOWN
    return _read_default(node)


def debug_default(module: ast.Module) -> bool | None:
    """DEBUG's value when no variable is set: from its last module-level assignment (outside any
    block); None when there is none or it cannot be told."""
    found: object = _UNKNOWN
    for stmt in module.body:
        if isinstance(stmt, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == "DEBUG" for t in stmt.targets
        ):
            found = _value(stmt.value)
        elif (
            isinstance(stmt, ast.AnnAssign)
            and isinstance(stmt.target, ast.Name)
            and stmt.target.id == "DEBUG"
        ):
            found = _value(stmt.value) if stmt.value is not None else _UNKNOWN
    return None if found is _UNKNOWN else bool(found)


def _on_when_debug(test: ast.expr) -> bool | None:
    """Whether an ``if`` test holds with DEBUG on (``DEBUG``, ``settings.DEBUG``, ``DEBUG is True``) or
    with it off (``not DEBUG``); None for another test."""
    if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
        inner = _on_when_debug(test.operand)
        return None if inner is None else not inner
    name = test.id if isinstance(test, ast.Name) else test.attr if isinstance(test, ast.Attribute) else ""
    return True if name == "DEBUG" else None


def debug_only_lines(module: ast.Module) -> frozenset[int]:
    """The lines of the module-level statements that run only with DEBUG on (the body of ``if DEBUG:``,
    the ``else`` of ``if not DEBUG:``), when DEBUG is off by default; empty otherwise."""
    if debug_default(module) is not False:
        return frozenset()
    lines: set[int] = set()
    for stmt in module.body:
        if not isinstance(stmt, ast.If):
            continue
        on = _on_when_debug(stmt.test)
        block = stmt.body if on is True else stmt.orelse if on is False else []
        for inner in block:
            lines.update(range(inner.lineno, (inner.end_lineno or inner.lineno) + 1))
    return frozenset(lines)
