"""Environment variables a Dynaconf settings object requires: ``Validator(NAME, required=True)``.

What it does
    Reads module-level ``Dynaconf(...)`` (or ``LazySettings(...)``) calls from the ``dynaconf`` package
    that load no settings file, and returns each name a ``Validator`` of their ``validators=[...]``
    requires (``required=True`` or ``must_exist=True``, no ``default``, not limited to one environment
    or condition) as the variable Dynaconf reads it from: ``envvar_prefix`` (``DYNACONF`` when not
    given, none when ``False``), an underscore, the name.

Why is this bad?
    Dynaconf validates when the module is imported (``settings.validators.validate_all()``) or on first
    access, and raises ``ValidationError: NAME is required in env main``. Projects keep the values in a
    ``.env`` file (``load_dotenv=True``), which the build context leaves out as a secret, so the
    container stops at start.

Example
    ``Dynaconf(envvar_prefix="SHOP", validators=[Validator("DB_HOST", required=True)])`` ->
    ``SHOP_DB_HOST``.

Use instead
    Pass the variables when starting the container (``docker run -e SHOP_DB_HOST=...``, an env file, a
    secret store); the plan lists them and the image sets none.
    https://www.dynaconf.com/validation/ and https://www.dynaconf.com/envvars/
"""

from __future__ import annotations

import ast

from dockwright.project.ast_names import dotted

_SETTINGS = frozenset({"dynaconf.Dynaconf", "dynaconf.LazySettings"})
_VALIDATOR = "dynaconf.Validator"
# a Dynaconf object that also reads files may get the values there
_FILE_KEYWORDS = frozenset({"settings_files", "settings_file", "includes", "preload", "root_path"})
# a validator limited to some environments or conditions, or with a fallback, does not always require
_NOT_ALWAYS = frozenset({"default", "env", "when", "condition"})


def _absolute(node: ast.AST, from_imports: dict[str, str], modules: dict[str, str]) -> str:
    name = dotted(node) or ""
    head, _, rest = name.partition(".")
    base = from_imports.get(head) or modules.get(head) or head
    return base + (f".{rest}" if rest else "")


def _true(node: ast.AST | None) -> bool:
    return isinstance(node, ast.Constant) and node.value is True


def _prefix(call: ast.Call) -> str | None:
    """``envvar_prefix`` (``DYNACONF`` when absent, "" when ``False``); None when not a literal."""
    for keyword in call.keywords:
        if keyword.arg == "envvar_prefix":
            value = keyword.value
            if isinstance(value, ast.Constant) and value.value is False:
                return ""
            if isinstance(value, ast.Constant) and isinstance(value.value, str):
                return value.value
            return None
    return "DYNACONF"


def required_dynaconf(tree: ast.Module, from_imports: dict[str, str]) -> list[tuple[str, int, str]]:
    """(variable, line, what requires it) for every always-required name of the module's Dynaconf objects."""
    modules = {a.asname or a.name: a.name for n in tree.body if isinstance(n, ast.Import) for a in n.names}
    out: list[tuple[str, int, str]] = []
    for stmt in tree.body:
        call = stmt.value if isinstance(stmt, (ast.Assign, ast.AnnAssign)) else None
        if not isinstance(call, ast.Call) or _absolute(call.func, from_imports, modules) not in _SETTINGS:
            continue
        keywords = {k.arg: k.value for k in call.keywords if k.arg}
        prefix = _prefix(call)
        validators = keywords.get("validators")
        if prefix is None or _FILE_KEYWORDS & keywords.keys() or not isinstance(validators, ast.List):
            continue
        for item in validators.elts:
            if not isinstance(item, ast.Call) or _absolute(item.func, from_imports, modules) != _VALIDATOR:
                continue
            options = {k.arg: k.value for k in item.keywords if k.arg}
            required = _true(options.get("required")) or _true(options.get("must_exist"))
            if not required or _NOT_ALWAYS & options.keys():
                continue
            for arg in item.args:
                if isinstance(arg, ast.Constant) and isinstance(arg.value, str) and "." not in arg.value:
                    name = arg.value.upper()
                    variable = f"{prefix}_{name}" if prefix else name
                    out.append(
                        (
                            variable,
                            item.lineno,
                            f"Dynaconf Validator({arg.value!r}, required=True), no default",
                        )
                    )
    return out
