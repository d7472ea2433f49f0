"""systemd units: a ``*.service`` file of the repository whose ``ExecStart=`` runs the app's server.

## What it detects
A ``*.service`` unit in the project (at the root or up to four folders down, so a mirror of the host's
``etc/systemd/system/`` under a folder of deploy files counts; not under tests,
examples or docs) whose ``[Service]`` ``ExecStart=`` runs a server of the servers table (``gunicorn``,
``uvicorn``, ``daphne`` ...; through ``python -m`` too) or ``python -m`` / ``python script.py`` on a
module or script the project has. The program's install path (``/home/app/venv/bin/gunicorn``,
``/usr/bin/python3``), systemd's prefixes (``-``, ``@``, ``+``, ``!``) and the prefixes of the command
prefixes table (``data/command_prefixes.toml``: a tool manager's or runner's, ``mise exec --``,
``pipenv run``, ``uv run`` ...; a host's scheduling, buffering or time limit, ``nice -n 19``,
``ionice``, ``chrt``, ``taskset``, ``stdbuf -oL``, ``timeout``, named in a note) are left out: the
image runs the program from its environment, under the container's limits.
``WorkingDirectory=`` is matched to a folder of the project by its
path's tail (``/srv/shop/src`` -> ``src``); ``Environment=`` assignments are the process's environment,
but for a secret (a secret-looking name with a real value, a URL holding a password: ``secret_values``),
which the image never carries: the plan names it for ``docker run -e``.
https://www.freedesktop.org/software/systemd/man/latest/systemd.service.html#ExecStart=

## Evidence
The unit's ``ExecStart=`` line (``deploy/shop.service:9 (ExecStart=/srv/shop/venv/bin/gunicorn ...)``);
``Environment=`` lines as the evidence of the variables they set.

## Example
```ini
[Service]
User=shop
WorkingDirectory=/srv/shop/src
Environment="DJANGO_SETTINGS_MODULE=shop.settings.prod"
ExecStart=/srv/shop/venv/bin/gunicorn --workers 3 --bind unix:/run/shop.sock shop.wsgi:application
```

## Start command
The unit's command (``gunicorn --workers 3 --chdir src shop.wsgi:application`` above): a bind to a
Unix socket (``--bind unix:...``, uvicorn's ``--uds``), which a reverse proxy on the same host reads,
is dropped and a loopback host (``127.0.0.1:8000``, ``--host 127.0.0.1``) becomes ``0.0.0.0``, so the
server listens on the container's port; gunicorn's options naming host paths or a host user
(``--access-logfile /var/log/...``, ``--pid``, ``--user``, ``--daemon``) are dropped with a note. The
working directory is the project folder a tail of ``WorkingDirectory=`` names and from which the
command's module resolves (a checkout at ``/srv/shop`` holding a ``shop/`` package is the root); one
below the root becomes gunicorn's ``--chdir`` / uvicorn's ``--app-dir``. A server is a web process; a
``python`` command or a task queue of the runners table (``celery ... beat``, ``rq worker``) a worker.
It ranks after the container and deploy hints (Procfile, compose, deploy files, entry scripts: they
describe a container or a platform) and before a PasteDeploy file, the task
runners and the framework scans: the unit is how the project runs on its own servers.
``EnvironmentFile=`` is named in a note (its values are the host's). A service started by socket
activation (a ``.socket`` unit of the same name beside it, or one naming it in ``Service=``) listens
where the socket's ``ListenStream=`` says: a TCP port there is the app's port (the command names none:
systemd hands the server its socket); a Unix socket's path says nothing.
"""

from __future__ import annotations

import posixpath
import re
import shlex
from collections.abc import Iterator

from dockwright.errors import ProjectError
from dockwright.lazy_re import lazy
from dockwright.project.command_prefixes import prefixes_note, without_prefixes
from dockwright.project.detectors.base import Candidate, Context, port_of_command
from dockwright.project.detectors.servers import package_of, runner_programs, table
from dockwright.project.facts import AppKind, Evidence
from dockwright.python_program import PYTHON_PROGRAM

