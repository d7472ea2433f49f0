"""Environment variables a settings class requires: pydantic-settings ``BaseSettings`` fields without a
default.

What it does
    Reads module-level classes that derive from ``pydantic_settings.BaseSettings`` (pydantic v2) or
    ``pydantic.BaseSettings`` (v1), directly or through another such class of the same module, and
    returns each annotated field with no default as the variable it is read from: the class's
    ``env_prefix`` (``model_config = SettingsConfigDict(env_prefix=...)``, ``class Config`` or a class
    keyword ``env_prefix=...``) plus the field name, or the field's ``alias``/``validation_alias``
    (v1: ``env=``), upper-cased unless ``case_sensitive=True``.

Why is this bad?
    Such a field makes ``Settings()`` raise a ``ValidationError`` when the variable is unset. Projects
    keep the values in a ``.env`` file (``env_file=".env"``), which the build context leaves out as a
    secret, so the container starts without them: the app dies at import, or every request that builds
    the settings fails.

Example
    ``class Settings(BaseSettings): api_key: str`` with ``env_prefix="SHOP_"`` -> ``SHOP_API_KEY``.

Use instead
    Pass the variables when starting the container (``docker run -e SHOP_API_KEY=...``, an env file, a
    secret store); the plan lists them and the image sets none.
    https://docs.pydantic.dev/latest/concepts/pydantic_settings/#environment-variable-names
"""

from __future__ import annotations

import ast

from dockwright.project.ast_names import dotted

# The base classes by their absolute import path, with the pydantic major version they belong to.
_BASES = {
    "pydantic_settings.BaseSettings": 2,
    "pydantic.BaseSettings": 1,
    "pydantic.env_settings.BaseSettings": 1,
}


def _resolve(name: str, from_imports: dict[str, str], modules: dict[str, str]) -> str:
    """``BaseSettings`` -> ``pydantic_settings.BaseSettings`` through the module's imports."""
    head, _, rest = name.partition(".")
    if head in from_imports:
        return from_imports[head] + (f".{rest}" if rest else "")
    if head in modules:
        return modules[head] + (f".{rest}" if rest else "")
    return name


def _keyword(call: ast.Call, name: str) -> ast.expr | None:
    return next((kw.value for kw in call.keywords if kw.arg == name), None)


def _string(node: ast.AST | None) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def _config(cls: ast.ClassDef) -> tuple[str | None, bool | None]:
    """``env_prefix`` and ``case_sensitive`` set as class keywords (``class S(BaseSettings,
    env_prefix="app_")``, which pydantic merges into the model's config) or in the class body (v2
    ``model_config``, v1 ``Config``)."""
    prefix: str | None = _string(next((k.value for k in cls.keywords if k.arg == "env_prefix"), None))
    sensitive: bool | None = None
    flag_kw = next((k.value for k in cls.keywords if k.arg == "case_sensitive"), None)
    if isinstance(flag_kw, ast.Constant) and isinstance(flag_kw.value, bool):
        sensitive = flag_kw.value
    for stmt in cls.body:
        call: ast.AST | None = None
        if isinstance(stmt, (ast.Assign, ast.AnnAssign)):
            targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]
            if any(isinstance(t, ast.Name) and t.id == "model_config" for t in targets):
                call = stmt.value
        if isinstance(call, ast.Call):
            prefix = _string(_keyword(call, "env_prefix"))
            flag = _keyword(call, "case_sensitive")
            if isinstance(flag, ast.Constant) and isinstance(flag.value, bool):
                sensitive = flag.value
        elif isinstance(call, ast.Dict):
            for key, value in zip(call.keys, call.values, strict=True):
                if _string(key) == "env_prefix":
                    prefix = _string(value)
                elif _string(key) == "case_sensitive" and isinstance(value, ast.Constant):
                    sensitive = bool(value.value)
        if isinstance(stmt, ast.ClassDef) and stmt.name == "Config":
            for inner in stmt.body:
                if isinstance(inner, ast.Assign) and isinstance(inner.targets[0], ast.Name):
                    if inner.targets[0].id == "env_prefix":
                        prefix = _string(inner.value)
                    elif inner.targets[0].id == "case_sensitive" and isinstance(inner.value, ast.Constant):
                        sensitive = bool(inner.value.value)
    return prefix, sensitive


