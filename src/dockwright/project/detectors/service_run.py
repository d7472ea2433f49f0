"""Service folders of s6-overlay and runit: the ``run`` script a container's init supervises.

## What it detects
A service folder the repository's own image puts under ``/etc`` (the tree its recipe copies to the image's
root, ``COPY root/ /`` or ``COPY container/root/ /``, and a top-level ``root/`` folder, the convention of
images built on linuxserver.io's or just-containers' s6-overlay bases): ``etc/s6-overlay/s6-rc.d/NAME/``
whose ``type`` is ``longrun`` (s6-overlay 3), ``etc/services.d/NAME/`` (s6-overlay 2), or runit's
``etc/service/NAME/`` / ``etc/sv/NAME/`` (phusion/baseimage), each with a ``run`` script (a ``type`` file
not read, a link out of the project, a pipe, a binary or large file, is said in a note, its service taken as
a long-running one). Those images have no ``CMD`` of their own: their ``ENTRYPOINT`` is the init (``/init``,
``my_init``), which starts every service folder. The ``run`` script's command is read: a shell script's last
``exec`` line (its variables' own defaults filled, as an entry script's), or an execline script's words. The
chain loaders that set the process up before running it (``with-contenv``, ``s6-setuidgid USER``,
``s6-envuidgid``, ``s6-applyuidgid``, ``s6-notifyoncheck``, ``fdmove -c 2 1``, runit's ``chpst``) and the
program's install path (``/venv/bin/python``) are left out, as a systemd unit's are; the command must run a
server of the servers table, a task queue, or ``python`` on a module or script of the project. Services that
run no Python (nginx, cron) are left out.
https://github.com/just-containers/s6-overlay#writing-a-service-script
https://skarnet.org/software/s6-rc/s6-rc-compile.html (the ``type`` and ``run`` files of a longrun)
http://smarden.org/runit/runsv.8.html (runit's ``./run``)

## Evidence
The ``run`` script's command line (``root/etc/s6-overlay/s6-rc.d/svc-app/run:4 (exec s6-setuidgid abc
python3 -m app serve)``), and the recipe's ``EXPOSE`` for the port of a command naming none.

## Example
```sh
#!/usr/bin/with-contenv bash
cd /app || exit 1
exec s6-setuidgid abc /lsiopy/bin/python3 -m ledger serve
```

## Start command
The service's command (``python -m ledger serve`` above) under the planned image's tini: one process
per container, no init supervising it. A server runs on its bind's port; a program of the project's own
(``python -m ledger serve``) that names no port is the image's web process when the recipe ``EXPOSE``s
one port (the image's init runs nothing else that listens), else a worker. Several services: the web
one is the start, the others are listed as processes of the image. It ranks with the container hints,
after supervisord's programs and before a systemd unit.
"""

from __future__ import annotations

import posixpath
import shlex
from dataclasses import replace

from dockwright.dockerfile.final_command import final_command
from dockwright.errors import ProjectError
from dockwright.project.detectors.base import Candidate, Context, port_of_command
from dockwright.project.detectors.entry_script import exec_line, script_defaults, with_defaults
from dockwright.project.detectors.own_dockerfile import exposed_port
from dockwright.project.detectors.systemd_unit import host_command, start_notes, work_folders
from dockwright.project.facts import Evidence
from dockwright.project.tree import ProjectTree
from dockwright.shell_lists import cd_folder

# the service folders of each supervisor, under the image's /etc
_SERVICE_DIRS = ("etc/s6-overlay/s6-rc.d", "etc/services.d", "etc/service", "etc/sv")


def _image_roots(tree: ProjectTree, copies: tuple[tuple[str, str, bool], ...]) -> list[str]:
    """Project folders whose contents the own image copies to ``/``, then a top-level ``root/``."""
    out = [rel for at, rel, folder in copies if folder and at == "/" and rel]
    if tree.is_dir("root") and "root" not in out:
        out.append("root")
    return out


# an s6-rc ``type`` file holds one word (longrun, oneshot, bundle): a larger one is not read
_TYPE_BYTES = 64


