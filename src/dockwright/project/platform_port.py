"""A project whose own image serves on the platform's ``$PORT`` keeps doing so with gunicorn.

What it does: when the repository's own Dockerfile (set aside: dockwright plans its own image) starts its
server on ``$PORT`` (``CMD exec gunicorn --bind :$PORT app:app``, or the final stage's ``ENV PORT=...``
with a gunicorn that names no bind), the platform it deploys to sets ``PORT`` (Cloud Run, Heroku's
container stack, Render). The plan's gunicorn start then gives no ``--bind`` and the image sets ``ENV
PORT=<planned port>``: gunicorn binds ``0.0.0.0:$PORT`` when ``PORT`` is set and no bind is given (its
``bind`` setting's default, read in ``gunicorn/config.py`` of 21.2.0 through 27.0.1;
https://docs.gunicorn.org/en/stable/settings.html#bind), so ``docker run -e PORT=9000`` moves the server
the way the project's own image did, with no shell in the start command. The planned port stays the
default, and the health check reads ``$PORT`` too.

Why: such a project's plan bound ``--bind 0.0.0.0:8000`` regardless, so on its platform the image
listened on 8000 while the router sent traffic to ``$PORT``.

Only the plan's own gunicorn command is changed (the servers table's ``--bind 0.0.0.0:<port>``); a
gunicorn config that binds, or a repository's own start, is left as it is.

The port such an image serves on by default (``own_port_value``) is the plan's port too, ranked after
the code and the server's options and before the framework's default (``apps._port``): the command's
own ``${PORT:-8080}``, else the value the final stage (through the stages it is built ``FROM``) gives
``PORT`` with ``ENV`` (https://docs.docker.com/reference/dockerfile/#env), else an ``ARG PORT=8080``
default (a build argument is not in the container's environment, but it is the port the author meant),
else the one TCP port the stage ``EXPOSE``s. It counts only when that command runs the chosen app (its
module, script or ``manage.py``).
"""

from __future__ import annotations

import re
import shlex
from dataclasses import replace

from dockwright.dockerfile.final_command import ancestry
from dockwright.dockerfile.syntax import Dockerfile
from dockwright.lazy_re import lazy
from dockwright.project.detectors.base import Candidate
from dockwright.project.detectors.servers import last_command
from dockwright.project.facts import AppFacts, EnvSetting, Evidence, Fact
from dockwright.project.gunicorn_config import config_bind
from dockwright.project.plan_files import PlanFiles

READS_PORT = lazy(r"\$\{?PORT\b")
SOURCE = (
    "gunicorn binds 0.0.0.0:$PORT when PORT is set and no bind is given "
    "(https://docs.gunicorn.org/en/stable/settings.html#bind; gunicorn/config.py 21.2.0-27.0.1)"
)


def own_image_reads_port(files: PlanFiles) -> Evidence | None:
    """The line of the repository's own Dockerfile whose start serves on ``$PORT``, else None."""
    own = files.own_final
    if own is None:
        return None
    path, dockerfile, final = own
    assert final.instruction is not None  # own_final returns a command's instruction
    argv = final.argv
    shown = " ".join(argv)[:80]
    line = final.instruction.span.line
    if READS_PORT.search(" ".join(argv)):
        return Evidence(path, line, f"the repository's own image serves on $PORT ({shown})")
    runs = last_command(argv)
    gunicorn = bool(runs) and runs[0].rsplit("/", 1)[-1] == "gunicorn" and not _binds(runs)
    if gunicorn and "PORT" in _env_names(dockerfile):
        why = f"the repository's own image sets PORT and its gunicorn names no bind ({shown})"
        return Evidence(path, line, why)
    return None


_DEFAULT = lazy(r"\$\{PORT:?-(\d{2,5})\}")
_VAR = lazy(r"\$\{?(\w+)(?::?-([^}]*))?\}?")


def _assignments(value: str) -> list[tuple[str, str]]:
    """``ENV A=1 PORT=8080`` / ``ENV PORT 8080`` / ``ARG PORT=8080`` -> [(name, value)] (quotes removed)."""
    try:
        words = shlex.split(value)
    except ValueError:
        return []
    if len(words) >= 2 and "=" not in words[0]:
        return [(words[0], " ".join(words[1:]))]  # the legacy `ENV NAME value` form
    return [tuple(w.split("=", 1)) for w in words if "=" in w]  # type: ignore[misc]


def _env_names(dockerfile: Dockerfile) -> set[str]:
    """The names ``ENV`` sets in the final stage's chain (``ENV A=1 PORT=8080``, ``ENV PORT 8080``)."""
    stage = dockerfile.final_stage
    chain = ancestry(dockerfile, stage) if stage is not None else []
    return {
        name
        for member in chain
        for instruction in member.instructions
        if instruction.keyword == "ENV"
        for name, _ in _assignments(instruction.value)
    }


