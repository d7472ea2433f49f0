"""A launcher script that migrates the database before it starts a development server: the migration
runs before the production server the plan starts instead.

What it does
    The repository runs a Python script of its own (its Dockerfile's ``CMD ["python", "run.py"]``, a
    Procfile or compose line: :attr:`AppFacts.other_commands`) that applies Alembic's migrations through
    the library (``command.upgrade(Config("alembic.ini"), "head")``) and then starts the server in a
    development mode (``uvicorn.run("main:app", reload=True)``), so the plan serves the app with the
    framework's production server instead of that script. The script's migration is kept: the start
    becomes ``/bin/sh -c "alembic -c alembic.ini upgrade head && exec uvicorn ..."`` (Alembic's command
    line runs the same ``command.upgrade`` with the same configuration file; an exception in the script
    stopped it before the server started, ``&&`` does the same). ``alembic.ini`` and the migrations
    folder it names are read from the work directory, which a wheel does not carry: such an app runs
    from its source tree (:func:`migrations_outside_wheel`).

Why is this bad?
    Dropping the launcher for the production server dropped its migration with it: the image served an
    app whose tables were never made (every request that touches the database fails), and nothing said so.

Example
    ``run.py``: ``command.upgrade(Config("alembic.ini"), "head")`` then ``uvicorn.run("main:app",
    host="0.0.0.0", port=8000, reload=True)`` ->
    ``/bin/sh -c "alembic -c alembic.ini upgrade head && exec uvicorn main:app --host 0.0.0.0 --port 8000"``.

Use instead
    Nothing to change in the repository; ``--start`` still gives a start command of its own.

Source: Alembic's API, ``alembic.command.upgrade(config, revision)`` is what ``alembic upgrade`` runs
(https://alembic.sqlalchemy.org/en/latest/api/commands.html).
"""

from __future__ import annotations

import ast
import shlex
from dataclasses import replace

from dockwright.project.ast_names import dotted
from dockwright.project.facts import AppFacts, Evidence, Fact
from dockwright.project.tree import ProjectTree

_SHELLS = ("sh", "bash", "/bin/sh", "/bin/bash")


def _script(command: tuple[str, ...]) -> str | None:
    """The ``X.py`` a ``python X.py`` command runs (``python3 -u X.py`` too), else None."""
    words = [w for w in command if w not in ("-u", "-B", "-O")]
    if len(words) == 2 and words[0].rsplit("/", 1)[-1].startswith("python") and words[1].endswith(".py"):
        return words[1].removeprefix("./")
    return None


def _config_file(node: ast.AST, assigned: dict[str, ast.expr]) -> str | None:
    """``Config("alembic.ini")`` (directly or through a name bound once to it): the file it reads."""
    if isinstance(node, ast.Name) and node.id in assigned:
        node = assigned[node.id]
    if not isinstance(node, ast.Call) or (dotted(node.func) or "").rsplit(".", 1)[-1] != "Config":
        return None
    first = node.args[0] if node.args else next((k.value for k in node.keywords if k.arg == "file_"), None)
    if isinstance(first, ast.Constant) and isinstance(first.value, str) and first.value.endswith(".ini"):
        return first.value
    return None


def script_migration(source: str) -> tuple[int, str, str] | None:
    """(line, configuration file, revision) of the Alembic upgrade a script runs through the library,
    else None: ``command.upgrade(cfg, "head")`` with ``command`` Alembic's (``from alembic import
    command``) and ``cfg`` its ``Config("alembic.ini")``."""
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None
    names = {
        a.asname or a.name
        for n in ast.walk(tree)
        if isinstance(n, ast.ImportFrom) and n.module == "alembic"
        for a in n.names
        if a.name == "command"
    }
    if any(
        isinstance(n, ast.Import) and any(a.name == "alembic.command" for a in n.names)
        for n in ast.walk(tree)
    ):
        names.add("alembic.command")
    assigned: dict[str, ast.expr] = {}
    for n in ast.walk(tree):
        if isinstance(n, ast.Assign) and len(n.targets) == 1 and isinstance(n.targets[0], ast.Name):
            assigned[n.targets[0].id] = n.value
    for n in ast.walk(tree):
        if not isinstance(n, ast.Call) or len(n.args) < 2:
            continue
        called = dotted(n.func) or ""
        if called.rpartition(".")[2] != "upgrade" or called.rpartition(".")[0] not in names:
            continue
        ini = _config_file(n.args[0], assigned)
        revision = n.args[1]
        if ini and isinstance(revision, ast.Constant) and isinstance(revision.value, str):
            return n.lineno, ini, revision.value
    return None


def with_launcher_migration(tree: ProjectTree, app: AppFacts, depends_on: frozenset[str]) -> AppFacts:
    """``app`` whose server start runs the migration of the launcher script the repository runs instead
    (see the module docstring); ``app`` itself when there is none, or the start is already a shell line
    or one of those scripts."""
    command = app.command.value
    if app.kind.value != "web" or not command or command[0] in _SHELLS or _script(command):
        return app
    if "alembic" not in depends_on:
        return app
    for other in app.other_commands:
        rel = _script(other)
        if rel is None or not tree.is_file(rel):
            continue
        found = script_migration(tree.read_text(rel))
        if found is None or not tree.is_file(found[1]):
            continue
        line, ini, revision = found
        migrate = f"alembic -c {shlex.quote(ini)} upgrade {shlex.quote(revision)}"
        why = (
            f"{' '.join(other)}, which the repository runs, applies the migrations ({migrate} through "
            f"Alembic's API) before it starts its development server: the migration runs first here too"
        )
        started = ("/bin/sh", "-c", f"{migrate} && exec {shlex.join(command)}")
        return replace(app, command=Fact(started, (*app.command.evidence, Evidence(rel, line, why))))
    return app


def migrations_outside_wheel(tree: ProjectTree, command: tuple[str, ...]) -> Evidence | None:
    """Evidence that the start runs ``alembic -c FILE`` on a configuration file of the tree, which the
    installed wheel does not carry (with the migrations folder it names): the app runs from its tree."""
    if len(command) < 3 or command[0] not in _SHELLS or command[1] != "-c":
        return None
    for part in command[2].split("&&"):
        words = part.split()
        if len(words) >= 3 and words[0] == "alembic" and words[1] == "-c" and tree.is_file(words[2]):
            return Evidence(
                words[2],
                None,
                f"the start runs alembic with {words[2]}, which the installed wheel does not carry (nor "
                "the migrations folder it names): the app runs from its source tree",
            )
    return None
