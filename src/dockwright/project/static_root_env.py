"""A ``STATIC_ROOT`` the settings read from the environment with no default, and who serves it.

A read with a default (``os.path.join(BASE_DIR, env("STATIC_ROOT", "static"))``) is that default's
folder (:func:`env_default`): the image sets no such variable.

``STATIC_ROOT = os.environ["STATIC_ROOT"]`` (or ``os.getenv("STATIC_ROOT")``, django-environ's
``env("STATIC_ROOT")`` / ``env.str(...)`` / ``env.path(...)``, python-decouple's ``config("STATIC_ROOT")``,
any of them inside ``Path(...)`` or ``str(...)``, or joined last to a folder: ``BASE_DIR / os.environ["X"]``,
``os.path.join(BASE_DIR, env("X"))``) leaves the build-time ``collectstatic`` with no folder:
the read raises (KeyError, ImproperlyConfigured, UndefinedValueError) or gives None, which Django refuses
(ImproperlyConfigured "STATIC_ROOT setting to a filesystem path"). :func:`static_root_env` names the
variable, so the plan can give it the folder the image keeps the files in. An absolute value given to
a joined read wins over the folder before it (``Path("/app") / "/srv"`` and ``os.path.join("/app",
"/srv")`` are ``/srv``), so the same absolute folder serves both shapes.

:func:`served_by_app` tells whether the app reads that folder itself: WhiteNoise
(``whitenoise.middleware.WhiteNoiseMiddleware`` in MIDDLEWARE, or ``whitenoise.runserver_nostatic``)
reads ``STATIC_ROOT`` at run time (https://whitenoise.readthedocs.io/en/stable/django.html), and so
does a manifest storage (``ManifestStaticFilesStorage``: its ``staticfiles.json``, without which every
page that names a static file fails), so the running container needs the same value; otherwise a web
server outside the app serves the files.
"""

from __future__ import annotations

import ast

# callables whose first argument is the variable's name and that raise or give None without a default:
# functions (os.getenv, env, config) and an environ.Env object's typed readers (env.str, env.path)
_READERS = frozenset({"getenv", "env", "config"})
_TYPED = frozenset({"str", "path"})
_GETTERS = frozenset({"get"})  # os.environ.get("X")
_WRAPPERS = frozenset({"Path", "str", "PurePath", "PosixPath", "abspath", "realpath"})
_JOINS = frozenset({"join", "joinpath"})  # os.path.join(BASE_DIR, X), BASE_DIR.joinpath(X)


def static_root_env(value: ast.expr) -> str:
    """The variable ``value`` reads without a default, else ""."""
    if isinstance(value, ast.BinOp) and isinstance(value.op, ast.Div):
        return static_root_env(value.right)
    if isinstance(value, ast.Subscript) and _is_environ(value.value):
        key = value.slice
        return key.value if isinstance(key, ast.Constant) and isinstance(key.value, str) else ""
    if not isinstance(value, ast.Call):
        return ""
    name = _callee(value.func)
    if name in _JOINS and value.args and not value.keywords:
        return static_root_env(value.args[-1])
    if name in _WRAPPERS and len(value.args) == 1 and not isinstance(value.args[0], ast.Constant):
        return static_root_env(value.args[0])
    if (
        not value.args
        or not isinstance(value.args[0], ast.Constant)
        or not isinstance(value.args[0].value, str)
    ):
        return ""
    variable = value.args[0].value
    defaulted = len(value.args) > 1 or any(k.arg == "default" for k in value.keywords)
    if defaulted and not _none_default(value):
        return ""
    if name in _GETTERS and isinstance(value.func, ast.Attribute) and _is_environ(value.func.value):
        return variable
    typed = name in _TYPED and isinstance(value.func, ast.Attribute)
    if (name in _READERS or typed) and variable.isupper():
        return variable
    return ""


def env_default(value: ast.expr) -> ast.expr | None:
    """The default of an environment read that has one (``os.environ.get("X", "static")``,
    ``os.getenv``, environs' and django-environ's ``env("X", "static")`` / ``env.str("X",
    default="static")``, decouple's ``config("X", default=...)``), else None: the image sets no such
    variable, so the default is the value the app runs with."""
    if not isinstance(value, ast.Call) or not value.args:
        return None
    first = value.args[0]
    if not (isinstance(first, ast.Constant) and isinstance(first.value, str) and first.value.isupper()):
        return None
    name = _callee(value.func)
    reads = (
        name in _GETTERS and isinstance(value.func, ast.Attribute) and _is_environ(value.func.value)
    ) or (name in _READERS or (name in _TYPED and isinstance(value.func, ast.Attribute)))
    given = [*value.args[1:2], *(k.value for k in value.keywords if k.arg == "default")]
    if not reads or len(given) != 1 or _none_default(value):
        return None
    return given[0]


def served_by_app(strings: set[str]) -> bool:
    """WhiteNoise is in the settings (its middleware, or its runserver app), or a manifest storage
    (``ManifestStaticFilesStorage`` or a subclass named so), which reads ``staticfiles.json`` from
    STATIC_ROOT at run time to name every file a template asks for
    (https://docs.djangoproject.com/en/stable/ref/contrib/staticfiles/#manifeststaticfilesstorage)."""
    return any(
        s.startswith("whitenoise.") or ("." in s and "Manifest" in s.rsplit(".", 1)[-1] and " " not in s)
        for s in strings
    )


def _none_default(call: ast.Call) -> bool:
    """The default given is None (``os.getenv("X", None)``): the same as none."""
    given = [*call.args[1:2], *(k.value for k in call.keywords if k.arg == "default")]
    return all(isinstance(g, ast.Constant) and g.value is None for g in given)


def _callee(func: ast.expr) -> str:
    if isinstance(func, ast.Name):
        return func.id
    return func.attr if isinstance(func, ast.Attribute) else ""


def _is_environ(node: ast.expr) -> bool:
    """``os.environ`` or ``environ``."""
    return (isinstance(node, ast.Attribute) and node.attr == "environ") or (
        isinstance(node, ast.Name) and node.id == "environ"
    )
