"""Task runners' start tasks: a ``start``/``serve``/``run``/``prod`` task that runs a server.

## What it detects
The task a project's own runner starts the app with: PDM ``[tool.pdm.scripts]``, Hatch
``[tool.hatch.envs.<env>.scripts]``, Poe the Poet ``[tool.poe.tasks]`` and Rye ``[tool.rye.scripts]``
in ``pyproject.toml``; a ``justfile`` recipe, a ``Taskfile.yml`` task or a ``Makefile`` target. A task
counts when its name says production start (``prod``/``production``, then ``start``, ``serve``/
``server``, ``run``, ``web``; never one that also says ``dev``, ``local``, ``debug``, ``test``,
``watch``, ``docs``) and its last command starts a server of the servers table (``uvicorn``,
``gunicorn``, ``hypercorn``, ``granian``, ``daphne``, ``fastapi run`` ...) or of the server CLIs
table, without ``--reload``. The prefixes of the command prefixes table (``data/command_prefixes.toml``,
shared with the systemd units: the runner's own, ``uv run``, ``poetry run``, ``pdm run``, ``hatch run``,
``pipenv run``, ``rye run``; a host's scheduling, buffering or time limit, ``nice -n 19``, ``ionice``,
``chrt``, ``taskset``, ``stdbuf -oL``, ``timeout``, named in a note) and ``python -m`` before a server
are left out: the image runs the program from its environment, under the container's limits.
A Makefile's ``$(VAR)`` is its literal ``VAR ?= value`` /
``VAR := value``; ``$(PORT)`` with no value in the file (which only the deploy platform's environment
gives; make reads the environment for it) and the shell's own ``$$PORT`` read ``$PORT`` at start, where
the image sets ``ENV PORT`` to the planned port. A task holding another variable left unresolved or a
runner's own template (``{{args}}``, ``{{.VAR}}``) is skipped.

## Evidence
The task's command line in its file (``justfile:10 (recipe run: uv run uvicorn app.main:app)``,
``pyproject.toml:14 ([tool.pdm.scripts] start: uvicorn main:app)``).

## Example
```toml
[tool.pdm.scripts]
dev = "uvicorn shop.main:app --reload"
start = "uvicorn shop.main:app --workers 2"
```

## Start command
The server command as the task spells it, without the runner's prefix (``uvicorn shop.main:app
--workers 2`` above), a web process (``/bin/sh -c "exec gunicorn -b 0.0.0.0:$PORT ..."`` when it
reads ``$PORT``, with ``ENV PORT`` = the planned port); the server's own listening rules then apply
(``--host 0.0.0.0`` or the bind variable added when the command leaves the default loopback). A
task's earlier commands (``python manage.py migrate`` before ``gunicorn``) are not run: the plan names
them. It ranks after the container and deploy hints (Procfile, compose, deploy files, entry scripts, a
systemd unit) and before the
framework scans: the task is the project's own choice of server and options.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Iterator
from typing import Any

from dockwright.errors import ProjectError
from dockwright.lazy_re import lazy
from dockwright.project.command_prefixes import prefixes_note, without_prefixes
from dockwright.project.detectors.base import (
    DEV_SERVER,
    Candidate,
    Context,
    port_of_command,
    shell_argv,
    spelled,
)
from dockwright.project.detectors.server_clis import server_cli
from dockwright.project.detectors.servers import package_of, runner_kind
from dockwright.project.facts import Evidence
from dockwright.python_program import PYTHON_PROGRAM

# Task names, best first: a name holding one of these words is a start task.
_START_WORDS = ("prod", "production", "start", "serve", "server", "run", "web")
_DEV_WORDS = frozenset({"dev", "develop", "development", "local", "debug", "test", "tests", "watch", "docs"})

_TEMPLATE = lazy(r"\{\{.*?\}\}")
_MAKE_VAR = lazy(r"\$[({](\w+)[)}]")

JUSTFILES = ("justfile", "Justfile", ".justfile")
TASKFILES = ("Taskfile.yml", "Taskfile.yaml", "taskfile.yml", "taskfile.yaml")


def _rank(name: str) -> int | None:
    """The name's rank among start tasks (lower is better), None when it is no start task."""
    words = set(re.split(r"[-_:.\s]+", name.lower()))
    if words & _DEV_WORDS:
        return None
    return next((i for i, w in enumerate(_START_WORDS) if w in words), None)


