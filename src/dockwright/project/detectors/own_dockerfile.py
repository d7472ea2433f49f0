"""The repository's own Dockerfile: the command its final stage runs, when the image can run it too.

## What it detects
The ``ENTRYPOINT`` and ``CMD`` of the last stage of the project's ``Dockerfile`` (without one at the
root, the one Dockerfile in a recipe folder such as ``docker/``; ``project/own_image.py``; a
Dockerfile dockwright wrote is skipped: it holds dockwright's own choice). Init wrappers (``tini``,
``dumb-init`` and their flags, a trailing ``--``) are left out, ``python3 -u`` becomes ``python``
(the image sets ``PYTHONUNBUFFERED``), and a path under the stage's ``WORKDIR`` becomes a project
path (also when the image copied a folder above the app: ``/workspace/apps/server/run.py`` is
``run.py`` of the app in ``apps/server``, whose Dockerfile is built from the workspace root).
The command is used only when the image dockwright plans can run it: ``python`` on a script the
project has (``python scheduler.py``, ``python -m pkg``), or one of the project's console scripts
given arguments (a bare one is the console-scripts detector's), or a dependency's program run with a
command the project adds to it as a plugin (``celery flower``, the project's ``celery.commands`` entry
point), or a server of the server CLIs table that a dependency installs (``dagster api grpc -m pkg``,
``datasette serve data.db``: a web process on its port, bound to all interfaces); a web process when the
image ``EXPOSE``s one port and runs from ``CMD`` such a plugin or a
command whose own options choose a port (``sickchill --port 8081`` beside ``EXPOSE 8081``); a
command naming programs or paths that only that image had (``/venv/bin/x``, ``poetry run``) is not;
``WORKDIR/.venv/bin/python`` (the environment ``uv sync`` made there) is ``python``.

## Evidence
The Dockerfile's ``CMD``/``ENTRYPOINT`` line (``Dockerfile:12 (CMD ["python3", "scheduler.py"])``).
When the command binds a port (``--port 8081``, ``-b :8081``: ``base.port_of_command``), the candidate
carries it with that line as its evidence, else, when the final stage (through the stages it is built
``FROM``) ``EXPOSE``s one TCP port, that one with the ``EXPOSE`` line: the port the repository's image
serves on, which the plan takes for a web process running this command only when the code and the
server's options name none (``apps._port``, ``project/exposed_port.py``).

## Example
```dockerfile
FROM python:3.11-slim
WORKDIR /app
COPY . .
CMD ["python3", "scheduler.py"]
```

## Start command
The command as the repository runs it (``python scheduler.py`` above): a CLI when the script parses
arguments or the command is a console script (ENTRYPOINT), else a worker (the container's long-lived
process, no port). It ranks after the framework and worker detectors (their servers and runners are
the production start) and before console scripts and lone scripts, which it picks between. A console
script that serves the project's web app on an exposed port is the ``own-image-server`` detector's,
which ranks before the frameworks. A word naming a variable (``${TZ}``) stays as written in exec form,
where Docker passes that text to the program (no shell, no ``ENV`` put in), with a note; a shell-form line
stays a shell line (``sh -c "exec python job.py --zone \"$TZ\""``) and carries the own image's ``ENV``
value of each name it reads (a secret's is a note instead).
"""

from __future__ import annotations

import itertools
import posixpath
import re
import shlex

from packaging.utils import canonicalize_name

from dockwright.dockerfile.final_command import FinalCommand, ancestry
from dockwright.project.detectors.base import Candidate, Context, port_of_command
from dockwright.project.detectors.console_scripts import plugin_commands, script_named
from dockwright.project.detectors.main_module import parses_arguments
from dockwright.project.detectors.own_image_server import own_served, own_words
from dockwright.project.detectors.server_clis import as_server, server_cli
from dockwright.project.facts import AppKind, Evidence
from dockwright.project.own_image import python_args
from dockwright.project.own_probe import own_probe_port
from dockwright.secret_values import carried_secret

# a variable reference in an exec-form word (lint rule DW607): Docker runs the words without a shell
_VARIABLE = re.compile(r"\$(\{[A-Za-z_][A-Za-z0-9_]*|[A-Za-z_][A-Za-z0-9_]*)")


