"""Wheel caches keyed by what a source build links against.

What it does
    Gives the build's pip and uv cache mounts (``--mount=type=cache,target=/root/.cache/uv``) an
    ``id`` made of the stage's base image and the Debian packages it installs
    (``id=uv-<digest>``): a stage with other system libraries gets a cache of its own.

Why is this bad?
    pip and uv keep the wheel they built from an sdist under the sdist's hash and the interpreter's
    tags, not the system libraries the build found. A BuildKit cache mount outlives the build, so
    after a change of those libraries the next build installs the old wheel: uWSGI built before
    ``libpcre2-dev`` was in the builder stayed without routing (``!!! no internal routing support``,
    its ``route`` headers ignored) until the cache was pruned, and a base moved from bookworm to
    trixie with the same Python minor would install wheels linked against the old release's
    libraries (an ``ImportError`` on a missing ``.so`` at start).

Example
    ``RUN --mount=type=cache,target=/root/.cache/uv uv pip install ...`` in a builder whose apt
    packages changed.

Use instead
    ``RUN --mount=type=cache,id=uv-3f1c0a9b2d4e,target=/root/.cache/uv uv pip install ...``: the
    same id for the same base and packages (every project on them shares the cache), a new one when
    either changes. Downloaded wheels are fetched once more then, built ones rebuilt.
"""

from __future__ import annotations

import dataclasses
import hashlib
import re

from dockwright.plan.common import PIP_CACHE
from dockwright.plan.installer import UV_CACHE
from dockwright.plan.model import BuildPlan, Step

_CACHES = {UV_CACHE: "uv", PIP_CACHE: "pip"}
_MOUNT = re.compile(r"^--mount=type=cache,target=(?P<target>[^,\s]+)$")
_APT_INSTALL = re.compile(r"\bapt-get\b[^&|;]*?\binstall\b(?P<args>[^&|;]*)")


def apply(plan: BuildPlan) -> BuildPlan:
    """``plan`` with every wheel cache mount of the builder and the side stages keyed (see the module)."""
    builder_apt = [p.name for p in plan.builder_apt]
    builder = _keyed(plan.builder_steps, plan.builder_image, builder_apt)
    sides = tuple(
        dataclasses.replace(stage, steps=_keyed(stage.steps, stage.image, [])) for stage in plan.side_stages
    )
    return dataclasses.replace(plan, builder_steps=builder, side_stages=sides)


def cache_id(tool: str, image: str, packages: list[str]) -> str:
    """The cache mount's id for a stage on ``image`` with the Debian ``packages`` installed."""
    key = "\n".join([image, *sorted(set(packages))])
    return f"{tool}-{hashlib.sha256(key.encode()).hexdigest()[:12]}"


def _keyed(steps: tuple[Step, ...], image: str, apt: list[str]) -> tuple[Step, ...]:
    packages = [*apt, *(p for step in steps for p in _installed(step))]
    out = []
    for step in steps:
        flags = tuple(_with_id(flag, image, packages) for flag in step.flags)
        out.append(step if flags == step.flags else dataclasses.replace(step, flags=flags))
    return tuple(out)


def _with_id(flag: str, image: str, packages: list[str]) -> str:
    match = _MOUNT.match(flag)
    tool = _CACHES.get(match.group("target")) if match else None
    if match is None or tool is None:
        return flag
    return f"--mount=type=cache,id={cache_id(tool, image, packages)},target={match.group('target')}"


def _installed(step: Step) -> list[str]:
    """The Debian packages a RUN step's ``apt-get install`` lines name."""
    if step.instruction != "RUN":
        return []
    words = []
    for command in step.args:
        for found in _APT_INSTALL.finditer(command):
            words += [w for w in found.group("args").split() if not w.startswith("-")]
    return words
