"""A project whose own image serves on the platform's ``$PORT`` keeps doing so with gunicorn.

What it does: when the repository's own Dockerfile (set aside: dockwright plans its own image) starts
its server on ``$PORT`` (``CMD exec gunicorn --bind :$PORT app:app``, or ``ENV PORT=...`` with a
gunicorn that names no bind), the platform it deploys to sets ``PORT`` (Cloud Run, Heroku's container
stack, Render). The plan's gunicorn start then gives no ``--bind`` and the image sets ``ENV
PORT=<planned port>``: gunicorn binds ``0.0.0.0:$PORT`` when ``PORT`` is set and no bind is given (its
``bind`` setting's default, read in ``gunicorn/config.py`` of 21.2.0 through 27.0.1;
https://docs.gunicorn.org/en/stable/settings.html#bind), so ``docker run -e PORT=9000`` moves the
server the way the project's own image did, with no shell in the start command. The planned port stays
the default, and the health check reads ``$PORT`` too.

Why: such a project's plan bound ``--bind 0.0.0.0:8000`` regardless, so on its platform the image
listened on 8000 while the router sent traffic to ``$PORT``.

Only the plan's own gunicorn command is changed (the servers table's ``--bind 0.0.0.0:<port>``); a
gunicorn config that binds, or a repository's own start, is left as it is.
"""

from __future__ import annotations

import re
from dataclasses import replace

from dockwright.dockerfile.final_command import final_command
from dockwright.dockerfile.parser import parse
from dockwright.project.detectors.servers import last_command
from dockwright.project.facts import AppFacts, EnvSetting, Evidence, Fact
from dockwright.project.gunicorn_config import config_bind
from dockwright.project.own_image import own_dockerfile
from dockwright.project.tree import ProjectTree

_READS_PORT = re.compile(r"\$\{?PORT\b")
_SETS_PORT = re.compile(r"(?im)^\s*ENV\s+PORT[=\s]")
SOURCE = (
    "gunicorn binds 0.0.0.0:$PORT when PORT is set and no bind is given "
    "(https://docs.gunicorn.org/en/stable/settings.html#bind; gunicorn/config.py 21.2.0-27.0.1)"
)


def own_image_reads_port(tree: ProjectTree) -> Evidence | None:
    """The line of the repository's own Dockerfile whose start serves on ``$PORT``, else None."""
    path = own_dockerfile(tree)
    if path is None:
        return None
    text = tree.read_text(path)
    final = final_command(parse(text))
    if final is None or final.instruction is None:
        return None
    argv = final.argv
    shown = " ".join(argv)[:80]
    line = final.instruction.span.line
    if _READS_PORT.search(" ".join(argv)):
        return Evidence(path, line, f"the repository's own image serves on $PORT ({shown})")
    runs = last_command(argv)
    if runs and runs[0].rsplit("/", 1)[-1] == "gunicorn" and not _binds(runs) and _SETS_PORT.search(text):
        why = f"the repository's own image sets PORT and its gunicorn names no bind ({shown})"
        return Evidence(path, line, why)
    return None


def _binds(argv: tuple[str, ...]) -> bool:
    return any(a in ("-b", "--bind") or a.startswith(("--bind=", "-b")) for a in argv[1:])


def with_platform_port(tree: ProjectTree, app: AppFacts, *, ours: bool) -> AppFacts:
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
    evidence = own_image_reads_port(tree)
    if evidence is None or config_bind(tree, command, port)[0]:
        return app  # a gunicorn config that binds wins over the default, not over --bind: kept
    argv = command[:at] + command[at + 2 :]
    why = f"{SOURCE}; {evidence.detail}: the image keeps reading it (docker run -e PORT=...)"
    env = (*app.env, EnvSetting("PORT", str(port), why, (evidence,)))
    return replace(app, command=Fact(argv, (*app.command.evidence, evidence)), env=env)