def _runnable(ctx: Context, argv: list[str], workdir: str) -> tuple[str, ...] | None:
    """The command as the planned image runs it, or None when it needs what only that image had."""
    if not argv:
        return None
    if re.fullmatch(rf"(?:{re.escape(workdir.rstrip('/'))}/)?\.venv/bin/python[0-9.]*", argv[0]):
        argv = ["python", *argv[1:]]  # uv's project environment in WORKDIR: the planned image's venv
    rest = python_args(argv)
    if rest is not None:
        if len(rest) >= 2 and rest[0] == "-m":
            module = rest[1].replace(".", "/")
            if any(
                ctx.tree.is_file(p) for p in (f"{module}.py", f"{module}/__main__.py", f"src/{module}.py")
            ):
                return ("python", *rest)
            if ctx.tree.is_file(f"src/{module}/__main__.py"):
                return ("python", *rest)
            return None
        if rest and rest[0].endswith(".py"):
            script = rest[0]
            if script.startswith("/"):
                script = (
                    posixpath.relpath(script, workdir) if script.startswith(workdir.rstrip("/") + "/") else ""
                )
            script = _in_app(ctx, script.removeprefix("./"))
            if script and ctx.tree.is_file(script):
                return ("python", script, *rest[1:])
        return None
    name = script_named(ctx, argv[0])
    if name is not None and len(argv) > 1:
        return (name, *argv[1:])  # a bare console script is the console-scripts detector's (its server table)
    if _plugin_run(ctx, argv):
        return tuple(argv)
    row = server_cli(tuple(argv))
    if row is not None and canonicalize_name(row.package) in ctx.dependencies:
        return tuple(argv)  # `dagster api grpc ...`: a server a dependency installs
    return None


_HOST_OPTIONS = frozenset({"-H", "--host", "-h", "--bind", "-b", "--listen", "--address", "--ip"})


def _binds_all_interfaces(command: tuple[str, ...]) -> bool:
    """Does the command tell its program to listen on every interface (``-H 0.0.0.0``,
    ``--host=0.0.0.0``, ``--bind 0.0.0.0:5000``)? A program told that serves the network."""
    for flag, value in itertools.pairwise((*command, "")):
        option, equals, inline = flag.partition("=")
        given = value if flag in _HOST_OPTIONS else inline if equals and option in _HOST_OPTIONS else ""
        if given.rsplit(":", 1)[0] in ("0.0.0.0", "::", "[::]") or given in ("0.0.0.0", "::"):
            return True
    return False


def _in_app(ctx: Context, script: str) -> str:
    """``script`` (a path under the image's WORKDIR) as a path of the app, also when the image copied a
    folder above the app (a workspace root: ``apps/server/run.py`` for the app in ``apps/server``, its
    Dockerfile built from the root); "" for none."""
    if not script or ctx.tree.is_file(script):
        return script
    parts = script.split("/")
    root = ctx.tree.root.as_posix()
    for cut in range(1, len(parts)):
        if root.endswith("/" + "/".join(parts[:cut])) and ctx.tree.is_file("/".join(parts[cut:])):
            return "/".join(parts[cut:])
    return script


def _plugin_run(ctx: Context, argv: list[str]) -> bool:
    """``celery flower``: a dependency's program (named as the distribution) run with a command the
    project adds to it as a plugin (its ``celery.commands`` entry point)."""
    if len(argv) < 2 or canonicalize_name(posixpath.basename(argv[0])) not in ctx.dependencies:
        return False
    plugins = plugin_commands(ctx)
    return any(word in plugins for word in argv[1:] if not word.startswith("-"))


