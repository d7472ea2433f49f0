"""Folders a library keeps its run-time state in, named by an environment variable: set in the image,
made the app user's, emptied at each start.

What it does: a project that depends on a package of ``data/state_dirs.toml`` (prometheus-client) and
whose own image sets the row's variable (``ENV PROMETHEUS_MULTIPROC_DIR=/tmp/metrics``, in the final
stage or a stage it is built ``FROM``), or whose code imports the mode that reads it (``from
prometheus_client import multiprocess``: the row's ``default`` folder), gets that variable as an
``ENV`` of the image, the folder created owned by the app user (``AppFacts.writable``), and, for a row
with ``wipe``, a start that empties the folder before the server (``rm -rf DIR/*; exec ...``, as the
library's documentation asks: files of an earlier run's workers would be counted again). A variable the
start already sets (compose, a systemd unit) keeps its value; a folder that is relative, holds a
``$``, or is one of the system's is only noted.

Why: fastapi_production_template's image sets ``PROMETHEUS_MULTIPROC_DIR`` and makes the folder its
user's; its gunicorn config calls ``multiprocess.mark_process_dead`` in ``child_exit``. The planned image
set neither, so every worker exit raised ``TypeError`` (the variable unset) and the container stopped
with exit code 1; a ``MultiProcessCollector`` stops the app at its first metrics request.
"""

from __future__ import annotations

import dataclasses
import posixpath
import re
import shlex
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from dockwright.dockerfile.final_command import ancestry
from dockwright.dockerfile.parser import parse
from dockwright.project.detectors.scan import ModuleScan
from dockwright.project.facts import AppFacts, EnvSetting, Evidence, Fact
from dockwright.project.own_image import dockerfile_text, own_dockerfile
from dockwright.project.tree import ProjectTree, data_table


@dataclass(frozen=True)
class StateDir:
    package: str
    env: str
    names: tuple[str, ...]
    modules: tuple[str, ...]
    default: str
    wipe: bool
    source: str


@lru_cache(maxsize=1)
def table() -> tuple[StateDir, ...]:
    rows: list[dict[str, Any]] = data_table("state_dirs.toml")["dir"]
    return tuple(
        StateDir(
            str(r["package"]),
            str(r["env"]),
            tuple(r.get("names", ())),
            tuple(r.get("modules", ())),
            str(r["default"]),
            bool(r.get("wipe", False)),
            str(r["source"]),
        )
        for r in rows
    )


# folders of the system's programs, data and homes and the venv's: never emptied nor given to the app user
_SYSTEM = re.compile(
    r"^/(?:usr|bin|sbin|lib\w*|etc|boot|proc|sys|dev|run|root|opt/venv|var/(?:lib|cache|log|spool|mail|backups))"
    r"(?:/|$)|^/home/[^/]+/?$"
)


def _project_folder(tree: ProjectTree, folder: str, workdir: str) -> bool:
    """Whether ``folder`` is the image's copy of the project (``workdir``), above it, or a path inside it
    where the project has a file or folder: emptying it at each start deletes the app's own files."""
    inner = posixpath.relpath(folder, workdir)
    if inner == "." or inner.startswith(".."):
        return inner == "." or workdir.startswith(folder.rstrip("/") + "/")
    return tree.is_dir(inner) or tree.is_file(inner)


def _own_env(tree: ProjectTree) -> dict[str, tuple[str, Evidence]]:
    """The variables the repository's own Dockerfile sets in its final stage and the stages it is built
    ``FROM``: name -> (value, the ``ENV`` line); the last setting wins, as in the image."""
    path = own_dockerfile(tree)
    if path is None:
        return {}
    dockerfile = parse(dockerfile_text(tree, path))
    stage = dockerfile.final_stage
    if stage is None:
        return {}
    out: dict[str, tuple[str, Evidence]] = {}
    for member in ancestry(dockerfile, stage):
        for instruction in member.instructions:
            if instruction.keyword == "ENV":
                for name, value in instruction.pairs:
                    out[name] = (value or "", Evidence(path, instruction.span.line, f"ENV {name}={value}"))
    return out


def _user(scans: Iterable[ModuleScan], row: StateDir) -> ModuleScan | None:
    """The first module importing what uses the row's mode (``from prometheus_client import
    multiprocess``)."""
    for scan in scans:
        if any(i == m or i.startswith(m + ".") for i in scan.from_imports.values() for m in row.modules):
            return scan
    return None


