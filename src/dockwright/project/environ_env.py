"""Variables django-environ (or environs) reads without a default, in the settings the app runs with.

What it does
    Per module: the objects made by ``environ.Env(...)`` (with the names its schema gives a default,
    ``Env(DEBUG=(bool, False))``) and every read ``env("NAME")`` / ``env.str("NAME")`` / ``env.db("NAME")``
    ... (a first literal argument, or ``var="NAME"``) without a default: neither ``default=`` nor the
    positional argument in its place (the second of ``env.bool("DEBUG", False)``, the third of
    ``env("N", str, "x")`` and ``env.list("N", str, [])``, whose second is the cast). The URL readers
    called with no variable read their own (``env.db()`` and ``env.db(engine="...")`` read
    ``DATABASE_URL``). A read in the body of an ``if`` that is off unless the user turns it on
    (``if DEBUG:``, ``if env.bool("PROXY_ENABLED", default=False):``, ``if USE_S3 or USE_CDN:`` where
    each name is bound to such a flag) is not required, nor is one in a ``try`` whose ``except`` catches
    the missing variable's error (``ImproperlyConfigured``, environs' ``EnvError``) and falls back. An
    object may
    also come from a project function that returns one (``env = load_env()``, where ``load_env`` in
    this module or an imported one makes an ``environ.Env`` and returns it). Then, for a Django
    project, only the reads of the
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
from dockwright.project.ast_walk import walk

_ENV_CTORS = (
    "environ.Env",
    "Env",
    "environ.FileAwareEnv",
    "FileAwareEnv",
    "environs.Env",
    "environs.FileAwareEnv",
)
# environs (https://github.com/sloria/environs#supported-types): the same ``env("NAME")`` reads, raising
# EnvError without a default; every reader (``env("X", "static")``, ``env.list("X", [])``) takes the
# default second, as it has no cast parameter
_ENVIRONS = "environs"
# Env's readers (https://django-environ.readthedocs.io/en/latest/api.html); read_env() and the rest are not
_READERS = frozenset(
    {"str", "bool", "int", "float", "json", "list", "tuple", "dict", "url", "db", "db_url", "cache"}
    | {"cache_url", "email", "email_url", "search_url", "queue_url", "path", "bytes", "get_value"}
    | {"decimal", "datetime", "date", "time", "timedelta", "log_level", "uuid", "enum"}  # environs'
    | {"dj_db_url", "dj_email_url", "dj_cache_url"}
)
_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
# readers whose second positional parameter is ``cast``, so the default is the third (``Env.__call__``
# too); every other reader takes the default second (django-environ 0.14 ``environ/environ.py``)
_CAST_SECOND = frozenset({"list", "tuple", "dict", "get_value"})
# the variable a URL reader reads when called with none (its ``var`` parameter's default)
_DEFAULT_VARIABLE = {
    "db": "DATABASE_URL",
    "db_url": "DATABASE_URL",
    "cache": "CACHE_URL",
    "cache_url": "CACHE_URL",
    "email": "EMAIL_URL",
    "email_url": "EMAIL_URL",
    "search_url": "SEARCH_URL",
    "channels_url": "CHANNELS_URL",
}


@dataclass
class EnvironReads:
    """One module's django-environ objects and reads."""

    objects: dict[str, frozenset[str]] = field(default_factory=dict)  # env object -> schema defaults
    environs: set[str] = field(default_factory=set)  # env objects made by environs (default second)
    factories: dict[str, frozenset[str]] = field(default_factory=dict)  # function returning one -> defaults
    made_by: dict[str, str] = field(default_factory=dict)  # env object -> the function called to make it
    reads: list[tuple[str, str, int]] = field(default_factory=list)  # (receiver, variable, line)


