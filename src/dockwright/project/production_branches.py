"""The debug branch of a program that serves its app with a production server otherwise.

What it finds
    An ``if`` whose one branch serves the app with a production WSGI server a program starts from its
    own code (``data/embedded_servers.toml``: ``cheroot.wsgi.Server(...).start()``, ``waitress.serve``;
    imported in the branch or at the top of the module) and whose other branch runs a development
    server (``app.run()``, ``run_simple``): the calls of that other branch.

Decision
    Those calls are the program's debug mode (``--debug``, ``app.debug``), not the way it serves: the
    development-server warnings (``project/flask_dev_run.py``, ``project/dev_servers.py``) leave them
    out. Fava's ``cli.py`` serves with cheroot unless ``--debug`` is given, and was said to serve with
    Flask's development server.
"""

from __future__ import annotations

import ast
from functools import cache

from dockwright.project.ast_names import dotted
from dockwright.project.tree import data_table


@cache
def _embedded_servers() -> tuple[str, ...]:
    return tuple(str(row["module"]) for row in data_table("embedded_servers.toml")["server"])


def _is_server(module: str) -> bool:
    return any(module == m or module.startswith(f"{m}.") for m in _embedded_servers())


def _serves_in_production(branch: list[ast.stmt], imported: dict[str, str]) -> bool:
    """Whether ``branch`` imports or calls a production server (``imported``: the module's
    ``from`` imports, local name -> dotted name)."""
    for node in (n for stmt in branch for n in ast.walk(stmt)):
        if isinstance(node, ast.ImportFrom) and _is_server(node.module or ""):
            return True
        if isinstance(node, ast.Import) and any(_is_server(a.name) for a in node.names):
            return True
        if isinstance(node, ast.Call):
            name = dotted(node.func) or ""
            head, _, rest = name.partition(".")
            full = imported.get(head, head) + (f".{rest}" if rest else "")
            if _is_server(full.rpartition(".")[0]) or _is_server(full):
                return True
    return False


def debug_branch_calls(body: list[ast.stmt], imported: dict[str, str]) -> set[int]:
    """The ids of the ``ast.Call`` nodes in an ``if`` branch whose sibling branch serves the app with a
    production server: the program's debug mode."""
    skipped: set[int] = set()
    for node in (n for stmt in body for n in ast.walk(stmt)):
        if not isinstance(node, ast.If) or not node.orelse:
            continue
        for branch, other in ((node.body, node.orelse), (node.orelse, node.body)):
            if _serves_in_production(other, imported):
                skipped.update(id(n) for stmt in branch for n in ast.walk(stmt) if isinstance(n, ast.Call))
    return skipped
