"""Required variables read through a project's own helper: ``def env(name, default=None)`` that raises.

What it does
    Finds the module-level functions whose first parameter names the variable and that read it with
    ``os.getenv(name, ...)`` / ``os.environ.get(name, ...)`` and ``raise`` when that value is missing
    (under a test of it, or after it in the function's body; not a raise about something else),
    or with ``os.environ[name]`` outside a ``try`` and not after a ``name in os.environ`` test, or that
    asserts ``name in os.environ``. A call of such a function in the same module with a
    literal name and nothing in the default's place (``env("POSTGRES_DB")``, not ``env("PORT", "8000")``
    nor ``env("PORT", default="8000")``) is a required read.

Why is this bad?
    The settings raise at import when the variable is unset: the container stops at start, and a build
    step importing the settings (Django's ``collectstatic``) stops the build, unless it is given a
    build-time value.

Example
    ``def env(name, default=None): value = os.getenv(name, default); if value is None: raise
    RuntimeError(name)`` then ``"NAME": env("POSTGRES_DB")`` -> ``POSTGRES_DB`` is required.

Use instead
    Pass the variables when starting the container; the plan lists them and the image sets none.
"""

from __future__ import annotations

import ast

from dockwright.project.ast_names import dotted
from dockwright.project.ast_walk import walk

_GETS = frozenset({"os.getenv", "os.environ.get", "getenv", "environ.get"})


def required_wrapper_reads(tree: ast.Module) -> list[tuple[str, int, str]]:
    """(variable, line, why) of each call of a raising environment helper defined in this module."""
    helpers = {fn.name: fn for fn in tree.body if isinstance(fn, ast.FunctionDef) and _raises_when_unset(fn)}
    if not helpers:
        return []
    out: list[tuple[str, int, str]] = []
    for node in walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in helpers):
            continue
        first = node.args[0] if node.args else None
        if not (isinstance(first, ast.Constant) and isinstance(first.value, str)):
            continue
        fn = helpers[node.func.id]
        default_names = {a.arg for a in fn.args.args[1:]} | {a.arg for a in fn.args.kwonlyargs}
        if len(node.args) > 1 or any(kw.arg in default_names for kw in node.keywords):
            continue
        raises = f"{fn.name}() (line {fn.lineno}) raises when it is unset"
        why = f"{fn.name}({first.value!r}) without a default; {raises}"
        out.append((first.value, node.lineno, why))
    return out


def _raises_when_unset(fn: ast.FunctionDef) -> bool:
    if not fn.args.args:
        return False
    param = fn.args.args[0].arg
    guarded = {id(n) for t in walk(fn) if isinstance(t, ast.Try) for s in t.body for n in walk(s)}
    guarded |= _tested_first(fn, param)
    if any(isinstance(n, ast.Assert) and _membership(n.test, param) for n in walk(fn)):
        return True  # `assert key in os.environ ...`: an AssertionError when it is unset
    for node in walk(fn):
        if (
            isinstance(node, ast.Subscript)
            and dotted(node.value) in ("os.environ", "environ")
            and isinstance(node.slice, ast.Name)
            and node.slice.id == param
            and id(node) not in guarded
        ):
            return True
    return _raises_on_its_value(fn, param)


def _reads(node: ast.AST, param: str) -> bool:
    """``os.getenv(param, ...)`` (or ``os.environ.get``) somewhere in ``node``."""
    return any(
        isinstance(n, ast.Call) and dotted(n.func) in _GETS and _is_name(n.args[:1], param)
        for n in walk(node)
    )


def _raises_on_its_value(fn: ast.FunctionDef, param: str) -> bool:
    """A ``raise`` that runs when the value read for ``param`` is missing: under an ``if`` (or its
    ``else``) testing that value (a name bound from the read, or the read itself), or in the function's
    own body after the read (``if value: return value`` then ``raise``). A raise on something else (a
    ``NAME_FILE`` variable naming an unreadable file) does not make the variable required."""
    if not _reads(fn, param):
        return False
    held: set[str] = set()
    for node in walk(fn):
        if (
            isinstance(node, (ast.Assign, ast.AnnAssign, ast.NamedExpr))
            and node.value
            and _reads(node.value, param)
        ):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            held |= {t.id for t in targets if isinstance(t, ast.Name)}

    def tests_value(test: ast.expr) -> bool:
        return _reads(test, param) or any(isinstance(n, ast.Name) and n.id in held for n in walk(test))

    def raises(body: list[ast.stmt]) -> bool:
        return any(isinstance(n, ast.Raise) for stmt in body for n in walk(stmt))

    if any(isinstance(stmt, ast.Raise) for stmt in fn.body):
        return True
    return any(
        isinstance(node, ast.If) and tests_value(node.test) and (raises(node.body) or raises(node.orelse))
        for node in walk(fn)
    )


def _is_name(args: list[ast.expr], name: str) -> bool:
    return bool(args) and isinstance(args[0], ast.Name) and args[0].id == name


def _is_membership(node: ast.AST, name: str) -> bool:
    """``name in os.environ``."""
    return (
        isinstance(node, ast.Compare)
        and len(node.ops) == 1
        and isinstance(node.ops[0], ast.In)
        and isinstance(node.left, ast.Name)
        and node.left.id == name
        and dotted(node.comparators[0]) in ("os.environ", "environ")
    )


def _membership(test: ast.AST, name: str) -> bool:
    """The test is ``name in os.environ``, alone or as an operand of ``and``."""
    if isinstance(test, ast.BoolOp) and isinstance(test.op, ast.And):
        return any(_is_membership(v, name) for v in test.values)
    return _is_membership(test, name)


def _tested_first(fn: ast.FunctionDef, name: str) -> set[int]:
    """Nodes that run only once ``name in os.environ`` held: an ``if``'s (or a conditional expression's)
    body under that test, and the operands after it in an ``and``."""
    out: set[int] = set()
    for node in walk(fn):
        if isinstance(node, (ast.If, ast.IfExp)) and _membership(node.test, name):
            body = node.body if isinstance(node.body, list) else [node.body]
            out |= {id(n) for stmt in body for n in walk(stmt)}
        if isinstance(node, ast.BoolOp) and isinstance(node.op, ast.And):
            seen = False
            for value in node.values:
                if seen:
                    out |= {id(n) for n in walk(value)}
                seen = seen or _is_membership(value, name)
    return out
