"""supervisord programs: a ``[program:NAME]`` section whose ``command=`` runs the app's server or worker.

## What it detects
A supervisord configuration file of the project (``*.conf`` or ``*.ini`` at the root or up to four
folders down, not under tests, examples or docs, holding ``[program:NAME]`` sections; a repository's
image often runs ``supervisord -c`` on it to start its web server beside a Celery worker) whose
program's ``command=`` runs a server of the servers table (``gunicorn``, ``uvicorn`` ...), a task queue
of the runners table (``celery ... worker``) or ``python`` on a module or script the project has. The
command is read the way a systemd unit's ``ExecStart=`` is (``systemd_unit.py``): the program's install
path, chain loaders and the command prefixes table's prefixes are left out, a Unix-socket or loopback
bind becomes the container's port, ``directory=`` is matched to a project folder by its path's tail.
supervisord's own expansions are filled: ``%(program_name)s``, ``%(process_num)d`` (0) and ``%(here)s``
(the file's folder where the image has it, under ``/app``); a variable it reads (``%(ENV_PORT)s``)
becomes the shell's (``/bin/sh -c "exec gunicorn --bind :"${PORT}" ..."``, ``PORT`` set to the planned
port as for a Procfile's ``$PORT``), every other word quoted: supervisord runs ``command=`` without a
shell, so a ``$``, quote or ``;`` it holds is literal. ``environment=KEY="value",...`` is the
process's environment (the same expansions filled), but for a secret, which the plan names for
``docker run -e`` instead, as it does a value supervisord reads from its own environment
(``KEY="%(ENV_KEY)s"``: the run's, never a literal in the image). A program with
``autostart=false`` is not started by supervisord and is not a candidate; programs that are not Python
(nginx, cron, redis-server) are left out.
http://supervisord.org/configuration.html#program-x-section-settings

## Evidence
The program's ``command=`` line (``deploy/supervisord.conf:5 ([program:web] command=gunicorn ...)``).

## Example
```ini
[program:web]
command=/srv/venv/bin/gunicorn --workers 3 --bind 0.0.0.0:5005 shop.wsgi:application
directory=/srv/shop

[program:worker]
command=celery -A shop worker --loglevel=info
```

## Start command
One image runs one process, under tini: supervisord (a second process manager that restarts its
children and hides their exit from the engine) is not carried. The web program is the start (its port
from its bind), the other programs are listed as processes of the same image (``--process worker``
plans the worker's). It ranks with the repository's container hints, before a systemd unit.
"""

from __future__ import annotations

import posixpath
import re
import shlex

from dockwright.errors import ProjectError
from dockwright.lazy_re import lazy
from dockwright.project.detectors.base import Candidate, Context, port_of_command
from dockwright.project.detectors.servers import last_command, server_call, table
from dockwright.project.detectors.systemd_unit import config_files, host_command, start_notes, work_folders
from dockwright.project.facts import Evidence
from dockwright.project.model_files import APP_DIR

_SECTION = lazy(r"^\[program:([^\]]+)\]\s*$")
_ENVIRONMENT = lazy(r"""([A-Za-z_]\w*)=("(?:[^"\\]|\\.)*"|'[^']*'|[^,]*)""")


def _programs(text: str) -> list[tuple[str, dict[str, tuple[int, str]]]]:
    """(name, key -> (line, value)) of each ``[program:NAME]`` section, continuation lines joined."""
    out: list[tuple[str, dict[str, tuple[int, str]]]] = []
    current: dict[str, tuple[int, str]] | None = None
    last = ""
    for number, raw in enumerate(text.splitlines(), 1):
        stripped = raw.strip()
        if not stripped or stripped.startswith((";", "#")):
            continue
        if stripped.startswith("["):
            match = _SECTION.match(stripped)
            current = None
            if match:
                current = {}
                out.append((match.group(1).strip(), current))
            continue
        if current is None:
            continue
        if raw[:1].isspace() and last in current:  # an indented line continues the value above
            line, value = current[last]
            current[last] = (line, f"{value} {stripped}")
            continue
        key, eq, value = stripped.partition("=")
        if eq:
            last = key.strip().lower()
            current[last] = (number, value.split(" ;", 1)[0].strip())
    return out


def _environment(value: str) -> list[tuple[str, str]]:
    """``KEY="a",OTHER=b`` -> [("KEY", "a"), ("OTHER", "b")]."""
    return [(m.group(1), m.group(2).strip().strip("\"'")) for m in _ENVIRONMENT.finditer(value)]


_ENV = lazy(r"%\(ENV_([A-Za-z_]\w*)\)[sd]")
# what a variable supervisord reads stands as in the words until the shell line is written: a character
# no configuration file holds, so a `$` the file writes stays a literal one
_HELD = lazy("\x00([A-Za-z_]\\w*)\x00")


