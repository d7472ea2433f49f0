"""The server table (``data/servers.toml``): which production server serves a WSGI/ASGI app, the
distribution that installs it, and its command line; the programs a start command may name.

Rule: the chosen server must be installed. A server the project already depends on is preferred
(in table order); otherwise the interface's default (gunicorn for WSGI, uvicorn for ASGI) is added to
the lock, and the app facts say so (``AppFacts.adds``) so the plan can warn.
"""

from __future__ import annotations

import posixpath
import re
import shlex
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, TypeVar

from dockwright.project.manage_servers import as_server
from dockwright.project.tree import data_table
from dockwright.shell_lists import commands


@dataclass(frozen=True)
class Server:
    name: str
    package: str
    interfaces: tuple[str, ...]
    command: tuple[str, ...]
    source: str
    factory: str = ""  # "call", a flag ("--factory"), or "" (no factory support)
    default: str = ""  # interface it is the default for, or ""
    chdir: str = ""  # flag naming the directory the app's modules are imported from
    moves_cwd: bool = False  # that flag also changes the working directory (gunicorn's --chdir)
    listen: tuple[str, ...] = ()  # options choosing where it listens: the plan's own
    loads: tuple[str, ...] = ()  # options naming a module it imports (a worker class)
    builtin: tuple[str, ...] = ()  # values of those options the server itself provides
    dropped: tuple[str, ...] = ()  # values of those options its releases since `dropped_in` lack
    front_ends: tuple[str, ...] = ()  # commands running it with its options (`fastapi run FILE`)
    front_end_only: tuple[str, ...] = ()  # their options the server has not
    dropped_in: str = ""
    extras: tuple[str, ...] = ()  # "VALUE=EXTRA": a value of those options the package's extra serves
    development: tuple[str, ...] = ()  # switches only a developer's run wants (`--reload`)
    development_options: tuple[str, ...] = ()  # such options that take a value (`--reload-dir DIR`)

    def argv(self, target: str, port: int, interface: str, factory: bool, chdir: str = "") -> tuple[str, ...]:
        out: list[str] = [self.command[0], self.chdir, chdir] if chdir and self.chdir else [self.command[0]]
        for part in self.command[1:]:
            if part == "{target}":
                if factory and self.factory == "call":
                    out.append(target + "()")
                elif factory and self.factory:
                    out += [self.factory, target]
                else:
                    out.append(target)
            else:
                out.append(part.format(port=port, interface=interface))
        return tuple(out)


@dataclass(frozen=True)
class Runner:
    """A framework started by its own program (Streamlit, Gradio, Panel, Celery, RQ, arq ...)."""

    interface: str
    kind: str  # web | worker
    package: str
    command: tuple[str, ...]
    source: str
    env: tuple[str, ...] = ()
    health: str = ""
    why: str = ""
    # the program's option naming the folder the target's modules import from, put at `{chdir}`
    chdir: str = ""
    moves_cwd: bool = False  # that option also changes the working directory (celery's --workdir)

    def argv(
        self,
        *,
        target: str = "",
        args: tuple[str, ...] = (),
        port: int = 0,
        chdir: str = "",
        source: str = "",
    ) -> tuple[str, ...]:
        out: list[str] = []
        for part in self.command:
            if part == "{chdir}":  # where the program takes its folder option (nothing without one)
                out += [self.chdir, chdir] if chdir and self.chdir else []
            elif part == "{script}":
                out += shlex.split(target)
            elif part == "{args}":
                out += args
            else:
                out.append(part.format(target=target, port=port, source=source))
        return tuple(out)

    def environment(self, port: int) -> list[tuple[str, str, str]]:
        """(name, value, why) the runner's table row sets in the image."""
        return [
            (name, value.format(port=port), f"{self.why} ({self.source})")
            for name, _, value in (item.partition("=") for item in self.env)
        ]


@dataclass(frozen=True)
class Bind:
    program: str
    flags: tuple[str, ...]
    source: str
    env: tuple[str, ...] = ()
    args: tuple[str, ...] = ()  # options added after the program, for a server that reads no variable
    attached: tuple[str, ...] = ()  # short ones of ``flags`` also read with their value joined (``-b:5000``)


@dataclass(frozen=True)
class ServerTable:
    servers: tuple[Server, ...]
    programs: dict[str, str]  # executable -> distribution
    binds: tuple[Bind, ...] = ()
    runners: tuple[Runner, ...] = ()
    # web servers only the project's own command line starts (the plan never chooses them): uwsgi
    own_only: frozenset[str] = frozenset()


Row = TypeVar("Row", Server, Bind, Runner)