_SKIP = frozenset({"tests", "test", "examples", "example", "docs", "doc", "node_modules", "site-packages"})
_LOOPBACK = lazy(r"^(?:127\.0\.0\.1|localhost|\[::1\])(:\d+)?$")  # no port: gunicorn's 8000
_MAX_DEPTH = 4  # support/etc/systemd/system/app.service: the host's layout under a folder
# daemontools' and runit's chain-loading programs, which set up the process (an environment read from a
# folder of the host, the user) and then run the rest of the line: `envdir /srv/env setuidgid app
# gunicorn ...`. Value: the words each takes before the command (https://cr.yp.to/daemontools/envdir.html,
# https://cr.yp.to/daemontools/setuidgid.html, https://cr.yp.to/daemontools/envuidgid.html,
# https://cr.yp.to/daemontools/softlimit.html: its options; http://smarden.org/runit/chpst.8.html)
# s6's and execline's, which s6-overlay's and runit's service scripts use the same way (`s6-setuidgid abc
# python -m app`, `fdmove -c 2 1 prog`, s6-overlay's `with-contenv`:
# https://skarnet.org/software/s6/s6-setuidgid.html, https://skarnet.org/software/s6/s6-envuidgid.html,
# https://skarnet.org/software/s6/s6-applyuidgid.html, https://skarnet.org/software/s6/s6-notifyoncheck.html,
# https://skarnet.org/software/execline/fdmove.html,
# https://github.com/just-containers/s6-overlay#container-environment)
_CHAINS = {
    "envdir": 1,
    "setuidgid": 1,
    "envuidgid": 1,
    "softlimit": 0,
    "chpst": 0,
    "s6-setuidgid": 1,
    "s6-envuidgid": 1,
    "s6-applyuidgid": 0,
    "s6-notifyoncheck": 0,
    "fdmove": 2,
    "with-contenv": 0,
}
# the options of the chain loaders that take a value (the others are flags: chpst's -v, -P, -0 ...)
_CHAIN_VALUED = {
    "softlimit": frozenset("macdsflmoprt"),
    "chpst": frozenset("uUbe/nlLmdofpct"),
    "s6-applyuidgid": frozenset("ugG"),
    "s6-notifyoncheck": frozenset("3sTtwnc"),
    "fdmove": frozenset(),
}
# gunicorn options that name host paths or a host user, which the image has not (a non-root process
# cannot write /var/log or /run, nor change user): the container logs to stdout and runs as its user
_HOST_ONLY = {
    "--access-logfile": 1,
    "--error-logfile": 1,
    "--log-file": 1,
    "--pid": 1,
    "-p": 1,
    "--user": 1,
    "-u": 1,
    "--group": 1,
    "-g": 1,
    "--daemon": 0,
    "-D": 0,
}


def config_files(ctx: Context, suffixes: tuple[str, ...] = (".service",)) -> Iterator[str]:
    """Project-relative files ending in ``suffixes`` (``*.service``) up to four folders down, root first."""
    pending = [(".", 0)]
    while pending:
        rel, depth = pending.pop(0)
        for name in ctx.tree.listdir(rel):
            child = name if rel == "." else f"{rel}/{name}"
            if name.endswith(suffixes) and ctx.tree.is_file(child):
                yield child
            elif (
                depth < _MAX_DEPTH
                and not name.startswith(".")
                and name.lower() not in _SKIP
                and child not in ctx.tree.venv_dirs
                and ctx.tree.is_dir(child)
            ):
                pending.append((child, depth + 1))


def _service_lines(text: str, wanted: str = "Service") -> Iterator[tuple[int, str, str]]:
    """(line number, key, value) of the ``[Service]`` section (``wanted``), continuation lines joined."""
    section = ""
    held: tuple[int, str] | None = None
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if held is not None:
            start, before = held
            line = f"{before} {line}"
            number = start
            held = None
        if line.endswith("\\"):
            held = (number, line[:-1].rstrip())
            continue
        if not line or line.startswith(("#", ";")):
            continue
        if line.startswith("["):
            section = line.strip("[]").strip()
            continue
        key, eq, value = line.partition("=")
        if eq and section == wanted:
            yield number, key.strip(), value.strip()