def _port_values(dockerfile: Dockerfile) -> dict[str, tuple[str, int, str]]:
    """``PORT``'s value by ``ENV`` and by ``ARG`` default in the final stage's chain: kind -> (value,
    line, instruction text); an ``ENV PORT=$PORT`` takes the ``ARG``'s default."""
    stage = dockerfile.final_stage
    found: dict[str, tuple[str, int, str]] = {}
    if stage is None:
        return found
    args: dict[str, str] = {}
    for member in ancestry(dockerfile, stage):
        for instruction in member.instructions:
            if instruction.keyword not in ("ENV", "ARG"):
                continue
            for name, raw in _assignments(instruction.value):
                value = _VAR.sub(lambda m: args.get(m.group(1), m.group(2) or ""), raw)
                args[name] = value
                if name == "PORT" and value.isdigit():
                    shown = f"{instruction.keyword} {' '.join(instruction.value.split())}"
                    found[instruction.keyword] = (value, instruction.span.line, shown)
    return found


def runs_chosen(text: str, chosen: Candidate) -> bool:
    """True when the own image's command (``text``) runs the chosen app: its target's module, its file,
    its command's target, or ``manage.py`` for Django."""
    names = {chosen.target.split(":", 1)[0], chosen.rel, chosen.module or ""}
    if chosen.source == "django":
        names.add("manage.py")
    words = (x for w in chosen.command for x in w.split())
    names |= {w for w in words if ":" in w and not w.startswith(("-", "$", "0.0.0.0", ":"))}
    return any(n and re.search(rf"(?<![\w.]){re.escape(n)}(?![\w])", text) for n in names)


def own_port_value(files: PlanFiles, chosen: Candidate | None) -> Fact[int | None] | None:
    """The port the repository's own image serves the chosen app on when its command reads ``$PORT``
    (its ``${PORT:-N}``, ``ENV PORT``, ``ARG PORT`` default, or single ``EXPOSE``), with that line as
    evidence; None otherwise."""
    if chosen is None or chosen.kind != "web":
        return None
    own = files.own_final
    if own is None:
        return None
    path, dockerfile, final = own
    text = " ".join(final.argv)
    assert final.instruction is not None
    if not READS_PORT.search(text) or not runs_chosen(text, chosen):
        return None
    line = final.instruction.span.line
    shown = text[:80]
    default = _DEFAULT.search(text)
    if default:
        why = f"the repository's own image serves on ${{PORT:-{default.group(1)}}} ({shown})"
        return Fact(int(default.group(1)), (Evidence(path, line, why),))
    values = _port_values(dockerfile)
    for keyword in ("ENV", "ARG"):
        if keyword in values:
            value, at, what = values[keyword]
            why = f"{what}: the port the repository's own image serves $PORT on ({shown})"
            return Fact(int(value), (Evidence(path, at, why),))
    if len(final.exposed) == 1:
        port, instruction = final.exposed[0]
        why = f"EXPOSE {port}: the port the repository's own image serves $PORT on ({shown})"
        return Fact(port, (Evidence(path, instruction.span.line, why),))
    return None


def _binds(argv: tuple[str, ...]) -> bool:
    return any(a in ("-b", "--bind") or a.startswith(("--bind=", "-b")) for a in argv[1:])


def with_platform_port(files: PlanFiles, app: AppFacts, *, ours: bool) -> AppFacts:
    """``app`` whose planned gunicorn reads ``PORT`` (no ``--bind``, ``ENV PORT``) when the project's own
    image served on ``$PORT``; ``ours``: the start is the plan's servers-table command."""
    port = app.port.value
    command = app.command.value
    if not ours or port is None or not command or command[0] != "gunicorn":
        return app
    pair = ("--bind", f"0.0.0.0:{port}")
    at = next((i for i in range(len(command) - 1) if command[i : i + 2] == pair), None)
    if at is None or "PORT" in {e.name for e in app.env}:
        return app
    evidence = own_image_reads_port(files)
    if evidence is None or config_bind(files, command, port)[0]:
        return app  # a gunicorn config that binds wins over the default, not over --bind: kept
    argv = command[:at] + command[at + 2 :]
    why = f"{SOURCE}; {evidence.detail}: the image keeps reading it (docker run -e PORT=...)"
    env = (*app.env, EnvSetting("PORT", str(port), why, (evidence,)))
    return replace(app, command=Fact(argv, (*app.command.evidence, evidence)), env=env)