def _rows(record: type[Row], rows: list[dict[str, Any]]) -> tuple[Row, ...]:
    """A TOML array of tables as frozen records: lists become tuples; a key a row leaves out takes
    the record's default."""
    out: list[Row] = []
    for row in rows:
        fields: dict[str, Any] = {k: tuple(v) if isinstance(v, list) else v for k, v in row.items()}
        out.append(record(**fields))
    return tuple(out)


@lru_cache(maxsize=1)
def table() -> ServerTable:
    data = data_table("servers.toml")
    servers = _rows(Server, data["server"])
    binds = _rows(Bind, data["bind"])
    runners = _rows(Runner, data["runner"])
    own_only = frozenset(str(p) for p in data.get("own_only", {}).get("programs", ()))
    return ServerTable(
        servers, {str(k): str(v) for k, v in data["programs"].items()}, binds, runners, own_only
    )


def binds_every_interface(program: str) -> bool:
    """Whether ``program`` is a web server that listens on every interface unless told (``panel``,
    ``bokeh``: data/servers.toml ``all_interfaces``)."""
    listed = data_table("servers.toml").get("all_interfaces", {}).get("programs", ())
    return program.rsplit("/", 1)[-1] in listed


def runner(interface: str) -> Runner | None:
    """The table's runner for a framework interface (``streamlit``, ``gradio``, ``rq`` ...), else None."""
    return next((r for r in table().runners if r.interface == interface), None)


def choose(
    interface: str, dependencies: frozenset[str], factory: bool, chdir: bool = False
) -> tuple[Server, bool]:
    """The server for ``interface``: one the project depends on, else the default; True = must be added.

    ``factory``/``chdir``: only servers that can call a factory / import from another directory."""
    fitting = [
        s
        for s in table().servers
        if interface in s.interfaces and (s.factory or not factory) and (s.chdir or not chdir)
    ]
    for server in fitting:
        if server.package in dependencies:
            return server, False
    default = next(s for s in table().servers if s.default == interface)
    return default, default.package not in dependencies


def runner_kind(package: str | None) -> str | None:
    """``web`` or ``worker`` when a framework runner of the table is installed by ``package``."""
    return next((r.kind for r in table().runners if r.package == package), None)


def runner_programs(kind: str) -> frozenset[str]:
    """The programs the table's runners of one kind start (``streamlit``, ``panel`` ...; not ``python``)."""
    return frozenset(r.command[0] for r in table().runners if r.kind == kind and r.command[0] != "python")


def folder_options(program: str) -> tuple[str, ...]:
    """The options naming the folder a runner's modules import from (dramatiq's ``--path``, celery's
    ``--workdir``) of the table's runners that start ``program``."""
    name = program.rsplit("/", 1)[-1]
    return tuple(r.chdir for r in table().runners if r.chdir and r.command[0] == name)


def cwd_options(program: str) -> tuple[str, ...]:
    """The options of the table's servers and runners started by ``program`` that change the process's
    working directory (gunicorn's ``--chdir``, celery's ``--workdir``)."""
    name = program.rsplit("/", 1)[-1]
    rows: list[Server | Runner] = [*table().servers, *table().runners]
    return tuple(dict.fromkeys(r.chdir for r in rows if r.moves_cwd and r.chdir and r.command[0] == name))