_STREAM = lazy(r"^(?:(?:\d{1,3}(?:\.\d{1,3}){3}|\[[0-9a-fA-F:]*\]|[A-Za-z][\w.-]*):)?(\d{1,5})$")


def _socket_port(ctx: Context, rel: str, text: str) -> tuple[int, Evidence] | None:
    """The TCP port of the ``.socket`` unit that activates the service ``rel`` (socket activation): the
    unit of the same name in the same folder, one whose ``Service=`` names it, or one the service names
    (``Requires=``/``Sockets=``); its first ``ListenStream=`` that is a port (``8000``,
    ``0.0.0.0:8000``, ``[::]:8000``), not a Unix socket's path.
    https://www.freedesktop.org/software/systemd/man/latest/systemd.socket.html#ListenStream="""
    folder, _, name = rel.rpartition("/")
    stem = name.removesuffix(".service")
    text = "\n".join(line for line in text.splitlines() if not line.strip().startswith(("#", ";")))
    for socket in sorted(ctx.tree.listdir(folder or ".")):
        path = f"{folder}/{socket}" if folder else socket
        if not socket.endswith(".socket") or not ctx.tree.is_file(path):
            continue
        try:
            unit = ctx.tree.read_text(path)
        except ProjectError:
            continue
        lines = list(_service_lines(unit, "Socket"))
        named = any(k == "Service" and v == name for _, k, v in lines)
        # the service names it as a unit of its own (Requires=web.socket), not inside another name
        said = re.search(rf"(?<![\w@.-]){re.escape(socket)}(?![\w@.-])", text)
        if socket.removesuffix(".socket") != stem and not named and not said:
            continue
        for number, key, value in lines:
            match = _STREAM.match(value) if key == "ListenStream" else None
            if match and 0 < int(match.group(1)) < 65536:
                why = f"ListenStream={value} (the socket systemd listens on for {name})"
                return int(match.group(1)), Evidence(path, number, why)
    return None


def _environment(value: str) -> list[tuple[str, str]]:
    """``Environment="A=1" B=2`` -> [("A", "1"), ("B", "2")]."""
    try:
        words = shlex.split(value)
    except ValueError:
        return []
    return [(w.split("=", 1)[0], w.split("=", 1)[1]) for w in words if re.match(r"^[A-Za-z_]\w*=", w)]


def work_folders(ctx: Context, workdir: str) -> list[str]:
    """The project folders a ``WorkingDirectory=`` may name by its path's tails, longest first, then the
    root ("")."""
    parts = [p for p in workdir.strip("\"'").split("/") if p and not p.startswith("%")]
    tails = ["/".join(parts[i:]) for i in range(len(parts))]
    return [t for t in tails if ctx.tree.is_dir(t) and t not in ctx.tree.venv_dirs] + [""]


_MODULE = lazy(r"^([A-Za-z_][\w.]*)(?::[\w.()]+)?$")


def imports_from(ctx: Context, folder: str, argv: list[str]) -> bool:
    """True when a word of the command names a module (``shop.wsgi``, ``app.main:app``) or script that
    is in ``folder``: the checkout's own folder name often repeats a package's (``/srv/shop`` holding
    ``shop/``), so the folder is the one the command's app resolves from."""
    base = f"{folder}/" if folder else ""
    for word in argv[1:]:
        if word.endswith(".py") and ctx.tree.is_file(f"{base}{word.rsplit('/', 1)[-1]}"):
            return True
        match = _MODULE.match(word)
        if match:
            path = match.group(1).replace(".", "/")
            if any(ctx.tree.is_file(f"{base}{path}{tail}") for tail in (".py", "/__init__.py")):
                return True
    return False


