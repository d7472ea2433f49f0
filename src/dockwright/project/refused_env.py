"""Environment variables the app refuses to run without: read, then tested, then raise or exit.

What it does: in a module's syntax tree, a variable read with no default or an empty one
(``key = os.getenv("API_KEY")``, ``os.environ.get("API_KEY", "")``) and then tested by an ``if``
whose body raises or exits (``if not key: raise ValueError(...)``, ``if key is None: sys.exit(1)``,
also ``if not os.getenv("API_KEY"): raise`` and ``if not (key := os.getenv("API_KEY")): raise``, and
each operand of ``if not a or not b``) is required.

Why: such a read looks optional to the other readers (it has a default, or it sits in an ``if`` test,
which usually guards the read), but the app's own check stops it at once: the plan must name the
variable so ``docker run`` gives it (never the image: it is usually a secret).

A web framework's request error (``raise HTTPException(401)``, ``NotAuthorizedException``,
``PermissionDenied``) is no stop: it answers the one request, in a handler or a dependency.

Example: ``api_key = os.getenv("OBSIDIAN_API_KEY")`` then ``if not api_key: raise ValueError(...)``
-> ``OBSIDIAN_API_KEY`` required, evidence the ``if`` line.
"""

from __future__ import annotations

import ast
import re

from dockwright.project.ast_names import dotted
from dockwright.project.ast_walk import walk

_READS = frozenset({"os.getenv", "os.environ.get", "getenv", "environ.get"})
_EXITS = frozenset({"sys.exit", "exit", "quit", "os._exit"})
_ENV_NAME = re.compile(r"^[A-Z_][A-Z0-9_]*$")


def falsy_default_read(node: ast.AST | None) -> str | None:
    """``os.getenv("X")`` / ``os.getenv("X", "")`` / ``os.getenv("X", None)``: X, else None (a read the
    app gets nothing usable from when X is unset: a bot handed it fails its login as surely)."""
    if not (isinstance(node, ast.Call) and dotted(node.func) in _READS and node.args and not node.keywords):
        return None
    name = node.args[0]
    if not (isinstance(name, ast.Constant) and isinstance(name.value, str) and _ENV_NAME.match(name.value)):
        return None
    if len(node.args) == 1:
        return name.value
    default = node.args[1]
    if len(node.args) == 2 and isinstance(default, ast.Constant) and default.value in ("", None):
        return name.value
    return None


# Exceptions a web framework turns into one request's error response (401, 403, 400 ...): raised in a
# handler or a dependency, they answer that request and the app goes on serving (Starlette/FastAPI
# HTTPException, Litestar NotAuthorizedException/PermissionDeniedException, DRF AuthenticationFailed/
# NotAuthenticated, Django PermissionDenied, werkzeug Unauthorized/Forbidden/BadRequest, aiohttp
# HTTPUnauthorized).
_REQUEST_ERRORS = re.compile(
    r"(?:^|\.)(?:HTTP\w*|\w*HTTPException|NotAuthori[sz]ed\w*|Unauthori[sz]ed|Forbidden|BadRequest"
    r"|PermissionDenied\w*|AuthenticationFailed|NotAuthenticated|ValidationException|ClientException)$"
)


def _answers_a_request(stmt: ast.Raise) -> bool:
    """The statement raises one of the web frameworks' request errors (by class name)."""
    raised = stmt.exc.func if isinstance(stmt.exc, ast.Call) else stmt.exc
    name = dotted(raised) if raised is not None else None
    return bool(name and _REQUEST_ERRORS.search(name))


def _stops(body: list[ast.stmt]) -> bool:
    """The branch raises or exits (as its own statements, not in a nested function)."""
    for stmt in body:
        if isinstance(stmt, ast.Raise):
            return not _answers_a_request(stmt)
        call = stmt.value if isinstance(stmt, ast.Expr) else None
        if isinstance(call, ast.Call) and dotted(call.func) in _EXITS:
            return True
    return False


def _missing_tests(test: ast.AST) -> list[ast.AST]:
    """The operands that are true when a value is missing: ``not X``, ``X is None``, ``X == ""``."""
    if isinstance(test, ast.BoolOp) and isinstance(test.op, ast.Or):
        return [t for value in test.values for t in _missing_tests(value)]
    if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
        return [test.operand]
    if isinstance(test, ast.Compare) and len(test.ops) == 1:
        right = test.comparators[0]
        missing = isinstance(right, ast.Constant) and right.value in (None, "")
        if isinstance(test.ops[0], (ast.Is, ast.Eq)) and missing:
            return [test.left]
    return []


def _literal_default_read(node: ast.AST) -> tuple[str, str] | None:
    """``os.getenv("X", "dev-key")``: (X, its default), for a non-empty string default."""
    if not (isinstance(node, ast.Call) and dotted(node.func) in _READS and len(node.args) == 2):
        return None
    name, default = node.args
    if not (isinstance(name, ast.Constant) and isinstance(name.value, str) and _ENV_NAME.match(name.value)):
        return None
    if isinstance(default, ast.Constant) and isinstance(default.value, str) and default.value:
        return name.value, default.value
    return None


def _default_tests(test: ast.AST, defaults: dict[str, tuple[str, str]]) -> list[str]:
    """The variables a test finds holding their own default (``KEY == "dev-key"``, ``and``-joined with
    other conditions, as a production-only refusal is: ``and not DEBUG``)."""
    if isinstance(test, ast.BoolOp):
        return [v for value in test.values for v in _default_tests(value, defaults)]
    if not (isinstance(test, ast.Compare) and len(test.ops) == 1 and isinstance(test.ops[0], ast.Eq)):
        return []
    left, right = test.left, test.comparators[0]
    if isinstance(right, ast.Name):
        left, right = right, left
    if isinstance(left, ast.Name) and isinstance(right, ast.Constant) and left.id in defaults:
        variable, default = defaults[left.id]
        return [variable] if right.value == default else []
    return []


def refused_env(tree: ast.Module) -> list[tuple[str, int, str]]:
    """(variable, line of the check, why) for each variable the module stops without, or stops on
    when it holds its own default (``KEY = os.getenv("KEY", "dev")`` then ``if KEY == "dev": raise``:
    rw37, zou's SECRET_KEY outside DEBUG)."""
    assigned: dict[str, str] = {}
    defaults: dict[str, tuple[str, str]] = {}  # local name -> (variable, the default it is refused with)
    for node in walk(tree):
        if isinstance(node, (ast.Assign, ast.AnnAssign)) and node.value is not None:
            variable = falsy_default_read(node.value)
            literal = _literal_default_read(node.value)
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                if variable and isinstance(target, ast.Name):
                    assigned.setdefault(target.id, variable)
                if literal and isinstance(target, ast.Name):
                    defaults.setdefault(target.id, literal)
    out: list[tuple[str, int, str]] = []
    for node in walk(tree):
        if not (isinstance(node, ast.If) and _stops(node.body)):
            continue
        for variable in _default_tests(node.test, defaults):  # the default's text is not repeated
            why = f"the app stops when {variable} holds its default (the `if` raises or exits)"
            out.append((variable, node.lineno, why))
        for operand in _missing_tests(node.test):
            if isinstance(operand, ast.NamedExpr):  # `if not (path := os.getenv("X")):`
                operand = operand.value
            variable = (
                assigned.get(operand.id) if isinstance(operand, ast.Name) else falsy_default_read(operand)
            )
            if variable:
                shown = ast.unparse(node.test)[:60]
                why = f"the app stops without it (`if {shown}:` raises or exits)"
                out.append((variable, node.lineno, why))
    return out