def without_development(argv: tuple[str, ...]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(``argv`` without its server's development options, those options as written): ``gunicorn
    --reload -b :8050 app:server`` -> ``gunicorn -b :8050 app:server``, ``("--reload",)``; a program no
    server row starts is returned as it is."""
    name = argv[0].rsplit("/", 1)[-1] if argv else ""
    server = next((s for s in table().servers if s.command[0] == name), None)
    if server is None:
        return argv, ()
    kept: list[str] = [argv[0]]
    dropped: list[str] = []
    index = 1
    while index < len(argv):
        word = argv[index]
        flag, eq, _ = word.partition("=")
        index += 1
        if word in server.development:
            dropped.append(word)
        elif flag in server.development_options:
            taken = () if eq or index >= len(argv) else (argv[index],)
            index += len(taken)
            dropped.append(" ".join((word, *taken)))
        else:
            kept.append(word)
    return tuple(kept), tuple(dropped)


def package_of(program: str) -> str | None:
    """The distribution that installs ``program`` (a server or tool of the table), else None."""
    return table().programs.get(program.rsplit("/", 1)[-1])


def installed_by(package: str) -> frozenset[str]:
    """``package`` and the distributions that install its program under the same name
    (``servers.toml`` ``[installed_also_by]``: faust-streaming and robinhood's faust)."""
    also = data_table("servers.toml").get("installed_also_by", {}).get(package, ())
    return frozenset((package, *map(str, also)))


def attached_option(program: str, word: str) -> str | None:
    """The short option of ``program``'s ``[[bind]]`` rows that ``word`` gives with its value joined to it
    (gunicorn's ``-b0.0.0.0:5000``: ``-b``), the rows' ``attached``; None for any other word."""
    name = program.rsplit("/", 1)[-1]
    for bind in table().binds:
        if bind.program == name:
            found = next((f for f in bind.attached if word.startswith(f) and len(word) > len(f)), None)
            if found is not None:
                return found
    return None


def bound_words(program: str, words: tuple[str, ...]) -> tuple[str, ...]:
    """``words`` (a server's own options) with each attached short option split from its value
    (``-b0.0.0.0:5000`` -> ``-b``, ``0.0.0.0:5000``), as the server reads them."""
    out: list[str] = []
    for word in words:
        flag = attached_option(program, word)
        out += [word] if flag is None else [flag, word[len(flag) :]]
    return tuple(out)


def _unsettled(argv: tuple[str, ...]) -> tuple[int, str, list[Bind]]:
    """(where the program's own options start, the program, the ``[[bind]]`` rows of that program whose
    options its command line does not give, joined to their value or not): what :func:`bind_env` and
    :func:`bind_args` fill in."""
    at, program = server_call(argv)
    own = bound_words(program, argv[at:])
    words = set(own) | {a.split("=", 1)[0] for a in own}
    return at, program, [b for b in table().binds if b.program == program and not words & set(b.flags)]


def bind_env(argv: tuple[str, ...], port: int) -> list[tuple[str, str, str]]:
    """(name, value, why) that make a server the repository starts listen on all interfaces and the
    planned port when its own command line does not say (gunicorn and uvicorn default to 127.0.0.1)."""
    if not argv:
        return []
    _, program, binds = _unsettled(argv)
    out: list[tuple[str, str, str]] = []
    for bind in binds:
        for item in bind.env:
            name, _, value = item.partition("=")
            why = f"{program} binds 127.0.0.1 or its default port unless told ({bind.source})"
            out.append((name, value.format(port=port), why))
    return out


@dataclass(frozen=True)
class BoundCommand:
    """A server's command line with the options that make it listen on all interfaces added."""

    argv: tuple[str, ...]
    added: tuple[str, ...]
    program: str
    why: str


def bind_args(argv: tuple[str, ...], port: int) -> BoundCommand | None:
    """``argv`` (a server's own command line, ``python -m SERVER`` too) with the options that make it
    listen on all interfaces and the planned port, for a server that reads no variable for them
    (hypercorn, daphne: 127.0.0.1 by default); None when its command line says where, or for another
    program."""
    if not argv:
        return None
    at, program, binds = _unsettled(argv)
    added: tuple[str, ...] = ()
    sources: list[str] = []
    for bind in binds:
        if bind.args:
            added += tuple(a.format(port=port) for a in bind.args)
            sources.append(bind.source)
    if not added:
        return None
    told = ", ".join(dict.fromkeys(sources))
    why = f"{program} binds 127.0.0.1 unless told ({told}): {' '.join(added)} added"
    return BoundCommand((*argv[:at], *added, *argv[at:]), added, program, why)


_PYTHON = re.compile(r"python(?:\d+(?:\.\d+)*)?")
_PYTHON_VALUE_OPTIONS = frozenset({"-W", "-X"})  # interpreter options that take the next word


def server_call(argv: tuple[str, ...]) -> tuple[int, str]:
    """(where the program's own options start, the program) of a command line: ``gunicorn ARGS`` ->
    (1, gunicorn); ``python [-u ...] -m uvicorn ARGS`` -> (3+, uvicorn), the module a Python runs as its
    main program (https://docs.python.org/3/using/cmdline.html#cmdoption-m), so ``python -m SERVER``
    gets the bind its bare form gets."""
    program = argv[0].rsplit("/", 1)[-1]
    if not _PYTHON.fullmatch(program):
        return 1, program
    i = 1
    while i < len(argv) and argv[i].startswith("-") and argv[i] not in ("-m", "-c", "-"):
        i += 2 if argv[i] in _PYTHON_VALUE_OPTIONS else 1
    if i + 1 < len(argv) and argv[i] == "-m":
        return i + 2, argv[i + 1]
    return 1, program


def last_command(argv: tuple[str, ...]) -> tuple[str, ...]:
    """The program a command ends by running: ``sh -c "a && exec b ..."`` -> b's argv; a wrapping entry
    script's ``sh entrypoint.sh b ...`` (it ends by ``exec "$@"``) -> b's argv; else argv. A management
    command that runs a server (``manage.py pyuwsgi ARGS``) reads as that server's (``uwsgi ARGS``:
    project/manage_servers.py)."""
    return as_server(_after_launcher(launched(argv)))


def launched(argv: tuple[str, ...]) -> tuple[str, ...]:
    """:func:`last_command` with the APM agent's launcher it starts with kept (``newrelic-admin
    run-program gunicorn ...``: project/agent_launchers.py)."""
    if len(argv) > 2 and argv[0].rsplit("/", 1)[-1] in ("sh", "bash") and argv[1].endswith(".sh"):
        return launched(argv[2:])
    return _after_wait(env_run(last_words(argv))[1])


def last_words(argv: tuple[str, ...]) -> tuple[str, ...]:
    """The words of the last command of a ``sh -c`` line, from its program on: ``sh -c "a && A=1 exec
    env -C x b"`` -> ``env -C x b`` (the leading ``exec`` and variable assignments left out); any other
    argv as it is; () when the line cannot be split."""
    if not (len(argv) >= 3 and argv[0].rsplit("/", 1)[-1] in ("sh", "bash") and argv[1] == "-c"):
        return argv
    last = commands(argv[2])[-1]  # outside quotes: `--name 'a;b'` is one word
    try:
        words = shlex.split(last)
    except ValueError:
        return ()
    # `A=1 exec prog ...` / `exec prog`: the program is the first word that is neither
    while words and (words[0] == "exec" or re.match(r"^[A-Za-z_][A-Za-z0-9_]*=", words[0])):
        words = words[1:]
    return tuple(words)


def _after_launcher(argv: tuple[str, ...]) -> tuple[str, ...]:
    """The command an APM agent's launcher runs (``ddtrace-run gunicorn ...`` -> gunicorn's argv)."""
    from dockwright.project.agent_launchers import without_launcher

    return without_launcher(argv)


def _after_wait(argv: tuple[str, ...]) -> tuple[str, ...]:
    """The command a wait wrapper runs (``./wait-for-it.sh db:5432 -- gunicorn ...`` -> gunicorn's argv)."""
    from dockwright.project.wait_wrappers import split_wait

    found = split_wait(argv)
    return found[1] if found else argv


_ENV_FLAGS = frozenset({"-i", "--ignore-environment", "-0", "--null", "-v", "--debug"})


def env_run(argv: tuple[str, ...]) -> tuple[str, tuple[str, ...]]:
    """``env [-C DIR] [-u NAME] [NAME=VALUE]... prog ...`` -> (DIR, prog's argv): coreutils' env runs the
    program with those settings, in DIR for ``-C``/``--chdir``
    (https://www.gnu.org/software/coreutils/manual/html_node/env-invocation.html); any other argv:
    ("", argv). An option it does not know, or no program after it, leaves argv as it is."""
    if not argv or argv[0].rsplit("/", 1)[-1] != "env":
        return "", argv
    folder, i = "", 1
    while i < len(argv):
        word = argv[i]
        if word in ("-C", "--chdir", "-u", "--unset") and i + 1 < len(argv):
            folder = argv[i + 1] if word in ("-C", "--chdir") else folder
            i += 2
        elif word.startswith(("--chdir=", "--unset=")) or (word.startswith("-C") and len(word) > 2):
            folder = word.split("=", 1)[1] if word.startswith("--chdir=") else folder
            folder = word[2:] if word.startswith("-C") else folder
            i += 1
        elif word in _ENV_FLAGS or ("=" in word and not word.startswith("-")):
            i += 1
        elif word == "--":
            i += 1
            break
        else:
            break
    if i >= len(argv) or argv[i].startswith("-"):
        return "", argv
    return folder, argv[i:]


def options_inserted(
    command: tuple[str, ...], options: tuple[str, ...], program: str
) -> tuple[str, ...] | None:
    """``command`` with ``options`` right after the ``program`` it runs (the last word naming it, by its
    basename), or inside a ``sh -c`` line after the last ``program`` word there; None when it runs none.
    The one way options the start needs reach it: those carried from the repository's own image
    (own_server_options) and those its Socket.IO server needs (socketio_server)."""
    for index in range(len(command) - 1, -1, -1):
        if posixpath.basename(command[index]) == program:
            return (*command[: index + 1], *options, *command[index + 1 :])
    if len(command) == 3 and command[1] == "-c":
        line = command[2]
        found = list(re.finditer(rf"(?<![\w.-])(?:\S*/)?{re.escape(program)}(?=\s)", line))
        if found:
            at = found[-1].end()
            return (*command[:2], line[:at] + " " + shlex.join(options) + line[at:])
    return None