def host_program(words: list[str], said: list[tuple[str, str]]) -> list[str]:
    """The command with systemd's prefixes, the program's install path and the prefixes of the command
    prefixes table (``mise exec --``, ``pipenv run``, ``uv run``, ``nice -n 19`` ...) left out; ``said``
    gets the ones the plan names."""
    argv = list(words)
    while argv:
        argv[0] = argv[0].lstrip("-@+!:")
        if posixpath.basename(argv[0]) in _CHAINS:
            argv = _chained([posixpath.basename(argv[0]), *argv[1:]])
            continue
        argv, left = without_prefixes(argv)
        said += left
        if not (argv and posixpath.basename(argv[0]) in _CHAINS):
            break  # a chain loader after a runner (`uv run envdir ...`) is left out in turn
    if argv:
        argv[0] = posixpath.basename(argv[0])
    if argv and PYTHON_PROGRAM.match(argv[0]):
        argv = ["python", *(a for a in argv[1:] if a not in ("-u", "-O", "-B"))]
        if len(argv) > 2 and argv[1] == "-m" and package_of(argv[2]):
            argv = argv[2:]  # `python -m gunicorn ...` runs the server's own program
    return argv


def _chained(argv: list[str]) -> list[str]:
    """The command a chain-loading program (``envdir DIR``, ``setuidgid USER``, ``chpst -u USER``) runs."""
    program, rest = argv[0], argv[1:]
    valued = _CHAIN_VALUED.get(program, frozenset())
    while rest and rest[0].startswith("-") and program in _CHAIN_VALUED:
        flag = rest[0][1:2]
        rest = rest[2:] if flag in valued and len(rest[0]) == 2 else rest[1:]
    return rest[_CHAINS[program] :]


def _listening(argv: list[str], dropped: list[str]) -> list[str]:
    """The server's options without a Unix-socket bind, a loopback host made all interfaces, and (for
    gunicorn) without the host-only options (``dropped`` gets them)."""
    out: list[str] = []
    i = 0
    while i < len(argv):
        arg = argv[i]
        flag, eq, inline = arg.partition("=")
        if argv[0] == "gunicorn" and flag in _HOST_ONLY:
            takes = 0 if eq else _HOST_ONLY[flag]
            value = inline if eq else (argv[i + 1] if takes and i + 1 < len(argv) else "")
            if value != "-":  # `--access-logfile -` is stdout: kept
                dropped.append(" ".join(argv[i : i + 1 + takes]))
                i += 1 + takes
                continue
        if flag in ("--bind", "-b") or (arg.startswith("-b") and len(arg) > 2 and not eq):
            value = inline if eq else (arg[2:] if arg.startswith("-b") and len(arg) > 2 else "")
            taken = 1 if value else 2
            if not value and i + 1 < len(argv):
                value = argv[i + 1]
            if value.startswith(("unix:", "fd://")):
                i += taken
                continue
            loop = _LOOPBACK.match(value)
            if loop:
                out += ["--bind", f"0.0.0.0{loop.group(1) or ''}"]
                i += taken
                continue
        if flag in ("--uds", "--fd"):
            i += 1 if eq else 2
            continue
        if flag == "--host":
            value = inline if eq else (argv[i + 1] if i + 1 < len(argv) else "")
            if value in ("127.0.0.1", "localhost", "::1"):
                out += ["--host", "0.0.0.0"]
                i += 1 if eq else 2
                continue
        out.append(arg)
        i += 1
    return out


def start_notes(where: str, said: list[tuple[str, str]], dropped: list[str]) -> tuple[str, ...]:
    """The notes on what a host's command line had that the image's start leaves out: the command
    prefixes (:func:`host_program`'s ``said``) and the host-only options (:func:`unit_command`'s)."""
    notes: tuple[str, ...] = ()
    left = prefixes_note(where, said)
    if left:
        notes += (left,)
    if dropped:
        notes += (
            f"{where}: left out of the start: {', '.join(dropped)} (host paths or a host user the image has "
            "not; the container logs to stdout and runs as its own user)",
        )
    return notes


