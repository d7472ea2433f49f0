"""The commands a platform runs once per deploy, before the new release serves (its release phase).

What it does: reads each release step the repository gives a platform — the Procfile's ``release:``
process (Heroku), fly.toml's ``[deploy] release_command``, Railway's ``deploy.preDeployCommand``,
Render's ``preDeployCommand`` (a native-runtime service at the root) and DigitalOcean's ``PRE_DEPLOY``
jobs (``run_command``) — split into its commands (``a && b`` is two), each with the line that says it.

Why: such a step is where a project migrates its database (``release: python manage.py migrate``).
One image started on its own has no release phase: left out, the app serves a database whose tables
were never made. ``compose_migrations.py`` runs the migrating one before the server, as it does for a
compose file's one-shot migration service.

Sources:
- https://devcenter.heroku.com/articles/release-phase (``release:`` in the Procfile)
- https://fly.io/docs/reference/configuration/#run-one-off-commands-before-releasing-a-deployment
- https://docs.railway.com/reference/config-as-code#pre-deploy-command
- https://render.com/docs/blueprint-spec#predeploycommand
- https://docs.digitalocean.com/products/app-platform/reference/app-spec/ (``jobs[].kind: PRE_DEPLOY``)
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Iterator

from dockwright.project.facts import Evidence
from dockwright.project.plan_files import PlanFiles
from dockwright.project.platform_files import (
    digitalocean_here,
    digitalocean_specs,
    items,
    render_services,
)

_SEPARATORS = frozenset({"&&", ";", "||"})
_SHELLS = frozenset({"sh", "bash", "/bin/sh", "/bin/bash"})
# programs that only print answers for the prompts of the command they are piped into (`yes | cmd`)
_ANSWERS = frozenset({"yes", "echo", "printf"})


def split_commands(text: str) -> list[list[str]]:
    """The commands of a shell line, as words: split at ``&&``, ``;`` and ``||`` outside quotes, a
    ``sh -c "..."`` read as the commands of its line; nothing for a line that does not split (an open
    quote)."""
    lexer = shlex.shlex(text, posix=True, punctuation_chars=";&|")
    lexer.whitespace_split = True
    try:
        tokens = list(lexer)
    except ValueError:
        return []
    parts: list[list[str]] = [[]]
    for token in tokens:
        if token in _SEPARATORS:
            parts.append([])
        else:
            parts[-1].append(token)
    out: list[list[str]] = []
    for words in parts:
        words = _answered(words)
        if len(words) == 3 and words[0] in _SHELLS and words[1] == "-c":
            out += split_commands(words[2])
        elif words:
            out.append(words)
    return out


def _answered(words: list[str]) -> list[str]:
    """The last command of a pipeline whose other commands only print answers (``yes "yes" | cmd``):
    run alone, the command gets no terminal and takes its defaults (Django's migrate, ``--noinput``)."""
    if "|" not in words:
        return words
    stages: list[list[str]] = [[]]
    for word in words:
        if word == "|":
            stages.append([])
        else:
            stages[-1].append(word)
    if all(stage and stage[0] in _ANSWERS for stage in stages[:-1]) and stages[-1]:
        return stages[-1]
    return words


def release_commands(files: PlanFiles) -> list[tuple[list[str], Evidence]]:
    """Every command of the repository's release steps, as words, with the line that runs it."""
    out: list[tuple[list[str], Evidence]] = []
    for rel, key, text in _steps(files):
        line = files.tree.line_of(rel, rf"{key}\s*[:=]")
        evidence = Evidence(rel, line, f"{key}: {' '.join(text.split())}")
        out += [(words, evidence) for words in split_commands(text.strip())]
    return out


def _steps(files: PlanFiles) -> Iterator[tuple[str, str, str]]:
    """(file, key, command text) of each release step."""
    if files.tree.is_file("Procfile"):
        for line in files.tree.read_text("Procfile").splitlines():
            match = re.match(r"^release:\s*(.+)$", line.strip())
            if match:
                yield "Procfile", "release", match.group(1)
    fly = files.descriptor("fly.toml")
    deploy = fly.get("deploy") if isinstance(fly, dict) else None
    if isinstance(deploy, dict) and isinstance(deploy.get("release_command"), str):
        yield "fly.toml", "release_command", deploy["release_command"]
    for rel in ("railway.json", "railway.toml"):
        railway = files.descriptor(rel)
        step = railway.get("deploy") if isinstance(railway, dict) else None
        command = step.get("preDeployCommand") if isinstance(step, dict) else None
        for text in command if isinstance(command, list) else [command]:
            if isinstance(text, str):
                yield rel, "preDeployCommand", text
    for service in render_services(files):
        if isinstance(service.get("preDeployCommand"), str):
            yield "render.yaml", "preDeployCommand", service["preDeployCommand"]
    for rel, spec in digitalocean_specs(files):
        for job in items(spec.get("jobs")):
            if (
                digitalocean_here(job)
                and job.get("kind") == "PRE_DEPLOY"
                and isinstance(job.get("run_command"), str)
            ):
                yield rel, "run_command", job["run_command"]
