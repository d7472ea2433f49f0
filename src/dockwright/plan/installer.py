"""Which installer fills the slim family's venv: uv, bind-mounted from its image, or the base image's pip.

uv installs a hash-locked set several times faster than pip (measured on examples/flask-requirements
with an empty cache: 0.11 s to resolve and download and 0.25 s of bytecode, where pip's install took
1.3-1.75 s), taken the way uv's Docker guide shows: the static binary bind-mounted from
``ghcr.io/astral-sh/uv:<version>`` for the one step, so no layer of any stage holds it. The version is
the ``uv==`` pin of ``data/support/tools-uv.txt``, the one source of truth dockwright tests with.

pip stays where uv cannot serve, said in decision ``installer``:

- a private index is in play (plan/private_index.py): its ``pipconf`` secret is a pip.conf, which uv
  never reads;
- the hash-locked requirements file has option lines only pip reads (project/pip_options.py).

A package app's locked build backend installs with the same choice (slim's ``app_wheel_steps``); its
wheel is built and installed under ``--root`` by pip (uv has no ``--root``).
"""

from __future__ import annotations

import functools
import re
from importlib import resources

from dockwright.plan import common, private_index
from dockwright.plan.model import BuildPlan, Decision, EnvVar, Step
from dockwright.plan.strategies.base import PlanOptions
from dockwright.project.facts import ProjectFacts

TOPIC = "installer"
UV_IMAGE_REPOSITORY = "ghcr.io/astral-sh/uv"
UV_TOOLS = "tools-uv.txt"
UV_CACHE = "/root/.cache/uv"
UV_CACHE_MOUNT = f"--mount=type=cache,target={UV_CACHE}"
UV_BIN = "/usr/local/bin/uv"

UV_ENV = (
    EnvVar("UV_LINK_MODE", "copy", "the cache is a mount: copy files out of it instead of hard-linking"),
    EnvVar("UV_PYTHON_DOWNLOADS", "never", "use the image's pinned interpreter, never a downloaded one"),
)


@functools.cache
def uv_version() -> str:
    """The ``uv==`` pin of dockwright's tested uv (``data/support/tools-uv.txt``)."""
    text = resources.files("dockwright.plan").joinpath(f"data/support/{UV_TOOLS}").read_text("utf-8")
    match = re.search(r"^uv==(\S+)", text, re.MULTILINE)
    if match is None:  # a packaging error, never the user's input
        raise RuntimeError(f"dockwright's {UV_TOOLS} pins no uv version")
    return match.group(1)


def uv_image() -> str:
    return f"{UV_IMAGE_REPOSITORY}:{uv_version()}"


def uv_bin_mount() -> str:
    """uv's binary for one RUN step, read-only from its image: in no layer of any stage."""
    # type=bind spelled out: Buildah 1.28 (Podman 4.3) reads a bare `from=` image as a stage name
    return f"--mount=type=bind,from={uv_image()},source=/uv,target={UV_BIN}"


def uses_uv(facts: ProjectFacts, options: PlanOptions) -> tuple[bool, Decision]:
    """Whether the venv fills with uv (else the base image's pip), and why."""
    if private_index.in_play(facts, options):
        return False, Decision(
            TOPIC,
            "pip",
            "a private index is in play (decision private-index): its BuildKit secret is a pip.conf, "
            "which uv does not read, so the base image's pip installs with it",
        )
    rejected = facts.dependencies.pip_only_options
    if rejected:
        shown = ", ".join(f"{e.detail} ({e.file}:{e.line})" for e in rejected)
        return False, Decision(
            TOPIC,
            "pip",
            f"the lock has option lines uv does not read as pip does: {shown}; installed with pip as written",
        )
    return True, Decision(
        TOPIC,
        f"uv {uv_version()}",
        f"`uv pip install --require-hashes` installs the locked set several times faster than pip (parallel "
        "downloads and installs, bytecode compiled in parallel; hash-based .pyc under SOURCE_DATE_EPOCH as "
        f"pip's); the binary is bind-mounted from {uv_image()} for that one step (uv's Docker guide), so "
        f"no layer holds it; version from dockwright's tested pin ({UV_TOOLS})",
    )


def planned_uv(plan: BuildPlan) -> bool:
    """Whether ``plan``'s strategy chose uv (decision ``installer``): for the passes that add installs."""
    decision = plan.decision(TOPIC)
    return decision is not None and decision.choice.startswith("uv")


def system_install(requirements: str, why: str, *, use_uv: bool) -> Step:
    """A build tool's hash-locked set (a build backend) into the stage's own interpreter: with uv
    (mounted for the step, no bytecode: the stage never ships it), else with the base image's pip."""
    if not use_uv:
        return Step(
            "RUN",
            (f"pip install --require-hashes --no-deps -r {requirements}",),
            flags=(common.PIP_CACHE_MOUNT, common.PIP_SECRET_MOUNT),
            why=why,
        )
    return Step(
        "RUN",
        (f"uv pip install --system --no-compile-bytecode --require-hashes --no-deps -r {requirements}",),
        flags=(UV_CACHE_MOUNT, uv_bin_mount()),
        why=f"{why}; uv mounted for this step only",
    )