def _service_type(tree: ProjectTree, rel: str) -> tuple[str, str]:
    """(the word of a service folder's ``type`` file, '' without one; a note when the file is there but
    is not read: not a regular file of the project (a link out of it, a folder, a pipe), too large, not
    text, unreadable)."""
    folder, name = posixpath.split(rel)
    if name not in tree.listdir(folder):
        return "", ""
    taken = "the service is taken as a long-running one"
    if not tree.is_file(rel):
        return "", f"{rel}: not read, not a regular file inside the project; {taken}"
    if tree.size(rel) > _TYPE_BYTES:
        return "", f"{rel}: not read, larger than one word; {taken}"
    try:
        word = tree.read_text(rel).strip()
    except ProjectError as error:
        return "", f"{rel}: not read ({error.message}); {taken}"
    return word, ""


def _services(tree: ProjectTree, root: str) -> list[tuple[str, str]]:
    """(``run`` script, a note on its folder's ``type`` file) of the long-running services under
    ``root``'s service folders."""
    out: list[tuple[str, str]] = []
    for services in _SERVICE_DIRS:
        folder = f"{root}/{services}"
        if not tree.is_dir(folder):
            continue
        for name in sorted(tree.listdir(folder)):
            run = f"{folder}/{name}/run"
            if name.startswith(".") or not tree.is_file(run):
                continue
            word, note = _service_type(tree, f"{folder}/{name}/type")
            if word not in ("", "longrun"):
                continue
            out.append((run, note))
    return out


def _command(text: str) -> tuple[int, tuple[str, ...], str] | None:
    """(line, argv, folder the script changes to) of a run script: a shell script's last ``exec``, or an
    execline script's words (no blocks: a ``{`` is a program of its own, not followed)."""
    first = text.split("\n", 1)[0]
    folder = ""
    for line in text.splitlines():
        folder = cd_folder(line.strip()) or folder
    if "execlineb" in first:
        body = [(n, line) for n, line in enumerate(text.splitlines(), 1) if n > 1]
        lines = [(n, line.split("#", 1)[0].strip()) for n, line in body]
        lines = [(n, line) for n, line in lines if line]
        if not lines or any("{" in line or "}" in line for _, line in lines):
            return None
        try:
            words = tuple(w for _, line in lines for w in shlex.split(line))
        except ValueError:
            return None
        if words[:1] == ("cd",) and len(words) > 2:  # execline's cd DIR PROG...
            folder, words = words[1], words[2:]
        return lines[-1][0], words, folder
    found = exec_line(text)
    if found is None:
        return None
    return found[0], with_defaults(found[1], script_defaults(text)), folder


def _candidate(ctx: Context, run: str, type_note: str) -> Candidate | None:
    try:
        text = ctx.tree.read_script(run)
    except ProjectError:
        return None
    script = _command(text)
    if script is None:
        return None
    line, words, workdir = script
    folders = work_folders(ctx, workdir)
    # `cd ${APP_SRC}`, or a folder of the image only: the project's folder the command's module resolves from
    folders += [d for d in ctx.tree.top_dirs() if d not in folders]
    found = host_command(ctx, list(words), folders)
    if found is None:
        return None
    command, kind, said, dropped = found
    name = posixpath.basename(posixpath.dirname(run))
    ev = Evidence(run, line, " ".join(words)[:120])
    port = port_of_command(command)
    port_ev = ev if port else None
    return Candidate(
        "service-run",
        name,
        kind,
        (ev,),
        command=command,
        port=port,
        port_evidence=port_ev,
        notes=(*start_notes(f"{run}:{line}", said, dropped), *([type_note] if type_note else [])),
    )


def detect(ctx: Context) -> list[Candidate]:
    exposed: tuple[int | None, Evidence | None] = (None, None)
    recipe = ctx.files.own_recipe  # with or without a command: an init-run image has none
    if recipe is not None:
        path, dockerfile = recipe
        final = final_command(dockerfile)
        if final is not None:
            exposed = exposed_port(final, path)
    out: list[Candidate] = []
    for root in _image_roots(ctx.tree, ctx.files.own_copies):
        for run, type_note in _services(ctx.tree, root):
            candidate = _candidate(ctx, run, type_note)
            if candidate is not None and all(candidate.command != o.command for o in out):
                out.append(candidate)
    programs = [c for c in out if c.kind == "worker" and c.command[0] == "python"]
    port, port_ev = exposed
    if port is not None and len(programs) == 1 and not any(c.kind == "web" for c in out):
        # the image's one service of the project's own, on the one port the image exposes
        lifted = replace(programs[0], kind="web", port=port, port_evidence=port_ev)
        out = [lifted if c is programs[0] else c for c in out]
    return out