def server_argv(words: list[str], said: list[tuple[str, str]] | None = None) -> tuple[str, ...] | None:
    """The server command a task line runs, without the prefixes of the command prefixes table (a
    runner's, ``uv run --frozen``; ``nice -n 19`` ..., which ``said`` gets) or ``python -m``; None when
    the line starts no server of the tables."""
    argv, left = without_prefixes(words)
    if said is not None:
        said += left
    if len(argv) > 2 and PYTHON_PROGRAM.match(argv[0]) and argv[1] == "-m":
        argv = argv[2:]
    if not argv:
        return None
    command = tuple(argv)
    package = package_of(argv[0])
    if (package and runner_kind(package) != "worker") or server_cli(command):
        return command  # a worker's runner (`celery worker` in `run-celery`) serves nothing: no start task
    return None


def _line_of(ctx: Context, rel: str, name: str, text: str) -> int | None:
    """The line declaring task ``name`` with (the start of) its command ``text``: the task's own line
    first (``start = "uvicorn main:app"``, not ``dev = "uvicorn main:app --reload"`` above it), else
    the first line holding the command."""
    needle = text.strip().split("\n")[0][:40]
    lines = [(n, line) for n, line in ctx.tree.numbered_lines(rel) if needle and needle in line]
    own = re.compile(rf"^\s*[\"']?{re.escape(name)}[\"']?\s*[:=]")
    return next((n for n, line in lines if own.match(line)), lines[0][0] if lines else None)


def _pyproject_tasks(ctx: Context) -> Iterator[tuple[str, str, str]]:
    """(table, task name, command) of the task runners' tables in pyproject.toml."""
    tool = (ctx.pyproject or {}).get("tool")
    if not isinstance(tool, dict):
        return
    tables: list[tuple[str, Any]] = [
        ("[tool.pdm.scripts]", _table(tool.get("pdm")).get("scripts")),
        ("[tool.poe.tasks]", _table(tool.get("poe")).get("tasks")),
        ("[tool.rye.scripts]", _table(tool.get("rye")).get("scripts")),
    ]
    envs = _table(tool.get("hatch")).get("envs")
    if isinstance(envs, dict):
        tables += [
            (f"[tool.hatch.envs.{e}.scripts]", _table(body).get("scripts")) for e, body in envs.items()
        ]
    for table, scripts in tables:
        if not isinstance(scripts, dict):
            continue
        for name, value in scripts.items():
            command = _task_command(value)
            if command is not None and not name.startswith("_"):
                yield table, str(name), command


def _table(value: object) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _task_command(value: object) -> str | None:
    """The command a pyproject task runs: a string, the ``cmd``/``shell`` of a table (``cmd`` may be
    an argv list), a Hatch list of commands run one after the other."""
    if isinstance(value, str):
        return value
    if isinstance(value, list) and value and all(isinstance(v, str) for v in value):
        return " && ".join(value)
    if isinstance(value, dict):
        for key in ("cmd", "shell"):
            item = value.get(key)
            if isinstance(item, str):
                return item
            if isinstance(item, list) and all(isinstance(v, str) for v in item):
                return shlex.join(item)
    return None


def _just_recipes(text: str) -> Iterator[tuple[str, int, str]]:
    """(recipe name, line number, last command) of a justfile's recipes without required parameters."""
    name: str | None = None
    last: tuple[int, str] | None = None
    for number, line in [*enumerate(text.splitlines(), 1), (0, "end:")]:
        if line and not line[0].isspace() and not line.lstrip().startswith("#"):
            if name is not None and last is not None:
                yield name, last[0], last[1]
            header = re.match(r"^@?([A-Za-z_][\w-]*)((?:\s+[*+$]?\w+(?:=\S+)?)*)\s*:(?!=)", line)
            params = header.group(2).split() if header else []
            required = [p for p in params if "=" not in p and not p.startswith("*")]
            name, last = (header.group(1), None) if header and not required else (None, None)
        elif name is not None and line.strip() and not line.strip().startswith("#"):
            last = (number, line.strip().lstrip("@-"))


def _make_targets(text: str) -> Iterator[tuple[str, int, str]]:
    """(target, line number, last recipe line) of a Makefile, its literal variables substituted."""
    values: dict[str, str] = {}
    for line in text.splitlines():
        match = re.match(r"^(\w+)\s*(?:\?=|:=|::=|=)\s*([^$\s#][^#]*?)\s*$", line)
        if match:
            values.setdefault(match.group(1), match.group(2))
    target: str | None = None
    last: tuple[int, str] | None = None
    for number, line in [*enumerate(text.splitlines(), 1), (0, "end:")]:
        if line.startswith("\t"):
            body = line.strip().lstrip("@-").strip()
            if target is not None and body and not body.startswith("#"):
                last = (number, _make_expand(body, values))
            continue
        header = re.match(r"^([A-Za-z_][\w.-]*)\s*:(?![=:])", line)
        if header or (line.strip() and not line.startswith("#")):
            if target is not None and last is not None:
                yield target, last[0], last[1]
            target, last = (header.group(1), None) if header else (None, None)