def unit_command(
    ctx: Context, argv: list[str], folder: str, dropped: list[str]
) -> tuple[tuple[str, ...], AppKind] | None:
    """The unit's command as the planned image runs it, and its kind; None when it runs no server of
    the tables nor a module or script of the project."""
    if not argv:
        return None
    if argv[0] in runner_programs("worker"):  # a task queue (celery beat, rq worker): no web server
        return tuple(argv), "web" if port_of_command(argv) else "worker"
    if package_of(argv[0]):
        argv = _listening(argv, dropped)
        # the server's option naming the folder its app imports from (gunicorn --chdir, uvicorn --app-dir,
        # granian --working-dir: the servers table)
        flag = next((s.chdir for s in table().servers if s.command[0] == argv[0] and s.chdir), "")
        if folder and flag and not any(a == flag or a.startswith(f"{flag}=") for a in argv):
            argv = [argv[0], flag, folder, *argv[1:]]
        return tuple(argv), "web"
    if argv[0] != "python" or len(argv) < 2:
        return None
    base = f"{folder}/" if folder else ""
    if argv[1] == "-m" and len(argv) > 2:
        module = argv[2].replace(".", "/")
        if not any(ctx.tree.is_file(f"{base}{module}{tail}") for tail in (".py", "/__main__.py")):
            return None
        if folder:
            return None  # `python -m` from a sub-folder: no flag of python's says where to import from
        return tuple(argv), "web" if port_of_command(argv) else "worker"
    script = argv[1]
    if script.startswith("/"):
        script = script.rsplit("/", 1)[-1]
    if not script.endswith(".py") or not ctx.tree.is_file(f"{base}{script}"):
        return None
    return ("python", f"{base}{script}", *argv[2:]), "web" if port_of_command(argv) else "worker"


def host_command(
    ctx: Context, words: list[str], folders: list[str]
) -> tuple[tuple[str, ...], AppKind, list[tuple[str, str]], list[str]] | None:
    """A host supervisor's command line (a unit's ``ExecStart=``, a supervisord ``command=``, an s6 ``run``
    script's) as the planned image runs it: (command, kind, the prefixes left out, the host-only options
    dropped), from the first of ``folders`` its module resolves from; None when it runs nothing of ours."""
    said: list[tuple[str, str]] = []
    argv = host_program(words, said)
    folder = next((f for f in folders if imports_from(ctx, f, argv)), folders[0])
    dropped: list[str] = []
    found = unit_command(ctx, argv, folder, dropped)
    return None if found is None else (found[0], found[1], said, dropped)


def _unit(ctx: Context, rel: str) -> Candidate | None:
    try:
        text = ctx.tree.read_text(rel)
    except ProjectError:
        return None
    start: tuple[int, str] | None = None
    workdir = ""
    env: list[tuple[str, str, str]] = []
    files: list[str] = []
    for number, key, value in _service_lines(text):
        if key == "ExecStart" and value:
            start = (number, value)  # a simple service has one; the last wins, as systemd's override
        elif key == "WorkingDirectory":
            workdir = value
        elif key == "Environment":
            env += [(n, v, f"{rel}:{number} (Environment= of the unit)") for n, v in _environment(value)]
        elif key == "EnvironmentFile":
            files.append(f"{rel}:{number}")
    if start is None:
        return None
    try:
        words = shlex.split(start[1])
    except ValueError:
        return None
    found = host_command(ctx, words, work_folders(ctx, workdir))
    if found is None:
        return None
    command, kind, said, dropped = found
    ev = Evidence(rel, start[0], f"ExecStart={' '.join(start[1].split())[:120]}")
    port = port_of_command(command)
    port_ev: Evidence | None = ev if port else None
    socket = _socket_port(ctx, rel, text) if port is None else None
    if socket is not None:  # socket activation: systemd listens, the server takes the socket over
        port, port_ev = socket
    notes = tuple(
        f"{where}: EnvironmentFile= reads its variables from the host's file, which the image does not "
        "have: pass them with docker run --env-file"
        for where in files
    )
    notes += start_notes(f"{rel}:{start[0]}", said, dropped)
    name = posixpath.basename(rel).removesuffix(".service")
    return Candidate(
        "systemd",
        name,
        kind,
        (ev,),
        command=command,
        port=port,
        port_evidence=port_ev,
        env=tuple(env),
        notes=notes,
    )


def detect(ctx: Context) -> list[Candidate]:
    out: list[Candidate] = []
    for rel in config_files(ctx):
        candidate = _unit(ctx, rel)
        if candidate is not None and all(candidate.command != o.command for o in out):
            out.append(candidate)
    return out
