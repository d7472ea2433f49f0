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

    Flask-Migrate's API is read the same way: ``from flask_migrate import upgrade`` then ``upgrade()``
    (in the app's context) is what ``flask db upgrade`` runs, on the migrations folder (``migrations``
    unless ``directory=`` names another) and the revision (``head`` unless given): the start becomes
    ``/bin/sh -c "flask --app 'pkg:create_app()' db upgrade && exec gunicorn ... 'pkg:create_app()'"``,
    the app the start serves given to Flask's command line.

Use instead
    Nothing to change in the repository; ``--start`` still gives a start command of its own.

Source: Alembic's API, ``alembic.command.upgrade(config, revision)`` is what ``alembic upgrade`` runs
(https://alembic.sqlalchemy.org/en/latest/api/commands.html); Flask-Migrate's ``upgrade(directory=None,
revision='head')`` is its ``flask db upgrade`` (https://flask-migrate.readthedocs.io/en/latest/#api-reference).
"""

from __future__ import annotations

import ast
import re
import shlex
from dataclasses import replace

from dockwright.project.ast_names import bound_names, dotted
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


def flask_migrate_upgrade(source: str) -> tuple[int, str, str] | None:
    """(line, migrations folder, revision) of Flask-Migrate's ``upgrade()`` a script calls (``from
    flask_migrate import upgrade``, or ``flask_migrate.upgrade``), else None; the folder and revision
    as literals (``directory=``/``revision=`` or the first two arguments), by default ``migrations`` and
    ``head``."""
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None
    names = bound_names(tree, "flask_migrate.upgrade")
    for n in sorted((n for n in ast.walk(tree) if isinstance(n, ast.Call)), key=lambda n: n.lineno):
        if (dotted(n.func) or "") not in names:
            continue
        given = dict(zip(("directory", "revision"), n.args, strict=False))
        given |= {k.arg: k.value for k in n.keywords if k.arg in ("directory", "revision")}
        values = {"directory": "migrations", "revision": "head"}
        for key, node in given.items():
            if not (isinstance(node, ast.Constant) and isinstance(node.value, str)):
                return None  # a folder or revision the script computes: not said in a command line
            values[key] = node.value
        return n.lineno, values["directory"], values["revision"]
    return None


def script_migration(source: str) -> tuple[int, str, str] | None:
    """(line, configuration file, revision) of the Alembic upgrade a script runs through the library,
    else None: ``command.upgrade(cfg, "head")`` with ``command`` Alembic's (``from alembic import
    command``) and ``cfg`` its ``Config("alembic.ini")``."""
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None
    names = bound_names(tree, "alembic.command.upgrade")
    assigned: dict[str, ast.expr] = {}
    for n in ast.walk(tree):
        if isinstance(n, ast.Assign) and len(n.targets) == 1 and isinstance(n.targets[0], ast.Name):
            assigned[n.targets[0].id] = n.value
    for n in sorted((n for n in ast.walk(tree) if isinstance(n, ast.Call)), key=lambda n: n.lineno):
        called = dotted(n.func) or ""
        if called in _RUNS and n.args:
            ran = alembic_upgrade(_words(n.args[0], assigned))
            if ran is not None:
                return n.lineno, *ran
            continue
        if len(n.args) < 2 or called not in names:
            continue
        ini = _config_file(n.args[0], assigned)
        revision = n.args[1]
        if ini and isinstance(revision, ast.Constant) and isinstance(revision.value, str):
            return n.lineno, ini, revision.value
    return None


# the calls that run a program: subprocess's (a list or, with shell=True, a string) and os.system
_RUNS = frozenset(
    f"{m}.{f}"
    for m, names in (
        ("subprocess", ("run", "call", "check_call", "check_output", "Popen")),
        ("os", ("system",)),
    )
    for f in names
)


def _words(node: ast.expr, assigned: dict[str, ast.expr]) -> list[str]:
    """The words of a literal command: a list of strings, or one string split as the shell would."""
    if isinstance(node, ast.Name) and node.id in assigned:
        node = assigned[node.id]
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        try:
            return shlex.split(node.value)
        except ValueError:
            return []
    if isinstance(node, (ast.List, ast.Tuple)) and all(
        isinstance(e, ast.Constant) and isinstance(e.value, str) for e in node.elts
    ):
        return [str(e.value) for e in node.elts if isinstance(e, ast.Constant)]
    return []


def alembic_upgrade(words: list[str]) -> tuple[str, str] | None:
    """(configuration file, revision) of an ``alembic [-c F] upgrade REV`` command line (also
    ``python -m alembic``); Alembic reads ``alembic.ini`` without ``-c``."""
    if (
        len(words) >= 3
        and words[0].rsplit("/", 1)[-1].startswith("python")
        and words[1:3] == ["-m", "alembic"]
    ):
        words = ["alembic", *words[3:]]
    if not words or words[0] != "alembic" or "upgrade" not in words:
        return None
    at = words.index("upgrade")
    if at + 1 >= len(words) or words[at + 1].startswith("-"):
        return None
    ini = "alembic.ini"
    for i, word in enumerate(words[:at]):
        if word in ("-c", "--config") and i + 1 < at:
            ini = words[i + 1]
        elif word.startswith("--config="):
            ini = word.split("=", 1)[1]
    return ini, words[at + 1]


# launchers a repository keeps at its root without naming them anywhere (``python run.py`` in its README)
LAUNCHERS = ("run.py", "manage.py", "start.py", "launch.py", "serve.py", "server.py", "main.py", "app.py")
_SERVES = frozenset({"run", "run_app", "serve", "run_simple"})
_TARGET = re.compile(r"^([A-Za-z_][\w.]*):[A-Za-z_]")
# options whose value may look like a `module:attr` target without being the app: gunicorn's config
# module (`-c python:pkg.conf`) and worker class, a bind address
_VALUED = frozenset({"-c", "--config", "-k", "--worker-class", "-b", "--bind"})
_NOT_APP = ("python:", "file:")  # gunicorn's config prefixes (docs.gunicorn.org settings.html#config)


def _targets(words: tuple[str, ...]) -> list[str]:
    """The ``module:app`` words of a command that name the app it serves, in order: not an option's
    value (``-c python:pkg.conf``, ``--config=python:pkg.conf``) nor a config file's prefix."""
    return [
        w
        for i, w in enumerate(words)
        if _TARGET.match(w) and not w.startswith(_NOT_APP) and (i == 0 or words[i - 1] not in _VALUED)
    ]