def environ_reads(tree: ast.Module, from_imports: Mapping[str, str]) -> EnvironReads:
    """The module's ``environ.Env`` objects and its reads without a default."""
    found = EnvironReads()
    imports_environ = any(
        isinstance(n, ast.Import) and any(a.name in ("environ", _ENVIRONS) for a in n.names)
        for n in walk(tree)
    ) or any(v.startswith(("environ.", f"{_ENVIRONS}.")) for v in from_imports.values())
    if not imports_environ and not from_imports:
        return found
    for stmt in tree.body:
        if isinstance(stmt, ast.FunctionDef) and imports_environ:
            if (made := _factory(stmt)) is not None:
                found.factories[stmt.name] = made
            continue
        if not (isinstance(stmt, ast.Assign) and isinstance(stmt.value, ast.Call)):
            continue
        names = [t.id for t in stmt.targets if isinstance(t, ast.Name)]
        ctor = dotted(stmt.value.func)
        if ctor in _ENV_CTORS and imports_environ:
            found.objects.update(dict.fromkeys(names, _schema(stmt.value)))
            if ctor.startswith(f"{_ENVIRONS}.") or from_imports.get(ctor, "").startswith(f"{_ENVIRONS}."):
                found.environs.update(names)
        elif isinstance(stmt.value.func, ast.Name) and not stmt.value.args and not stmt.value.keywords:
            found.made_by.update(dict.fromkeys(names, stmt.value.func.id))
    if imports_environ:  # environs' ready-made object: `from environs import env`, `environs.env.str(...)`
        ready = [local for local, target in from_imports.items() if target == f"{_ENVIRONS}.env"]
        by_module = any(isinstance(n, ast.Attribute) and dotted(n) == f"{_ENVIRONS}.env" for n in walk(tree))
        ready += [f"{_ENVIRONS}.env"] if by_module else []
        for name in ready:
            found.objects.setdefault(name, frozenset())
            found.environs.add(name)
    skipped, tested = _branches(tree)
    skipped |= _switched_off(tree) | _caught(tree)
    for node in walk(tree):
        if (
            isinstance(node, ast.Call)
            and id(node) not in skipped
            and (read := _read(node, found.environs)) is not None
        ):
            found.reads.append((*read, node.lineno))
    found.reads.extend(tested)
    for stmt in tree.body:  # Django refuses an empty SECRET_KEY: a None or "" default is none
        if (
            isinstance(stmt, ast.Assign)
            and any(isinstance(t, ast.Name) and t.id == "SECRET_KEY" for t in stmt.targets)
            and isinstance(stmt.value, ast.Call)
            and id(stmt.value) not in skipped
            and (read := _falsy_default_read(stmt.value, found.environs)) is not None
        ):
            found.reads.append((*read, stmt.lineno))
    return found


def _falsy_default_read(node: ast.Call, environs: set[str]) -> tuple[str, str] | None:
    """(receiver, variable) of a reader call whose default is None or "" (``env("SECRET_KEY", None)``,
    ``env.str("SECRET_KEY", default="")``), else None."""
    func = node.func
    reader = func.attr if isinstance(func, ast.Attribute) else ""
    receiver = dotted(func.value) if isinstance(func, ast.Attribute) else dotted(func)
    default_at = 1 if receiver in environs or (reader and reader not in _CAST_SECOND) else 2
    given = [k.value for k in node.keywords if k.arg == "default"] + node.args[default_at : default_at + 1]
    if len(given) != 1 or not (isinstance(given[0], ast.Constant) and given[0].value in (None, "")):
        return None
    without = ast.Call(node.func, node.args[:default_at], [k for k in node.keywords if k.arg != "default"])
    return _read(without, environs)


def _schema(call: ast.Call) -> frozenset[str]:
    """The variables an ``environ.Env(NAME=(cast, default))`` schema gives a default."""
    return frozenset(kw.arg for kw in call.keywords if kw.arg and isinstance(kw.value, ast.Tuple))


def _factory(func: ast.FunctionDef) -> frozenset[str] | None:
    """The schema defaults of the ``environ.Env`` a function returns (``return environ.Env()``, or a
    local name bound to one and returned), else None."""
    made: dict[str, frozenset[str]] = {}
    for node in walk(func):
        if (
            isinstance(node, ast.Assign)
            and isinstance(node.value, ast.Call)
            and dotted(node.value.func) in _ENV_CTORS
        ):
            made.update({t.id: _schema(node.value) for t in node.targets if isinstance(t, ast.Name)})
    for node in walk(func):
        if not isinstance(node, ast.Return) or node.value is None:
            continue
        if isinstance(node.value, ast.Call) and dotted(node.value.func) in _ENV_CTORS:
            return _schema(node.value)
        if isinstance(node.value, ast.Name) and node.value.id in made:
            return made[node.value.id]
    return None


