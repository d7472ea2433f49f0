"""What ``init`` prints after writing: the commands a user runs next, derived from the plan."""

from __future__ import annotations

import os
import re
import shlex
from pathlib import Path

from dockwright.plan.model import BuildPlan

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
    ]