def _serves_after(project: ProjectTree, source: str, line: int, command: tuple[str, ...], rel: str) -> bool:
    """The launcher starts a server after its migration (``uvicorn.run(...)``, ``app.run()``) and that
    server is the start's app: the script is the app's module, imports it, or names ``module:app``."""
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return False
    if not any(
        isinstance(n, ast.Call)
        and n.lineno > line
        and (dotted(n.func) or "").rpartition(".")[2] in _SERVES
        and not (dotted(n.func) or "").startswith("subprocess.")
        for n in ast.walk(tree)
    ):
        return False
    modules = [m.group(1) for w in _targets(command) if (m := _TARGET.match(w))]
    # `uvicorn.run("main:app")` on a root main.py that imports the start's module serves it too
    named = [
        m.group(1)
        for n in ast.walk(tree)
        if isinstance(n, ast.Constant) and isinstance(n.value, str) and (m := _TARGET.match(n.value))
    ]
    for module in modules:
        if rel.removesuffix(".py").replace("/", ".").endswith(module) or module in source:
            return True
        for other in named:
            path = other.replace(".", "/") + ".py"
            if project.is_file(path) and module in project.read_text(path):
                return True
    return False


def _launchers(tree: ProjectTree, app: AppFacts) -> list[tuple[tuple[str, ...], str, bool]]:
    """(command, script, named by the repository) for the launcher scripts to read: the ``python X.py``
    commands the repository runs, then the conventional launchers at the root it does not name."""
    found: list[tuple[tuple[str, ...], str, bool]] = []
    for other in app.other_commands:
        rel = _script(other)
        if rel is not None and tree.is_file(rel):
            found.append((other, rel, True))
    named = {rel for _, rel, _ in found}
    found += [(("python", rel), rel, False) for rel in LAUNCHERS if rel not in named and tree.is_file(rel)]
    return found


def with_launcher_migration(
    tree: ProjectTree, app: AppFacts, depends_on: frozenset[str], notes: list[str] | None = None
) -> AppFacts:
    """``app`` whose server start runs the migration of the launcher script the repository runs instead
    (see the module docstring); ``app`` itself when there is none, or the start is one of those scripts.
    A start that is already a shell line (a Procfile's ``$PORT`` line) is left as it is, and ``notes``
    gets the migration it does not run."""
    command = app.command.value
    if app.kind.value != "web" or not command or _script(command):
        return app
    if not {"alembic", "flask-migrate"} & depends_on:
        return app
    shell = command[0] in _SHELLS
    words = _shell_words(command) if shell else command
    for other, rel, named in _launchers(tree, app):
        source = tree.read_text(rel)
        found = _migration(tree, source, words)
        if found is None:
            continue
        line, migrate, library = found
        if _migrates_at_import(source, line) and _serves_module(words, rel):
            return (
                app  # the start imports the launcher (`gunicorn run:app`), which migrates as it is imported
            )
        if not named and not _serves_after(tree, source, line, words, rel):
            continue  # a lone script: only one that migrates and then serves the start's app
        if shell:
            if "alembic" not in " ".join(command) and notes is not None:
                notes.append(
                    f"{rel}:{line}: {' '.join(other)} applies the migrations ({migrate}) before it serves, "
                    f"and the planned start, a shell line, does not: run it before the app starts "
                    f"(docker run IMAGE {migrate})"
                )
            return app
        who = "which the repository runs" if named else "the repository's launcher"
        why = (
            f"{' '.join(other)}, {who}, applies the migrations ({migrate} through {library}) before it "
            f"starts its development server: the migration runs first here too"
        )
        started = ("/bin/sh", "-c", f"{migrate} && exec {shlex.join(command)}")
        return replace(app, command=Fact(started, (*app.command.evidence, Evidence(rel, line, why))))
    return app


