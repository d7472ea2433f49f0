"""Alembic's configuration at the project's root: the image carries it, and the plan says how to migrate.

What it does
    A project that depends on ``alembic`` and has an ``alembic.ini`` at its root whose ``[alembic]
    script_location`` names a folder of the tree (``migrations``, ``./migrations``,
    ``%(here)s/migrations``) keeps its migrations outside its package: a wheel carries neither that file
    nor that folder, and ``alembic upgrade head`` reads both from the work directory. When the app is
    installed as a wheel, the runtime copies the two into the work directory beside it
    (:func:`migration_files`, plan/migration_files.py); the migrations' ``env.py`` imports the app from
    the installed wheel. When the start does not migrate, the plan says how to (:func:`migrate_note`):
    ``docker run IMAGE alembic upgrade head`` once per deploy, before the app serves.

    A ``script_location`` written as a package resource (``tasks:migrations``) is carried by the wheel
    and found through the package: nothing is copied.

Why is this bad?
    Installed as a wheel, the image had neither ``alembic.ini`` nor the migrations: the README's
    ``alembic upgrade head`` stopped at once (``No 'script_location' key found in configuration``), so
    the app served without its tables (every request that touches the database a 500).

Example
    ``alembic.ini``: ``script_location = ./migrations``, start ``uvicorn --factory app.main:get_app`` ->
    ``COPY alembic.ini ./`` and ``COPY migrations/ migrations/`` in the runtime, and the note
    ``alembic.ini: ... docker run IMAGE alembic upgrade head``.

Use instead
    Nothing to change in the repository.

Source: Alembic's configuration, ``script_location`` and ``%(here)s``
(https://alembic.sqlalchemy.org/en/latest/tutorial.html#editing-the-ini-file).
"""

from __future__ import annotations

import configparser
import posixpath
import shlex

from dockwright.project.facts import Evidence, Fact
from dockwright.project.tree import ProjectTree
from dockwright.redact import has_literal_credentials, redact
from dockwright.shell_lists import cd_folder, commands

CONFIG = "alembic.ini"


def _script_location(tree: ProjectTree) -> str | None:
    """The folder of the tree that the root ``alembic.ini`` names as its ``script_location``, else None."""
    if not tree.is_file(CONFIG):
        return None
    parser = configparser.ConfigParser(interpolation=None, strict=False)
    try:
        parser.read_string(tree.read_text(CONFIG))
    except (configparser.Error, UnicodeDecodeError):
        return None
    value = parser.get("alembic", "script_location", fallback="").strip()
    if not value or ":" in value.replace("%(here)s", ""):
        return None  # none, or a package resource (`app:migrations`): the wheel carries it
    folder = posixpath.normpath(value.replace("%(here)s", ".").removeprefix("./"))
    return folder if not folder.startswith("..") and tree.is_dir(folder) else None


def migration_files(tree: ProjectTree, depends_on: frozenset[str]) -> Fact[tuple[str, ...]] | None:
    """The root ``alembic.ini`` and the migrations folder it names, which no wheel carries, when they are
    the project's migrations (it depends on alembic); None otherwise."""
    if "alembic" not in depends_on:
        return None
    folder = _script_location(tree)
    if folder is None:
        return None
    line = tree.line_of(CONFIG, r"^\s*script_location\s*=") or None
    why = (
        f"Alembic's {CONFIG} and the migrations it names ({folder}/), read from the work directory by "
        "`alembic upgrade head`; no wheel carries them"
    )
    return Fact((CONFIG, folder), (Evidence(CONFIG, line, why),))


def _shell(program: str) -> bool:
    return program.rsplit("/", 1)[-1] in ("sh", "bash")


def _scripts(line: str) -> list[str]:
    """The project scripts an ``sh -c`` line runs or sources, tried from the root and from every folder
    the line enters (``set -e; (cd app; . ./prestart.sh); exec ...``: detectors/app_server_base.py)."""
    parts = [part.strip("() ") for part in commands(line)]  # a subshell's `(` and `)` are no words
    entered = ["", *(f"{d.rstrip('/')}/" for d in map(cd_folder, parts) if d)]
    named = [w for part in parts for w in _words(part) if w.endswith(".sh")]
    return [posixpath.normpath(d + w.removeprefix("./")) for w in named for d in entered]


def _words(command: str) -> list[str]:
    """The words of one command, without its comment (``# ...``); split at blanks if its quotes are open."""
    try:
        return shlex.split(command, comments=True)
    except ValueError:
        return command.split()


def _started(tree: ProjectTree, command: tuple[str, ...]) -> list[str]:
    """The commands a start runs: the command's own, and those of the project shell scripts it runs
    (``bash entrypoint.sh``, ``./boot.sh gunicorn ...``, the scripts of an ``sh -c`` line), without
    their comments."""
    found = [" ".join(command)]
    if len(command) > 2 and _shell(command[0]) and command[1] == "-c":
        found, named = [command[2]], _scripts(command[2])
    elif len(command) > 1 and _shell(command[0]):
        named = [command[1]]
    else:
        named = [w for w in command if w.endswith(".sh")]
    for rel in (w.removeprefix("./") for w in named):
        if tree.is_file(rel):
            lines = tree.read_script(rel).splitlines()
            found.append("\n".join(x for x in lines if not x.lstrip().startswith("#")))
    return [part for text in found for part in commands(text)]


def _migrates(commands: list[str]) -> bool:
    """One of the commands runs Alembic (``alembic upgrade head``, ``python -m alembic ...``): a word of
    it names it, a comment does not."""
    return any("alembic" in word for command in commands for word in _words(command))


def migrate_note(tree: ProjectTree, depends_on: frozenset[str], command: tuple[str, ...]) -> str | None:
    """How to apply the migrations when the project keeps them at its root and the start does not (the
    command, or the script it runs: ``alembic upgrade head`` before ``exec python -m bot``)."""
    if _migrates(_started(tree, command)) or migration_files(tree, depends_on) is None:
        return None
    return (
        f"{CONFIG}: the image carries Alembic's configuration and migrations, and the start does not "
        "apply them: run `docker run IMAGE alembic upgrade head` once per deploy, before the app serves"
    )


def credential_note(tree: ProjectTree, depends_on: frozenset[str]) -> str | None:
    """A warning when the root ``alembic.ini`` the image copies (with the source tree, or beside the
    wheel) holds a database URL with a literal password."""
    if "alembic" not in depends_on or not tree.is_file(CONFIG):
        return None
    for number, line in tree.numbered_lines(CONFIG):
        if line.lstrip().startswith(("#", ";")) or not has_literal_credentials(line):
            continue
        if "driver://" in line:  # the placeholder `alembic init` writes: driver://user:pass@localhost/dbname
            continue
        return (
            f"{CONFIG}:{number} ({redact(line.strip())[:80]}) holds a database password, and the image "
            f"copies {CONFIG}: read the URL from the environment in the migrations' env.py "
            "(config.set_main_option) and leave the password out of the file"
        )
    return None
