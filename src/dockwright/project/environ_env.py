"""Variables django-environ reads without a default, in the settings the app runs with.

What it does
    Per module: the objects made by ``environ.Env(...)`` (with the names its schema gives a default,
    ``Env(DEBUG=(bool, False))``) and every read ``env("NAME")`` / ``env.str("NAME")`` / ``env.db("NAME")``
    ... (a first literal argument) without ``default=``. Then, for a Django project, only the reads of the
    settings module the image runs (``DJANGO_SETTINGS_MODULE``) and of the project modules it imports,
    transitively (``from .base import *``, ``from config.env import env``), count: a
    ``production.py`` beside the chosen ``base.py`` asks nothing of this image.

Why is this bad?
    ``env("SECRET_KEY")`` with the variable unset raises ``ImproperlyConfigured`` when the settings load:
    the container stops at start. Projects keep such values in a ``.env`` read by ``env.read_env()``,
    which the build context leaves out as a secret.

Example
    ``SECRET_KEY = env("DJANGO_SECRET_KEY")`` in ``config/settings/production.py``, the module
    ``wsgi.py`` names -> ``DJANGO_SECRET_KEY`` is required.

Use instead
    Pass the variables when starting the container; the plan lists them and the image sets none.
    https://django-environ.readthedocs.io/en/latest/quickstart.html
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from dockwright.project.ast_names import dotted

_ENV_CTORS = ("environ.Env", "Env", "environ.FileAwareEnv", "FileAwareEnv")
# Env's readers (https://django-environ.readthedocs.io/en/latest/api.html); read_env() and the rest are not
_READERS = frozenset(
    {"str", "bool", "int", "float", "json", "list", "tuple", "dict", "url", "db", "db_url", "cache"}
    | {"cache_url", "email", "email_url", "search_url", "queue_url", "path", "bytes", "get_value"}
)
_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


@dataclass
class EnvironReads:
    """One module's django-environ objects and reads."""

    objects: dict[str, frozenset[str]] = field(default_factory=dict)  # env object -> schema defaults
    reads: list[tuple[str, str, int]] = field(default_factory=list)  # (receiver, variable, line)


def environ_reads(tree: ast.Module, from_imports: Mapping[str, str]) -> EnvironReads:
    """The module's ``environ.Env`` objects and its reads without a default."""
    found = EnvironReads()
    imports_environ = any(
        isinstance(n, ast.Import) and any(a.name == "environ" for a in n.names) for n in ast.walk(tree)
    ) or any(v.startswith("environ.") for v in from_imports.values())
    if not imports_environ and not from_imports:
        return found
    for stmt in tree.body:
        if not (isinstance(stmt, ast.Assign) and isinstance(stmt.value, ast.Call)):
            continue
        if dotted(stmt.value.func) in _ENV_CTORS and imports_environ:
            keywords = stmt.value.keywords
            defaults = frozenset(kw.arg for kw in keywords if kw.arg and isinstance(kw.value, ast.Tuple))
            for target in stmt.targets:
                if isinstance(target, ast.Name):
                    found.objects[target.id] = defaults
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call) or not node.args:
            continue
        first = node.args[0]
        if not (isinstance(first, ast.Constant) and isinstance(first.value, str)):
            continue
        if any(kw.arg == "default" for kw in node.keywords):
            continue
        func = node.func
        receiver = func.id if isinstance(func, ast.Name) else None
        if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.attr in _READERS:
            receiver = func.value.id
        if receiver is None or receiver in ("os", "environ") or not _NAME.match(first.value):
            continue
        found.reads.append((receiver, first.value, node.lineno))
    return found


def reachable(start: str, imports: Mapping[str, Iterable[str]]) -> set[str]:
    """Project modules ``start`` imports, transitively (``imports``: module -> absolute import paths)."""
    seen = {start}
    todo = [start]
    while todo:
        for target in imports.get(todo.pop(), ()):
            for module in (target, target.rsplit(".", 1)[0]):
                if module in imports and module not in seen:
                    seen.add(module)
                    todo.append(module)
    return seen


@dataclass(frozen=True)
class ModuleReads:
    """What :func:`required_environ` needs of one scanned module."""

    rel: str
    module: str
    from_imports: Mapping[str, str]
    reads: EnvironReads


def required_environ(modules: Iterable[ModuleReads], settings: str | None) -> list[tuple[str, str, int]]:
    """(variable, file, line) of each read without a default through an ``environ.Env`` object, in the
    settings module ``settings`` and what it imports (every module when ``settings`` is None)."""
    by_module = {m.module: m for m in modules}
    if settings is not None and settings not in by_module:
        return []
    imports = {name: list(m.from_imports.values()) for name, m in by_module.items()}
    scope = reachable(settings, imports) if settings is not None else set(by_module)
    out: list[tuple[str, str, int]] = []
    for name in sorted(scope):
        m = by_module[name]
        for receiver, variable, line in m.reads.reads:
            defaults = _object(m, receiver, by_module)
            if defaults is not None and variable not in defaults:
                out.append((variable, m.rel, line))
    return out


def _object(m: ModuleReads, receiver: str, by_module: Mapping[str, ModuleReads]) -> frozenset[str] | None:
    """The schema defaults of the ``environ.Env`` object ``receiver`` names in ``m``, else None."""
    if receiver in m.reads.objects:
        return m.reads.objects[receiver]
    source = m.from_imports.get(receiver, "")
    module, _, attr = source.rpartition(".")
    other = by_module.get(module)
    return other.reads.objects.get(attr) if other is not None else None
