"""What ``init`` prints after writing: the commands a user runs next, derived from the plan."""

from __future__ import annotations

import os
import re
import shlex
from pathlib import Path

from dockwright.plan.model import BuildPlan
from dockwright.project.engine_clients import SOCKET, uses_engine

_BUILD_ARG = re.compile(r"--build-arg (\w+)=")


def header_build_args(plan: BuildPlan) -> tuple[str, ...]:
    """The ``--build-arg`` names of the Dockerfile header's build line, in its order."""
    line = next((line for line in plan.header if "docker build" in line), "")
    return tuple(_BUILD_ARG.findall(line))


def _relative(target: Path) -> str:
    """``target`` as typed from the current folder."""
    return os.path.relpath(target.resolve())


def next_steps(plan: BuildPlan, context: Path, path: str) -> list[str]:
    """The docker build line (the header's build args, the plan's image name as the tag, the Dockerfile
    and the context as seen from here), the audit of that image, and the one-verb alternative."""
    build = ["docker", "build", "-t", plan.image_name]
    if plan.dockerfile_path != "Dockerfile":
        build += ["-f", _relative(context / plan.dockerfile_path)]
    for name in header_build_args(plan):
        build += ["--build-arg", f"{name}=..."]
    build.append(_relative(context))
    return [
        "next:",
        f"  DOCKER_BUILDKIT=1 {shlex.join(build)}",
        f"  dockwright audit {shlex.quote(plan.image_name)}",
        f"  (or: dockwright build {shlex.quote(path)}, which fills the build args)",
        f"  {run_line(plan)}",
    ]


#: libraries that draw a terminal UI: the program needs a terminal (`docker run -it`)
TERMINAL_UIS = frozenset(
    {"textual", "urwid", "npyscreen", "prompt_toolkit", "asciimatics", "blessed", "pytermgui"}
)


def run_line(plan: BuildPlan) -> str:
    """How the image runs: a web app with its port published, a worker as it is, a CLI with ``--help``;
    each required variable as ``-e NAME=...``. A terminal UI gets ``-it``; an installed command (not a
    file of /app) gets the current folder mounted as its work folder, read and written as the caller's
    user (the image's own user owns no folder of the host), with a home it can write (``/tmp``).
    ``--help`` only when the ENTRYPOINT holds the program (a suite of commands keeps its command in CMD,
    which arguments would replace). An app driving the container engine gets its socket mounted, with
    the socket's group."""
    app = plan.facts.app
    run = ["docker", "run", "--rm"]
    if set(app.third_party_imports.value) & TERMINAL_UIS:
        run.append("-it")
    if app.kind.value == "web" and app.port.value:
        run += ["-p", f"{app.port.value}:{app.port.value}"]
    for required in app.required_env:
        run += ["-e", f"{required.value}=..."]
    words = [shlex.join(run)]
    if uses_engine(app.third_party_imports.value):  # the engine's socket and its group (engine_clients.py)
        words.append(f'-v {SOCKET}:{SOCKET} --group-add "$(stat -c %g {SOCKET})"')
    cli = app.kind.value == "cli"
    if cli and app.command.value and not app.command.value[0].startswith(("python", "/", ".")):
        # a UID the image has no passwd line for gets HOME=/, which it cannot write: programs keeping
        # their settings under ~/.config or ~/.local (platformdirs, XDG) stop on PermissionError
        words.append('-v "$PWD:/work" -w /work -u "$(id -u):$(id -g)" -e HOME=/tmp')
    words.append(shlex.quote(plan.image_name))
    if cli and plan.entrypoint[-1:] != ("--",):  # the program after tini: arguments reach it
        words.append("--help")
    return " ".join(words)