def _optional(annotation: ast.expr) -> bool:
    """``Optional[X]`` / ``X | None``: pydantic v1 gives such a field the default None."""
    text = ast.unparse(annotation)
    return text.startswith(("Optional[", "typing.Optional[")) or "None" in text.replace(" ", "").split("|")


def _field(stmt: ast.AnnAssign, version: int) -> tuple[bool, str | None]:
    """(required, the alias it is read from)."""
    annotation = ast.unparse(stmt.annotation)
    if annotation.startswith(("ClassVar", "typing.ClassVar")):
        return False, None
    value = stmt.value
    if value is None:
        return not (version == 1 and _optional(stmt.annotation)), None
    if isinstance(value, ast.Call) and (dotted(value.func) or "").rsplit(".", 1)[-1] == "Field":
        alias = None
        for key in ("validation_alias", "alias", "env"):
            alias = alias or _string(_keyword(value, key))
        first = value.args[0] if value.args else _keyword(value, "default")
        has_default = _keyword(value, "default_factory") is not None or (
            first is not None and not (isinstance(first, ast.Constant) and first.value is Ellipsis)
        )
        return not has_default and not (version == 1 and _optional(stmt.annotation)), alias
    return False, None


def required_settings(tree: ast.Module, from_imports: dict[str, str]) -> list[tuple[str, int, str]]:
    """(variable, line, what reads it) for every required field of the module's settings classes."""
    modules = {
        alias.asname or alias.name: alias.name
        for node in tree.body
        if isinstance(node, ast.Import)
        for alias in node.names
    }
    versions: dict[str, tuple[int, str, bool | None]] = {}  # local settings class -> (version, prefix, cs)
    models = _model_classes(tree, from_imports, modules)
    out: list[tuple[str, int, str]] = []
    for cls in (s for s in tree.body if isinstance(s, ast.ClassDef)):
        inherited: tuple[int, str, bool | None] | None = None
        for base in cls.bases:
            name = dotted(base) or ""
            if name in versions:
                inherited = versions[name]
            elif _resolve(name, from_imports, modules) in _BASES:
                inherited = (_BASES[_resolve(name, from_imports, modules)], "", None)
        if inherited is None:
            continue
        version, prefix, sensitive = inherited
        own_prefix, own_sensitive = _config(cls)
        prefix = own_prefix if own_prefix is not None else prefix
        sensitive = own_sensitive if own_sensitive is not None else sensitive
        versions[cls.name] = (version, prefix, sensitive)
        for stmt in cls.body:
            if not isinstance(stmt, ast.AnnAssign) or not isinstance(stmt.target, ast.Name):
                continue
            field = stmt.target.id
            if field.startswith("_") or field == "model_config":
                continue
            required, alias = _field(stmt, version)
            if not required or _unwrapped(stmt.annotation) in models:
                continue  # a nested model (`listen: Listen`): the code builds it, or its own fields are read
            variable = alias or f"{prefix}{field}"
            out.append(
                (
                    variable if sensitive else variable.upper(),
                    stmt.lineno,
                    f"field {field!r} of {cls.name} (pydantic settings) has no default",
                )
            )
    return out


_MODEL_BASES = frozenset({*_BASES, "pydantic.BaseModel", "pydantic.main.BaseModel"})


def _model_classes(tree: ast.Module, from_imports: dict[str, str], modules: dict[str, str]) -> frozenset[str]:
    """The module's classes deriving from pydantic's BaseModel or BaseSettings, directly or through
    another of them."""
    found: set[str] = set()
    for cls in (s for s in tree.body if isinstance(s, ast.ClassDef)):
        bases = {dotted(base) or "" for base in cls.bases}
        if bases & found or any(_resolve(b, from_imports, modules) in _MODEL_BASES for b in bases):
            found.add(cls.name)
    return frozenset(found)


def _unwrapped(annotation: ast.expr) -> str:
    """The class an annotation names, ``Optional[X]``/``X | None``/a string annotation unwrapped."""
    text = ast.unparse(annotation).replace("'", "").replace('"', "").replace(" ", "")
    for wrapper in ("typing.Optional[", "Optional["):
        if text.startswith(wrapper) and text.endswith("]"):
            text = text[len(wrapper) : -1]
    parts = [p for p in text.split("|") if p != "None"]
    return parts[0] if len(parts) == 1 else text