def _off_by_default(test: ast.expr, switches: frozenset[str] = frozenset()) -> bool:
    """An ``if`` test that is false unless the user turns a switch on: ``DEBUG`` (an image runs with it
    off), a flag read with a false default (``env.bool("PROXY_ENABLED", default=False)``,
    ``env.bool("X", False)``), a module-level name bound to such a flag (``switches``: ``USE_S3 =
    env.bool("USE_S3", False)``), switches joined by ``or`` (all off), or by ``and`` (one off)."""
    if isinstance(test, ast.BoolOp):
        parts = [_off_by_default(v, switches) for v in test.values]
        return all(parts) if isinstance(test.op, ast.Or) else any(parts)
    if isinstance(test, ast.Name):
        return test.id == "DEBUG" or test.id in switches
    if not (isinstance(test, ast.Call) and isinstance(test.func, ast.Attribute) and test.func.attr == "bool"):
        return False
    default = next((kw.value for kw in test.keywords if kw.arg == "default"), None)
    if default is None and len(test.args) > 1:
        default = test.args[1]
    return isinstance(default, ast.Constant) and default.value in (False, None, 0, "")


def _switches(tree: ast.Module) -> frozenset[str]:
    """Module-level names bound once to a flag that is off by default (``USE_S3 = env.bool("USE_S3",
    False)``); a name bound again anywhere in the module is left out (that binding may turn it on)."""
    bound: dict[str, int] = {}
    for node in walk(tree):  # every binding, nested ones too (`if PROD: USE_S3 = True`)
        targets = node.targets if isinstance(node, ast.Assign) else []
        for name in (t.id for t in targets if isinstance(t, ast.Name)):
            bound[name] = bound.get(name, 0) + 1
    off = {
        t.id
        for stmt in tree.body
        if isinstance(stmt, ast.Assign) and _off_by_default(stmt.value)
        for t in stmt.targets
        if isinstance(t, ast.Name) and t.id != "DEBUG"
    }
    return frozenset(n for n in off if bound[n] == 1)


# what a read without a default raises when the variable is unset: django-environ's ImproperlyConfigured,
# environs' EnvError; a handler of either (or of any Exception) makes the read optional
_UNSET_RAISES = frozenset({"ImproperlyConfigured", "EnvError", "Exception", "BaseException"})


def _caught(tree: ast.Module) -> set[int]:
    """The reads (ids) in the body of a ``try`` whose handler catches the missing variable's error
    (``try: BROKER = env("BROKER_URL") except EnvError: BROKER = "..."``): the module falls back."""
    out: set[int] = set()
    for node in walk(tree):
        if not isinstance(node, ast.Try):
            continue
        caught = any(
            handler.type is None
            or any((dotted(n) or "").rsplit(".", 1)[-1] in _UNSET_RAISES for n in walk(handler.type))
            for handler in node.handlers
        )
        if caught:
            out.update(id(n) for stmt in node.body for n in walk(stmt) if isinstance(n, ast.Call))
    return out


def _switched_off(tree: ast.Module) -> set[int]:
    """The reads (ids) in the body of an ``if`` that is off by default: asked only when it is on."""
    switches = _switches(tree)
    return {
        id(n)
        for node in walk(tree)
        if isinstance(node, ast.If) and _off_by_default(node.test, switches)
        for stmt in node.body
        for n in walk(stmt)
        if isinstance(n, ast.Call)
    }


def _branches(tree: ast.Module) -> tuple[set[int], list[tuple[str, str, int]]]:
    """Reads an ``if`` on a variable makes conditional: ``if os.getenv("DATABASE_URL"): env.db("DATABASE_URL")
    else: env.str("POSTGRES_DB")`` reads the variable only when it is set, and the ``else`` branch's
    variables only when it is not. Those reads are skipped (ids); when the ``else`` branch reads any
    without a default, the tested variable is the one to give (read at the ``if``'s line instead). An
    ``if`` is such a choice of source when its body reads the tested variable or both branches set the
    same name; else (``if os.getenv("DEBUG"): DEBUG = True else: SECRET_KEY = env("SECRET_KEY")``) the
    ``else`` branch's reads stay required: giving the tested variable would change the mode instead."""
    skipped: set[int] = set()
    tested: list[tuple[str, str, int]] = []
    for node in walk(tree):
        if not isinstance(node, ast.If):
            continue
        names = _tested(node.test)
        if not names or names <= _MODE_FLAGS:
            continue  # `elif "CI" in os.environ:` picks a mode: its else branch is production's
        own = {
            id(n)
            for stmt in node.body
            for n in walk(stmt)
            if isinstance(n, ast.Call) and (_read(n) or ("", ""))[1] in names
        }
        skipped.update(own)
        if not own and not (_assigned(node.body) & _assigned(node.orelse)):
            continue  # the if picks a mode (`if getenv("DEBUG"): DEBUG = True`), not a setting's source
        others = [
            (n, read)
            for stmt in node.orelse
            for n in walk(stmt)
            if isinstance(n, ast.Call) and (read := _read(n))
        ]
        skipped.update(id(n) for n, _ in others)
        if others:
            receiver = others[0][1][0]
            tested.extend((receiver, name, node.lineno) for name in sorted(names))
    return skipped, tested