def _make_expand(body: str, values: dict[str, str]) -> str:
    """A recipe line as the shell gets it: literal variables substituted, ``$(PORT)`` with no value in
    the file and ``$$PORT`` left to the shell's ``$PORT`` (make takes an unset variable from the
    environment: https://www.gnu.org/software/make/manual/html_node/Environment.html)."""
    parts = body.split("$$")
    expanded = [
        _MAKE_VAR.sub(lambda m: values.get(m.group(1), "$PORT" if m.group(1) == "PORT" else m.group(0)), p)
        for p in parts
    ]
    return "$".join(expanded)


_SAFE_WORD = lazy(r"^[\w@%+=:,./-]*$")


def _shell_word(word: str) -> str:
    """``word`` for a shell line that expands its ``$PORT``: bare when the rest is plain, else quoted."""
    if "$PORT" not in word:
        return shlex.quote(word)
    rest = word.replace("$PORT", "")
    if _SAFE_WORD.match(rest):
        return word
    return '"' + word.replace("\\", "\\\\").replace('"', '\\"').replace("`", "\\`") + '"'


def _taskfile_tasks(text: str) -> Iterator[tuple[str, str]]:
    """(task name, last command) of a Taskfile (``cmds:`` strings or ``- cmd:``, or ``cmd:``)."""
    import yaml  # only a project with this file loads PyYAML

    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError:
        return
    tasks = data.get("tasks") if isinstance(data, dict) else None
    if not isinstance(tasks, dict):
        return
    for name, task in tasks.items():
        if isinstance(task, str):
            yield str(name), task
            continue
        if not isinstance(task, dict):
            continue
        cmds = task.get("cmds")
        if isinstance(cmds, list) and cmds:
            last = cmds[-1]
            last = last.get("cmd") if isinstance(last, dict) else last
            if isinstance(last, str):
                yield str(name), last
        elif isinstance(task.get("cmd"), str):
            yield str(name), task["cmd"]


def _tasks(ctx: Context) -> Iterator[tuple[str, str, str, int | None]]:
    """(file, what, command, line) of every task of the project's runners."""
    for table, name, command in _pyproject_tasks(ctx):
        yield "pyproject.toml", f"{table} {name}", command, _line_of(ctx, "pyproject.toml", name, command)
    for rel in JUSTFILES:
        if ctx.tree.is_file(rel):
            for name, number, command in _just_recipes(_read(ctx, rel)):
                yield rel, f"recipe {name}", command, number
            break
    for rel in TASKFILES:
        if ctx.tree.is_file(rel):
            for name, command in _taskfile_tasks(_read(ctx, rel)):
                yield rel, f"task {name}", command, _line_of(ctx, rel, name, command)
            break
    if ctx.tree.is_file("Makefile"):
        for name, number, command in _make_targets(_read(ctx, "Makefile")):
            yield "Makefile", f"target {name}", command, number


def _read(ctx: Context, rel: str) -> str:
    try:
        return ctx.tree.read_text(rel)
    except ProjectError:
        return ""


def detect(ctx: Context) -> list[Candidate]:
    found: list[tuple[int, Candidate]] = []
    for rel, what, command, number in _tasks(ctx):
        rank = _rank(what.rsplit(" ", 1)[-1])
        unresolved = _TEMPLATE.search(command) or _MAKE_VAR.search(command)
        if rank is None or unresolved or DEV_SERVER.search(command):
            continue
        last = re.split(r"&&|;", command)[-1].strip()
        said: list[tuple[str, str]] = []
        try:
            argv = server_argv(shlex.split(last), said)
        except ValueError:
            continue
        if argv is None:
            continue
        if any("$PORT" in a for a in argv):  # the planned port by ENV PORT (apps: a $PORT start)
            argv = shell_argv(" ".join(_shell_word(a) for a in argv))
        ev = Evidence(rel, number, f"{what}: {' '.join(command.split())[:120]}")
        notes: tuple[str, ...] = ()
        if last != command.strip():
            earlier = command.strip()[: -len(last)].rstrip(" ;&")
            notes = (
                f"{ev}: its earlier steps ({earlier[:80]}) are not run at start (run them as a release step)",
            )
        left = prefixes_note(str(ev), said)
        notes += (left,) if left else ()
        found.append((rank, spelled("task-runner", "web", ev, argv, port=port_of_command(argv), notes=notes)))
    found.sort(key=lambda item: item[0])
    out: list[Candidate] = []
    for _, c in found:
        if all(c.command != o.command for o in out):
            out.append(c)
    return out