def detect(ctx: Context) -> list[Candidate]:
    own = ctx.once(own_served)
    if own is None:
        return []
    path, final, served = own
    assert final.instruction is not None  # own_final returns a command's instruction
    if served is not None:
        return []  # the own-image-server detector's: the script serves the app
    command = _runnable(ctx, own_words(ctx, final), final.workdir)
    if command is None:
        return []
    # the process the repository's container runs is its service (a worker: no port), unless it takes
    # arguments (a CLI, in ENTRYPOINT): either way it outranks a guess among the project's scripts
    rel = command[1] if command[0] == "python" and command[1] != "-m" else ""
    scan = ctx.by_rel.get(rel)
    kind: AppKind = "cli" if command[0] != "python" or (scan and parses_arguments(scan)) else "worker"
    line = final.instruction.span.line
    port, port_evidence = exposed_port(final, path)
    bound = port_of_command(command)
    if port is not None and (
        (final.cmd and (_plugin_run(ctx, list(command)) or bound is not None))
        or (command[0] != "python" and _binds_all_interfaces(command))
        or own_probe_port(ctx.files) == port
    ):
        # `CMD ["celery", "flower"]` beside `EXPOSE 5555`, `CMD ["app", "--port", "8081"]` beside
        # `EXPOSE 8081` (or another port: the one it is told is where it listens), `ENTRYPOINT
        # ["app_server", "-H", "0.0.0.0"]` beside `EXPOSE 5000`, or a HEALTHCHECK asking
        # `http://localhost:5000/health` beside `EXPOSE 5000` (a Twisted service the source scan knows
        # no framework of, rw37: sygnal): the image serves on that port
        kind = "web"
    text = f"{final.instruction.keyword} {' '.join(final.instruction.value.split())}"
    if bound is not None:  # `--port 5000`: where the program listens, whatever the EXPOSE says
        port, port_evidence = (
            bound,
            Evidence(path, line, f"{text[:80]} (the repository's own image binds it)"),
        )
    command, env, notes = _variables(ctx, path, final, command)
    found = Candidate(
        "own-dockerfile",
        "dockerfile",
        kind,
        (Evidence(path, line, f"{text[:80]} (the repository's own image runs it)"),),
        command=command,
        module=scan.module if scan else None,
        rel=rel,
        port=port,
        port_evidence=port_evidence,
        env=env,
        notes=notes,
    )
    return [as_server(found, command)]  # a server CLI's: web, on its port, on all interfaces


def _variables(
    ctx: Context, path: str, final: FinalCommand, command: tuple[str, ...]
) -> tuple[tuple[str, ...], tuple[tuple[str, str, str], ...], tuple[str, ...]]:
    """(command, settings, notes) for the variables the command's words name (``${TZ}``). In exec form
    Docker passes the text itself to the program (no shell, no ``ENV`` put in), so the start keeps it as
    written and a note says so. A shell-form line is read by ``/bin/sh`` at start: the start stays a shell
    line (``sh -c "exec ..."``) and the own image's ``ENV`` value of each name it reads is carried (not a
    secret, nor a value naming another variable: those are notes)."""
    assert final.instruction is not None
    where = f"{path}:{final.instruction.span.line}"
    named = [word for word in command if _VARIABLE.search(word)]
    if not named:
        return command, (), ()
    if final.instruction.json_form or (final.entrypoint and final.cmd):
        note = (
            f"{where} runs {' '.join(named)} in exec form: no shell expands it (nor puts the image's ENV "
            "in), so the program gets that text itself (the repository's own image does too) and the start "
            "keeps it; put the value in the command, or run it through `sh -c` with a default"
        )
        return command, (), (note,)
    line = " ".join(f'"{w}"' if _VARIABLE.search(w) and '"' not in w else shlex.quote(w) for w in command)
    names = dict.fromkeys(m.group(1).lstrip("{") for w in named for m in _VARIABLE.finditer(w))
    values = _stage_env(ctx, final)
    env: list[tuple[str, str, str]] = []
    notes: list[str] = []
    for name in names:
        value, at = values.get(name, (None, 0))
        if value is None or "$" in value:
            notes.append(
                f"{where}: its shell reads ${name} at start, which the repository's image does not set to a "
                f"plain value: set it at run time (docker run -e {name}=...)"
            )
        elif carried_secret(name, value):
            notes.append(
                f"{path}:{at}: {name} holds a secret, which the image never carries: pass it at run time "
                f"(docker run -e {name})"
            )
        else:
            env.append((name, value, f"{path}:{at} ENV {name}: {where} reads it in its shell line"))
    return ("/bin/sh", "-c", f"exec {line}"), tuple(env), tuple(notes)


def _stage_env(ctx: Context, final: FinalCommand) -> dict[str, tuple[str, int]]:
    """The ``ENV`` values (with their lines) the own recipe's final stage sets, through its stages."""
    own = ctx.files.own_final
    stage = own[1].final_stage if own is not None else None
    if own is None or stage is None:
        return {}
    values: dict[str, tuple[str, int]] = {}
    for member in ancestry(own[1], stage):
        for instruction in member.instructions:
            if instruction.keyword == "ENV":
                values.update((n, (v, instruction.span.line)) for n, v in instruction.pairs if v is not None)
    return values


def exposed_port(final: FinalCommand, path: str) -> tuple[int | None, Evidence | None]:
    """The one TCP port the final stage exposes, with its EXPOSE line; none when it exposes several."""
    if len(final.exposed) != 1:
        return None, None
    port, instruction = final.exposed[0]
    text = f"EXPOSE {' '.join(instruction.value.split())}"
    return port, Evidence(path, instruction.span.line, f"{text[:60]} (the repository's own image)")
