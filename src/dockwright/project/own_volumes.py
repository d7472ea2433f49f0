"""Folders the start command names that the repository's image made for the app: writable here too.

What it does: when the start command names an absolute folder (a word of it, or an option's value:
``--datadir /data``, ``--data-dir=/var/lib/app``) that the final stage of the repository's own
Dockerfile (and the stages it is built ``FROM``) declares a ``VOLUME``, makes its ``WORKDIR`` or makes
with ``mkdir`` in a ``RUN``, the planned image creates that folder owned by the app user, with the
Dockerfile's line as evidence, and the plan says to mount a volume there to keep its data. A system
folder, one holding the system's or the venv's (``/``, ``/opt``, ``/var`` ...) is not taken: the image
makes the folder the app user's with ``chown -R``, which would hand it the system's files or its own
venv.

Why: SickChill's image runs ``sickchill --datadir /data`` and declares ``VOLUME /data``; the planned
image had no ``/data``, and the app, not root, could not create it: it stopped at start. ``docker run
-v`` on a folder the image does not have makes it root's too.
"""

from __future__ import annotations

import dataclasses
import json
import posixpath
import re
import shlex

from dockwright.dockerfile.final_command import ancestry
from dockwright.dockerfile.shell import run_script
from dockwright.project.detectors.servers import last_command
from dockwright.project.facts import AppFacts, Evidence, Fact
from dockwright.project.plan_files import PlanFiles
from dockwright.shell_lists import commands as shell_commands

# folders an image's own system owns: a start naming them is not asking for app data
_SYSTEM = re.compile(r"^/(?:usr|bin|sbin|lib|lib64|etc|proc|sys|dev|run|tmp|opt/venv|app)(?:/|$)")
# folders holding the system's or the venv's (`/opt` holds /opt/venv, `/var` dpkg's database): a
# `chown -R` there hands them to the app user
_PARENTS = frozenset({"/", "/opt", "/var", "/var/lib", "/home", "/root", "/srv", "/mnt", "/media"})


def _volumes(value: str) -> list[str]:
    """The folders a ``VOLUME`` instruction names (JSON array or words)."""
    text = value.strip()
    if text.startswith("["):
        try:
            items = json.loads(text)
        except json.JSONDecodeError:
            return []
        return [str(i) for i in items if isinstance(i, str)]
    return text.split()


def _made(files: PlanFiles) -> dict[str, Evidence]:
    """Absolute folders the own image's final stage declares as volumes or makes its work directory."""
    own = files.own_final
    if own is None:
        return {}
    path, dockerfile, _ = own
    stage = dockerfile.final_stage
    if stage is None:
        return {}
    out: dict[str, Evidence] = {}
    for member in ancestry(dockerfile, stage):
        for instruction in member.instructions:
            line = instruction.span.line
            said = f"{instruction.keyword} {' '.join(instruction.value.split())}"[:100]
            if instruction.keyword == "VOLUME":
                for folder in _volumes(instruction.value):
                    out.setdefault(posixpath.normpath(folder), Evidence(path, line, said))
            elif instruction.keyword == "WORKDIR":
                folder = instruction.value.strip().strip("\"'")
                if folder.startswith("/"):
                    out.setdefault(posixpath.normpath(folder), Evidence(path, line, said))
            elif instruction.keyword == "RUN":
                for folder in _made_by_mkdir(run_script(instruction)):
                    out.setdefault(folder, Evidence(path, line, said))
    return out


def _made_by_mkdir(script: str) -> list[str]:
    """The absolute folders a RUN script's ``mkdir`` commands make (``mkdir -p /data``, ``[ -d /data ]
    || mkdir /data``)."""
    out: list[str] = []
    for command in shell_commands(script):
        try:
            words = shlex.split(command, comments=True)
        except ValueError:
            continue
        for at, word in enumerate(words):
            if posixpath.basename(word) == "mkdir":
                out += [posixpath.normpath(w) for w in words[at + 1 :] if w.startswith("/")]
                break
    return out


def with_own_volumes(files: PlanFiles, app: AppFacts, notes: list[str]) -> AppFacts:
    """``app`` whose start's data folders that the repository's image made are created writable."""
    argv = last_command(app.command.value)
    if not argv:
        return app
    named = [w.split("=", 1)[1] if w.startswith("-") and "=" in w else w for w in argv[1:]]
    made = _made(files)
    have = {f.value for f in app.writable}
    added: list[Fact[str]] = []
    for word in named:
        folder = posixpath.normpath(word) if word.startswith("/") else ""
        if not folder or folder in have or folder not in made:
            continue
        if _SYSTEM.match(folder) or folder in _PARENTS:
            continue
        ev = made[folder]
        why = f"the start names {folder}, which the repository's image made ({ev.detail}): the app user's"
        added.append(Fact(folder, (Evidence(ev.file, ev.line, why),)))
        have.add(folder)
        notes.append(
            f"{ev.file}:{ev.line}: the start keeps its data in {folder}: mount a volume there "
            f"(docker run -v NAME:{folder}) to keep it across containers"
        )
    if not added:
        return app
    return dataclasses.replace(app, writable=(*app.writable, *added))