def _filled(command: str, name: str, folder: str) -> str:
    """The command with supervisord's expansions filled; a variable it reads (``%(ENV_PORT)s``) is held
    as ``\\0PORT\\0``, for :func:`_shell_line` to give to the shell."""
    return _expanded(
        _ENV.sub(lambda m: "\x00" + m.group(1) + "\x00", command.replace("\x00", "")), name, folder
    )


def _expanded(value: str, name: str, folder: str) -> str:
    """``value`` with supervisord's own expansions filled: ``%(here)s`` is the file's folder where the
    image has it (under the work directory)."""
    here = posixpath.join(APP_DIR, folder) if folder else APP_DIR
    return (
        value.replace("%(program_name)s", name)
        .replace("%(process_num)d", "0")
        .replace("%(process_num)s", "0")
        .replace("%(here)s", here)
        .replace("%%", "%")
    )


def _shell_word(word: str) -> str:
    """``word`` for a shell line: literal as supervisord passes it (no shell runs ``command=``: a ``$``,
    quote, backtick or ``;`` it holds is the word's), but for its held variables, the shell's
    ``${NAME}``."""
    if not _HELD.search(word):
        return shlex.quote(word)
    parts = _HELD.split(word)  # literal, name, literal, name, ...
    out = "".join(
        "${" + part + "}" if index % 2 else re.sub(r'(["\\$`])', r"\\\1", part)
        for index, part in enumerate(parts)
    )
    return f'"{out}"'


def _shell_line(command: tuple[str, ...]) -> tuple[str, ...]:
    """``/bin/sh -c "exec ..."`` running ``command`` (one program: supervisord runs no shell line), the
    shell filling the variables supervisord would read."""
    return ("/bin/sh", "-c", "exec " + " ".join(_shell_word(w) for w in command))


def _candidates(ctx: Context, rel: str) -> list[Candidate]:
    try:
        text = ctx.tree.read_text(rel)
    except ProjectError:
        return []
    if "[program:" not in text:
        return []
    out: list[Candidate] = []
    for name, keys in _programs(text):
        if "command" not in keys or keys.get("autostart", (0, "true"))[1].lower() == "false":
            continue
        line, raw = keys["command"]
        filled = _filled(raw, name, posixpath.dirname(rel))
        try:
            words = shlex.split(filled)
        except ValueError:
            continue
        found = host_command(ctx, words, work_folders(ctx, keys.get("directory", (0, ""))[1]))
        if found is None:
            continue
        command, kind, said, dropped = found
        if any("\x00" in word for word in command):  # a variable supervisord read: the shell reads it here
            command = _shell_line(command)
        ev = Evidence(rel, line, f"[program:{name}] command={' '.join(raw.split())[:110]}")
        port = port_of_command(command)
        env_line, env_value = keys.get("environment", (0, ""))
        env: tuple[tuple[str, str, str], ...] = ()
        notes: tuple[str, ...] = ()
        for key, value in _environment(env_value):
            read = ", ".join(dict.fromkeys(_ENV.findall(value)))  # the names only: the value may hold a key
            if read:  # filled from supervisord's own environment: the run's, not the image's
                notes += (
                    f"{rel}:{env_line}: {key} of [program:{name}] is read from the environment supervisord "
                    f"runs in ({read}): pass it at run time (docker run -e {key})",
                )
                continue
            value = _expanded(value, name, posixpath.dirname(rel))
            env += ((key, value, f"{rel}:{env_line} (environment= of [program:{name}])"),)
        notes += start_notes(f"{rel}:{line}", said, dropped)
        out.append(
            Candidate(
                "supervisord",
                name,
                kind,
                (ev,),
                command=command,
                port=port,
                port_evidence=ev if port else None,
                env=env,
                notes=notes,
            )
        )
    return out


def detect(ctx: Context) -> list[Candidate]:
    out: list[Candidate] = []
    for rel in config_files(ctx, (".conf", ".ini")):
        for candidate in _candidates(ctx, rel):
            if all(candidate.command != o.command for o in out):
                out.append(candidate)
    # the program serving the app first: a server of the servers table before another listening program
    # (a task queue's monitor, `celery flower`, whose file may sort first), then the workers, each in file
    # order (rw37: fastapi_best_architecture's flower.conf sorted before its granian server.conf)
    return sorted(out, key=lambda c: (c.kind != "web", not _serves_the_app(c.command)))


def _serves_the_app(command: tuple[str, ...]) -> bool:
    return server_call(last_command(command))[1] in {s.command[0] for s in table().servers}
