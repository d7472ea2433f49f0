"""Database URLs read from an environment variable with a written default (``data/db_drivers.toml``
``[[url_reader]]``): ``dj_database_url.config(default="mysql://...")``, django-environ's
``env.db_url("DB", default=...)``, environs' ``env.dj_db_url("DB", default=...)``.

Why: unset, the default is the URL Django loads the backend of; when the project does not install that
backend's driver, the variable is required (project/db_drivers.py ``unusable_defaults``), and the build's
collectstatic gets the variable's build-time value (a model reaching the backend at import stopped a
build on "Error loading MySQLdb module").
"""

from __future__ import annotations

import ast
import re
from functools import cache
from typing import NamedTuple

from dockwright.project.ast_names import dotted
from dockwright.project.tree import data_table

_SCHEME = re.compile(r"^[a-z][a-z0-9-]*(?:\+[a-z0-9_]+)?://")
SHELL_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")  # a name a shell sets (`NAME=value cmd`, `-e NAME=`)


class UrlReader(NamedTuple):
    calls: tuple[str, ...]
    variable: str
    argument: str


@cache
def url_readers() -> tuple[UrlReader, ...]:
    rows = data_table("db_drivers.toml")["url_reader"]
    return tuple(UrlReader(tuple(r["calls"]), str(r["variable"]), str(r["argument"])) for r in rows)


def url_default(node: ast.Call) -> tuple[str, str] | None:
    """(the variable, the default URL) of a call that reads a database URL from the environment with a
    written default (``dj_database_url.config(default="mysql://...")``, ``env.db_url("DB", default=...)``),
    else None."""
    name = dotted(node.func) or ""
    reader = next(
        (
            r
            for r in url_readers()
            if any(name == c or ("." not in c and name.endswith("." + c)) for c in r.calls)
        ),
        None,
    )
    if reader is None:
        return None
    keywords = {k.arg: k.value for k in node.keywords if k.arg}
    default = keywords.get("default")
    named = keywords.get(reader.argument) or (node.args[0] if node.args else None)
    if not (
        isinstance(default, ast.Constant) and isinstance(default.value, str) and _SCHEME.match(default.value)
    ):
        return None
    if named is not None:
        if not (isinstance(named, ast.Constant) and isinstance(named.value, str)):
            return None
        if not SHELL_NAME.match(named.value):  # it is written into RUN lines and `docker run -e`
            return None
        return named.value, default.value
    return (reader.variable, default.value) if reader.variable else None