def _migrates_at_import(source: str, line: int) -> bool:
    """The call at ``line`` runs when the module is imported: in a module-level statement that is no
    function, class or ``if __name__ == "__main__"`` block (``with app.app_context(): upgrade()``)."""
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return False
    for stmt in tree.body:
        if not stmt.lineno <= line <= (stmt.end_lineno or stmt.lineno):
            continue
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            return False
        return not (isinstance(stmt, ast.If) and "__main__" in ast.dump(stmt.test))
    return False


def _serves_module(words: tuple[str, ...], rel: str) -> bool:
    """The start serves an app of the module at ``rel`` (``run:app`` for run.py)."""
    module = rel.removesuffix(".py").replace("/", ".")
    return any(m.group(1) == module for w in _targets(words) if (m := _TARGET.match(w)))


def _migration(tree: ProjectTree, source: str, words: tuple[str, ...]) -> tuple[int, str, str] | None:
    """(line, the command line that runs the same migration, the library) of the migration a launcher
    runs through Alembic's or Flask-Migrate's API; Flask's command line is given the app the start
    serves (its ``module:app`` word, else none: ``FLASK_APP`` names it)."""
    found = script_migration(source)
    if found is not None and tree.is_file(found[1]):
        line, ini, revision = found
        return line, f"alembic -c {shlex.quote(ini)} upgrade {shlex.quote(revision)}", "Alembic"
    flask = flask_migrate_upgrade(source)
    if flask is None or not tree.is_dir(flask[1]):
        return None
    line, folder, revision = flask
    target = next(reversed(_targets(words)), None)  # the app: after the options
    migrate = shlex.join(
        [
            "flask",
            *(("--app", target) if target else ()),
            "db",
            "upgrade",
            *(("--directory", folder) if folder != "migrations" else ()),
            *((revision,) if revision != "head" else ()),
        ]
    )
    return line, migrate, "Flask-Migrate"


def _shell_words(command: tuple[str, ...]) -> tuple[str, ...]:
    """The words of a ``sh -c LINE`` start's line (best effort: an unsplittable line gives none)."""
    try:
        return tuple(shlex.split(command[2])) if len(command) > 2 and command[1] == "-c" else ()
    except ValueError:
        return ()


def migrations_outside_wheel(tree: ProjectTree, command: tuple[str, ...]) -> Evidence | None:
    """Evidence that the start runs ``alembic -c FILE`` on a configuration file of the tree, which the
    installed wheel does not carry (with the migrations folder it names): the app runs from its tree."""
    if len(command) < 3 or command[0] not in _SHELLS or command[1] != "-c":
        return None
    for part in command[2].split("&&"):
        upgrade = alembic_upgrade(part.split())
        if upgrade is not None and tree.is_file(upgrade[0]):
            return Evidence(
                upgrade[0],
                None,
                f"the start runs alembic with {upgrade[0]}, which the installed wheel does not carry (nor "
                "the migrations folder it names): the app runs from its source tree",
            )
        folder = _flask_db_upgrade(part)
        if folder is not None and tree.is_dir(folder):
            return Evidence(
                folder,
                None,
                f"the start runs `flask db upgrade` on {folder}/, which the installed wheel does not carry: "
                "the app runs from its source tree",
            )
    return None


def _flask_db_upgrade(line: str) -> str | None:
    """The migrations folder of a ``flask [--app X] db upgrade [--directory D]`` command line."""
    try:
        words = shlex.split(line)
    except ValueError:
        return None
    if not words or words[0] != "flask" or "db" not in words or "upgrade" not in words[words.index("db") :]:
        return None
    for index, word in enumerate(words):  # Flask-Migrate's `-d`/`--directory` (also `--directory=D`)
        if word.startswith("--directory="):
            return word.split("=", 1)[1]
        if word in ("-d", "--directory") and index + 1 < len(words):
            return words[index + 1]
    return "migrations"