def _folder(
    tree: ProjectTree, app: AppFacts, scans: Iterable[ModuleScan], row: StateDir
) -> tuple[str, Evidence, bool] | None:
    """The row's folder, why, and whether the image must set the variable: the start's own setting, the
    own image's ``ENV``, else the default when the code uses the mode; None without any."""
    names = (row.env, *row.names)
    given = next((e for e in app.env if e.name in names), None)
    if given is not None:
        ev = next(iter((*given.evidence, *app.command.evidence)), Evidence(row.source))
        why = f"{given.name}={given.value} (the start sets it: {row.package} keeps its state there)"
        return given.value, Evidence(ev.file, ev.line, why), False
    own = _own_env(tree)
    name = next((n for n in names if n in own), None)
    if name is not None:
        value, ev = own[name]
        why = f"{ev.detail} (the repository's image sets it: {row.package} keeps its state there)"
        return value, Evidence(ev.file, ev.line, why), True
    user = _user(scans, row)
    if user is None:
        return None
    line = tree.line_of(user.rel, r"\b" + re.escape(row.modules[0].rsplit(".", 1)[-1]) + r"\b") or None
    why = (
        f"{user.module} uses {row.package}'s mode that reads {row.env}, which the repository does not set: "
        f"{row.default}"
    )
    return row.default, Evidence(user.rel, line, why), True


def with_state_dirs(
    tree: ProjectTree,
    app: AppFacts,
    scans: Iterable[ModuleScan],
    depends_on: frozenset[str],
    notes: list[str],
    *,
    own_start: bool = True,
    workdir: str = "/app",
) -> AppFacts:
    """``app`` with the state folders of the libraries it uses set, made the app user's and (``wipe``)
    emptied at each start; ``own_start`` False (a start given on the command line) keeps the command; a
    folder of the copy of the project at ``workdir`` (or above it) is only noted."""
    scans = tuple(scans)
    for row in table():
        if row.package not in depends_on:
            continue
        found = _folder(tree, app, scans, row)
        if found is None:
            continue
        value, ev, unset = found
        folder = posixpath.normpath(value) if value.startswith("/") else ""
        if (
            not folder
            or "$" in value
            or folder.count("/") < 2
            or _SYSTEM.match(folder)
            or _project_folder(tree, folder, workdir)
        ):
            where = f"{ev.file}:{ev.line}" if ev.line else ev.file
            notes.append(
                f"{where}: {row.env}={value} is not an absolute folder of the app's "
                f"({row.source}): the image does not make it; set it to one the app user may write"
            )
            continue
        env = app.env
        if unset:
            env = (*env, EnvSetting(row.env, folder, f"{row.package}'s state folder ({row.source})", (ev,)))
        writable = app.writable
        if folder not in {f.value for f in writable}:
            why = f"{row.env}: {ev.detail}"
            writable = (*writable, Fact(folder, (Evidence(ev.file, ev.line, why),)))
        app = dataclasses.replace(app, env=env, writable=writable)
        if row.wipe:
            app = _wiped(app, folder, row, ev, notes, own_start=own_start)
    return app


def _wiped(
    app: AppFacts, folder: str, row: StateDir, ev: Evidence, notes: list[str], *, own_start: bool
) -> AppFacts:
    """``app`` whose start empties ``folder`` before its command (``rm -rf DIR/*``; a failure does not
    stop the start), or a note when the start cannot be wrapped."""
    command = app.command.value
    if not command or not own_start or app.run_arguments.value:
        notes.append(
            f"{row.env}={folder}: {row.package} requires the folder emptied before each start "
            f"({row.source}); the start is run as given: empty it before the app starts"
        )
        return app
    wipe = f"rm -rf {shlex.quote(folder)}/*"
    wrapped: tuple[str, ...]
    if len(command) == 3 and command[0].rsplit("/", 1)[-1] in ("sh", "bash") and command[1] == "-c":
        wrapped = (command[0], "-c", f"{wipe}; {command[2]}")
    elif app.kind.value == "cli":
        # a CLI is the ENTRYPOINT (plan/start.py): the words of `docker run IMAGE ARG ...` follow the
        # script, as $0 (the program's name here) and then "$@", which the program is given
        wrapped = ("/bin/sh", "-c", f'{wipe}; exec {shlex.join(command)} "$@"', command[0].rsplit("/", 1)[-1])
    else:
        wrapped = ("/bin/sh", "-c", f"{wipe}; exec {shlex.join(command)}")
    why = f"{row.package} requires {row.env}'s folder emptied before each start ({row.source})"
    return dataclasses.replace(
        app, command=Fact(wrapped, (*app.command.evidence, Evidence(ev.file, ev.line, why)))
    )
