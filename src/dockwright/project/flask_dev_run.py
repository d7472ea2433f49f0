"""A program of the project that serves its Flask app with Flask's development server (``app.run()``).

What it finds
    The module a start runs (a console script's, ``python -m pkg``'s ``__main__``) or a project module
    whose function it calls, calling ``.run(...)`` on a Flask app: a module-level ``app = Flask(...)``
    (or one imported from a project module), a name bound in the same function to ``Flask(...)`` or to
    a call of the project's app factory, or that call itself (``make_app(url).run(port=9181)``).

Decision (docs/detection.md, "A program serving with Flask's development server")
    ``app.run()`` is werkzeug's development server: one process, threads, no worker restarts, and
    Flask's own documentation says not to use it in production. A demanding user wants the production
    server, but not at the cost of the program's set-up: a command-line program that builds its app
    from its options (a Redis URL, a URL prefix, a settings module) serves a different app than
    ``gunicorn module:app`` would. So:

    - the program only serves an app that is complete at import (the module-level app, its routes
      registered when the module is imported, and the function that runs it does nothing else): the
      plan serves that app with the production server on the same port (:func:`plain_run`);
    - otherwise the program stays the start, and the plan says so: the file and line of ``app.run``,
      and what to serve instead when the project has an app or a factory taking no arguments
      (``--start "gunicorn 'pkg.app:create_app()'"``) (:func:`dev_server_note`).

    An ``app.run()`` in one branch of an ``if`` whose other branch serves the app with a production
    server (``project/data/embedded_servers.toml``: ``cheroot.wsgi.Server(...).start()``,
    ``waitress.serve``) is the program's debug mode: no run is found there.

Source: Flask's deployment page ("do not use the development server when deploying to production",
https://flask.palletsprojects.com/en/stable/deploying/).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass

from dockwright.project.ast_names import dotted
from dockwright.project.detectors.base import Context
from dockwright.project.detectors.scan import ModuleScan
from dockwright.project.production_branches import debug_branch_calls


@dataclass(frozen=True)
class DevRun:
    """An ``app.run(...)`` call: where, and the module-level app it runs when it runs one."""

    rel: str
    line: int
    module_app: str = ""  # "module:variable" when the call runs a module-level app
    only_statement: bool = False  # the function (or __main__ block) does nothing but this call


def _tree(ctx: Context, scan: ModuleScan) -> ast.Module | None:
    try:
        return ast.parse(ctx.tree.read_text(scan.rel))
    except (OSError, UnicodeDecodeError, SyntaxError, ValueError, RecursionError, MemoryError):
        return None


def _flask_names(ctx: Context, scan: ModuleScan) -> tuple[dict[str, str], set[str]]:
    """The module's Flask apps (local name -> "module:variable") and the names of Flask app factories
    it defines or imports from a project module."""
    apps = {v: f"{scan.module}:{v}" for f, v, _ in scan.apps if f == "flask"}
    factories = {n for f, n, _ in scan.factories if f == "flask"}
    for local, full in scan.from_imports.items():
        source, _, name = full.rpartition(".")
        holder = next((s for s in ctx.by_rel.values() if s.module == source), None)
        if holder is None:
            continue
        if any(f == "flask" and v == name for f, v, _ in holder.apps):
            apps[local] = f"{holder.module}:{name}"
        if any(f == "flask" and n == name for f, n, _ in holder.factories):
            factories.add(local)
    return apps, factories


def _bodies(module: ast.Module, functions: frozenset[str] | None) -> Iterator[list[ast.stmt]]:
    """Each function's body (of ``functions`` and the module's functions they call, when given) and the
    ``__main__`` block's."""
    if functions is not None:
        defined = {n.name: n for n in module.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))}
        reached, todo = set(), [f for f in functions if f in defined]
        while todo:
            name = todo.pop()
            if name in reached:
                continue
            reached.add(name)
            todo.extend(
                n.func.id
                for n in ast.walk(defined[name])
                if isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id in defined
            )
        functions = frozenset(reached)
    for node in ast.walk(module):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and (
            functions is None or node.name in functions
        ):
            yield node.body
    if functions is not None:
        return
    for stmt in module.body:
        test = ast.dump(stmt.test) if isinstance(stmt, ast.If) else ""
        if isinstance(stmt, ast.If) and "__name__" in test and "__main__" in test:
            yield stmt.body


def _called(node: ast.expr) -> str:
    return (dotted(node.func) or "").rsplit(".", 1)[-1] if isinstance(node, ast.Call) else ""


