"""Django management commands that run a production server: read as that server's command line.

What it does: ``python manage.py pyuwsgi --http=:8000`` (django-webserver, django-pyuwsgi) runs uWSGI in
the management command's process, with the settings' ``WSGI_APPLICATION`` as its module and, when
``STATIC_URL`` is local, a ``--static-map`` of ``STATIC_ROOT``; the words after the command are uWSGI's
own options. :func:`as_server` gives the argv the readers of a start see in its place (``uwsgi
--http=:8000``): the server table's kind (a web process), its listener (``--http``) and its answer to
SIGTERM (``uwsgi_config``). The start itself stays as written. The command exists only with the
package that adds it: when the image installs none of the row's packages, :func:`server_add` adds the
project's own requirement line for one (kept in an optional extra, ``production = django-webserver[pyuwsgi]``
in setup.cfg's ``[options.extras_require]`` or pyproject's ``[project.optional-dependencies]``), else the
row's default; without it the start stops on "Unknown command: 'pyuwsgi'". The commands and what they add are
``data/manage_servers.toml``, with sources.

Why: dpaste's own image runs ``./manage.py migrate --noinput && ./manage.py pyuwsgi --http=:${PORT}``;
no reader knew ``manage.py pyuwsgi``, so its start, migrations and port were dropped for a guessed
``gunicorn`` that the project does not install.
"""

from __future__ import annotations

import posixpath
import re
import shlex
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import canonicalize_name

from dockwright.project.facts import Evidence
from dockwright.project.optional_extras import optional_extras
from dockwright.project.tree import ProjectTree, data_table
from dockwright.python_program import PYTHON_PROGRAM
from dockwright.shell_lists import commands


@dataclass(frozen=True)
class ManageServer:
    command: str
    program: str
    packages: tuple[str, ...]
    default: str
    implied: tuple[str, ...]
    source: str


@lru_cache(maxsize=1)
def manage_servers() -> dict[str, ManageServer]:
    """The table's rows by management command."""
    rows = data_table("manage_servers.toml")["command"]
    return {
        str(r["command"]): ManageServer(
            str(r["command"]),
            str(r["program"]),
            tuple(str(p) for p in r["packages"]),
            str(r["default"]),
            tuple(str(i) for i in r["implied"]),
            str(r["source"]),
        )
        for r in rows
    }


def manage_command(argv: tuple[str, ...]) -> tuple[ManageServer, tuple[str, ...]] | None:
    """The table's row and the server options when ``argv`` runs one of its management commands
    (``[python] [path/]manage.py pyuwsgi ARGS``), else None."""
    words = argv[1:] if argv and PYTHON_PROGRAM.match(posixpath.basename(argv[0])) else argv
    if len(words) < 2 or posixpath.basename(words[0]) != "manage.py":
        return None
    row = manage_servers().get(words[1])
    return (row, tuple(words[2:])) if row is not None else None


def as_server(argv: tuple[str, ...]) -> tuple[str, ...]:
    """``argv`` as the server's command line when it runs a management command of the table
    (``python manage.py pyuwsgi --http=:8000`` -> ``uwsgi --http=:8000``), else ``argv``."""
    found = manage_command(argv)
    return (found[0].program, *found[1]) if found is not None else argv


def server_add(
    tree: ProjectTree, pyproject: dict[str, Any] | None, command: tuple[str, ...], installed: frozenset[str]
) -> tuple[str, Evidence] | None:
    """The requirement to add to the lock, with its evidence, when the start (its last command) runs a
    management command of the table and ``installed`` (canonical names) has none of the packages that add
    it; None otherwise."""
    found = manage_command(written_last(command))
    if found is None:
        return None
    row = found[0]
    wanted = {canonicalize_name(p) for p in row.packages}
    if wanted & installed:
        return None
    runs = f"the start runs manage.py {row.command}, which only {' or '.join(row.packages)} adds"
    for line, file, number in _optional_lines(tree, pyproject):
        try:
            name = canonicalize_name(Requirement(line).name)
        except InvalidRequirement:
            continue
        if name in wanted:
            return line, Evidence(file, number, f"{runs} (the project's own line, in an optional extra)")
    return row.default, Evidence("manage_servers table", None, f"{runs} ({row.source})")


def written_last(command: tuple[str, ...]) -> tuple[str, ...]:
    """The last command of a start as written (``sh -c "a && exec ./manage.py pyuwsgi ..."`` ->
    ``./manage.py pyuwsgi ...``), before the readers see it as the server's."""
    if len(command) < 3 or command[1] != "-c":
        return command
    try:
        words = shlex.split(commands(command[2])[-1])
    except (ValueError, IndexError):
        return ()
    while words and (words[0] == "exec" or re.match(r"^[A-Za-z_][A-Za-z0-9_]*=", words[0])):
        words = words[1:]
    return tuple(words)


def _optional_lines(tree: ProjectTree, pyproject: dict[str, Any] | None) -> list[tuple[str, str, int | None]]:
    """(requirement line, file, line number) of the project's optional extras (project/optional_extras)."""
    return [
        (line, extra.file, tree.line_of(extra.file, re.escape(line)) or extra.line)
        for extra in optional_extras(tree, pyproject).values()
        for line in extra.lines
    ]


def own_line(
    tree: ProjectTree, pyproject: dict[str, Any] | None, package: str
) -> tuple[str, str, int | None] | None:
    """The project's own requirement line for ``package`` outside its dependencies (an optional extra,
    a ``[dependency-groups]`` group: ``uvicorn[standard]>=0.40`` in a dev group), with its file and
    line number: what the start's server is added as when the dependencies lack it (its extras and
    bounds, as the project runs it). None when the project names it nowhere."""

    def names_it(line: str) -> bool:
        try:
            requirement = Requirement(line)
        except InvalidRequirement:
            return False
        plain = not requirement.url and not requirement.marker  # installs the same on every target
        return plain and canonicalize_name(requirement.name) == wanted

    wanted = canonicalize_name(package)
    for line, file, number in _optional_lines(tree, pyproject):
        if names_it(line):
            return line, file, number
    groups = (pyproject or {}).get("dependency-groups")
    for items in groups.values() if isinstance(groups, dict) else ():
        for item in items if isinstance(items, list) else ():
            if isinstance(item, str) and names_it(item):  # a string: not an {include-group = ...} table
                return item, "pyproject.toml", tree.line_of("pyproject.toml", re.escape(item))
    return None


def runs_manage_server(command: tuple[str, ...]) -> bool:
    """Whether the start's last command, as written, is a management command of the table
    (:func:`server_add` adds its package)."""
    return manage_command(written_last(command)) is not None