def _assigned(body: list[ast.stmt]) -> set[str]:
    """The names a branch assigns (``DATABASES = ...``, ``DATABASES["default"] = ...``)."""
    targets = [
        t
        for stmt in body
        for n in walk(stmt)
        if isinstance(n, (ast.Assign, ast.AnnAssign, ast.AugAssign))
        for t in (n.targets if isinstance(n, ast.Assign) else [n.target])
    ]
    return {n.id for t in targets for n in walk(t) if isinstance(n, ast.Name)}


# Variables that switch a mode rather than hold a setting: CI services set CI (and GITHUB_ACTIONS);
# the rest are the development and test switches projects test for. Giving one in production would
# turn the mode on (a throw-away SECRET_KEY, ALLOWED_HOSTS = ["*"]).
# https://docs.github.com/en/actions/reference/variables-reference#default-environment-variables
_MODE_FLAGS = frozenset({"CI", "GITHUB_ACTIONS", "TESTING", "TEST", "DEBUG", "DEV", "DEVELOPMENT", "LOCAL"})


def _tested(test: ast.expr) -> set[str]:
    """Variables an ``if`` test looks at: ``os.getenv("X")``, ``os.environ.get("X")``, ``"X" in
    os.environ``."""
    names: set[str] = set()
    for node in walk(test):
        if isinstance(node, ast.Call) and dotted(node.func) in ("os.getenv", "os.environ.get") and node.args:
            first = node.args[0]
            if isinstance(first, ast.Constant) and isinstance(first.value, str):
                names.add(first.value)
        if (
            isinstance(node, ast.Compare)
            and isinstance(node.left, ast.Constant)
            and isinstance(node.left.value, str)
            and any(dotted(c) == "os.environ" for c in node.comparators)
        ):
            names.add(node.left.value)
    return names


def _read(node: ast.Call, environs: set[str] | frozenset[str] = frozenset()) -> tuple[str, str] | None:
    """(receiver, variable) of a reader call without a default, else None (``environs``: the objects
    environs made, whose readers all take the default second)."""
    func = node.func
    receiver, reader = (func.id, "") if isinstance(func, ast.Name) else (None, "")
    if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.attr in _READERS:
        receiver, reader = func.value.id, func.attr
    elif (
        isinstance(func, ast.Attribute) and func.attr in _READERS and dotted(func.value) == f"{_ENVIRONS}.env"
    ):
        receiver, reader = f"{_ENVIRONS}.env", func.attr  # environs' ready-made object, by its module
    if receiver is None or receiver in ("os", "environ"):
        return None
    if any(kw.arg == "default" for kw in node.keywords):
        return None
    # the variable: the first argument or `var=`; with neither, a URL reader reads its own
    # (`env.db(engine="...")` reads DATABASE_URL, with no default)
    first = node.args[0] if node.args else next((kw.value for kw in node.keywords if kw.arg == "var"), None)
    if first is None:
        return (receiver, _DEFAULT_VARIABLE[reader]) if reader in _DEFAULT_VARIABLE else None
    if not (isinstance(first, ast.Constant) and isinstance(first.value, str)) or not _NAME.match(first.value):
        return None
    default_at = 1 if receiver in environs else 2 if reader in _CAST_SECOND or not reader else 1
    if len(node.args) > default_at:
        return None
    return receiver, first.value


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
    if receiver in m.reads.made_by:
        function = m.reads.made_by[receiver]
        if function in m.reads.factories:
            return m.reads.factories[function]
        return _imported(m, function, by_module, "factories")
    return _imported(m, receiver, by_module, "objects")


def _imported(
    m: ModuleReads, name: str, by_module: Mapping[str, ModuleReads], kind: str
) -> frozenset[str] | None:
    """The schema defaults of the object (``kind`` "objects") or factory ("factories") ``name`` that
    ``m`` imports from another project module, else None."""
    module, _, attr = m.from_imports.get(name, "").rpartition(".")
    other = by_module.get(module)
    if other is None:
        return None
    table = other.reads.objects if kind == "objects" else other.reads.factories
    return table.get(attr)