def dev_runs(ctx: Context, scan: ModuleScan, functions: frozenset[str] | None = None) -> list[DevRun]:
    """The Flask development-server runs in ``scan``'s module (see the module docstring), in
    ``functions`` only when given (the ones another module imports and calls)."""
    if "flask" not in scan.imports and not scan.from_imports:
        return []
    module = _tree(ctx, scan)
    if module is None:
        return []
    apps, factories = _flask_names(ctx, scan)
    runs: list[DevRun] = []
    for body in _bodies(module, functions):
        bound: set[str] = set()
        for stmt in body:
            for node in ast.walk(stmt):
                if isinstance(node, ast.Assign) and len(node.targets) == 1:
                    target = node.targets[0]
                    made = _called(node.value)
                    if isinstance(target, ast.Name) and (made == "Flask" or made in factories):
                        bound.add(target.id)
        statements = [s for s in body if not (isinstance(s, ast.Expr) and isinstance(s.value, ast.Constant))]
        debug = debug_branch_calls(body, scan.from_imports)
        for stmt in body:
            for node in ast.walk(stmt):
                if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
                    continue
                if id(node) in debug:
                    continue
                if node.func.attr != "run":
                    continue
                receiver = node.func.value
                name = receiver.id if isinstance(receiver, ast.Name) else ""
                if name in apps and name not in bound:
                    only = len(statements) == 1 and isinstance(stmt, ast.Expr) and stmt.value is node
                    runs.append(DevRun(scan.rel, node.lineno, apps[name], only))
                elif name in bound or _called(receiver) in factories or _called(receiver) == "Flask":
                    runs.append(DevRun(scan.rel, node.lineno))
    return sorted(set(runs), key=lambda r: r.line)


def started_runs(ctx: Context, scan: ModuleScan) -> list[DevRun]:
    """The development-server runs of the started module and of the project modules it imports
    functions from (a ``__main__`` that runs ``cli.main``)."""
    runs = dev_runs(ctx, scan)
    called: dict[str, set[str]] = {}
    for local, full in scan.from_imports.items():
        source, _, name = full.rpartition(".")
        if local in scan.main_calls or local in _calls(ctx, scan):
            called.setdefault(source, set()).add(name)
    for source, names in called.items():
        holder = next((s for s in ctx.by_rel.values() if s.module == source), None)
        if holder is not None and holder.rel != scan.rel:
            runs.extend(dev_runs(ctx, holder, frozenset(names)))
    return runs


def _calls(ctx: Context, scan: ModuleScan) -> set[str]:
    """The plain names the module calls anywhere."""
    module = _tree(ctx, scan)
    if module is None:
        return set()
    return {n.func.id for n in ast.walk(module) if isinstance(n, ast.Call) and isinstance(n.func, ast.Name)}


def plain_run(runs: list[DevRun]) -> DevRun | None:
    """The one run that serves a module-level app and nothing else: the production server can serve
    that app as it is (its routes are registered at import)."""
    if len(runs) == 1 and runs[0].module_app and runs[0].only_statement:
        return runs[0]
    return None


def _servable(ctx: Context) -> str | None:
    """A Flask app the production server can import: a module-level app, else a factory that takes no
    arguments, else a function taking none that returns the app a project factory builds."""
    scans = sorted(ctx.by_rel.values(), key=lambda s: s.rel)
    for s in scans:
        for framework, variable, _ in s.apps:
            if framework == "flask":
                return f"{s.module}:{variable}"
    for s in scans:
        for framework, name, _ in s.factories:
            if framework == "flask" and s.factory_arity.get(name, (1, 1))[0] == 0:
                return f"{s.module}:{name}()"
    for s in scans:
        _, factories = _flask_names(ctx, s)
        if not factories:
            continue
        module = _tree(ctx, s)
        if module is None:
            continue
        for stmt in module.body:
            if not isinstance(stmt, ast.FunctionDef) or stmt.args.args or stmt.args.posonlyargs:
                continue
            builds = any(_called(n.value) in factories for n in ast.walk(stmt) if isinstance(n, ast.Assign))
            returns = any(isinstance(n, ast.Return) and n.value is not None for n in ast.walk(stmt))
            if builds and returns:
                return f"{s.module}:{stmt.name}()"
    return None


def dev_server_note(ctx: Context, runs: list[DevRun], command: tuple[str, ...], port: int) -> str | None:
    """The warning for a start that serves with Flask's development server, or None without a run."""
    if not runs:
        return None
    run = runs[0]
    servable = _servable(ctx)
    instead = (
        f"the project's app can be served by a production server instead, with its settings given "
        f"another way: --start \"gunicorn --bind 0.0.0.0:{port} '{servable}'\""
        if servable
        else "the project has no app object a production server can import (gunicorn module:app)"
    )
    return (
        f"{run.rel}:{run.line}: {' '.join(command)} serves the Flask app with Flask's development server "
        f"(app.run: one process, not meant for production); kept as the start, since the program sets "
        f"its app up from its own options; {instead}"
    )
