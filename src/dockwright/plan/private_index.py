"""The ``pipconf`` secret mount (a private index's pip.conf) only where a private index is in play.

Strategies mount BuildKit secret ``pipconf`` (:data:`~dockwright.plan.common.PIP_SECRET_MOUNT`) on
every pip step that reaches an index. That mount has a price even when no secret is passed: before
BuildKit v0.16 (Docker < 27.3, e.g. Debian 13's docker.io 26.1) an exec step with a secret mount first
computes a content hash over the stage's whole root filesystem (moby/buildkit ab17c1dd, fixed by
3c87ba1/157efce; docker/cli#5088), measured here at 0.6 s on a slim base and 1.5 s after
``apt-get install build-essential``, per step, on every cold build. So this pass keeps the mount only
when the project shows a private index is in play, and says why in decision ``private-index``:

- the user's choice: ``[tool.dockwright] private-index = true|false``, ``DOCKWRIGHT_PRIVATE_INDEX``,
  ``init``/``plan --private-index``/``--no-private-index`` (``dockwright build --index-url`` turns it on);
- else the project's own files: indexes other than PyPI its requirements, manager tables or lock name
  (:mod:`dockwright.project.indexes`), or a pip.conf/pip.ini/uv.toml naming one
  (:mod:`dockwright.project.index_config`). Never the values of the environment: the Dockerfile is the
  same for everyone who runs ``init`` on the repository.

A header line after the build command says how to pass the secret, or how to turn the mount on.
"""

from __future__ import annotations

import dataclasses

from dockwright.plan.common import BUILD_LINE, PIP_SECRET_ID, PIP_SECRET_MOUNT
from dockwright.plan.model import BuildPlan, Decision, SideStage, Step
from dockwright.plan.strategies.base import PlanOptions
from dockwright.project.facts import ProjectFacts

TOPIC = "private-index"
HEADER_ON = (
    f"Private index: add --secret id={PIP_SECRET_ID},src=pip.conf (never lands in a layer), "
    "or `dockwright build --index-url URL`."
)
HEADER_OFF = (
    "Private index: `dockwright init --force --private-index` adds the secret mount "
    f"(then --secret id={PIP_SECRET_ID},src=pip.conf)."
)
_ORIGINS = {
    "env": "DOCKWRIGHT_PRIVATE_INDEX",
    "pyproject": "[tool.dockwright] private-index",
}
_HOW = f"pass it with --secret id={PIP_SECRET_ID},src=pip.conf, or `dockwright build --index-url URL`"
_COST = (
    "a secret mount costs each step a content hash of the whole root filesystem on Docker < 27.3 "
    "(BuildKit < 0.16, moby/buildkit ab17c1dd; ~0.6-1.5 s a step, with or without the secret)"
)


def in_play(facts: ProjectFacts, options: PlanOptions) -> bool:
    """Whether the install steps need the ``pipconf`` secret (what :func:`decide` says)."""
    return decide_for(facts, options).choice == "on"


def decide(plan: BuildPlan, options: PlanOptions) -> Decision:
    """Whether the pip steps mount ``pipconf``, and why (the user's choice, else the project's files)."""
    return decide_for(plan.facts, options)


def decide_for(facts: ProjectFacts, options: PlanOptions) -> Decision:
    """:func:`decide` from the facts alone: a strategy picks its installer with it before planning."""
    if options.private_index is not None:
        origin = dict(options.origins).get("private_index", "")
        if options.private_index:
            where = _ORIGINS.get(origin, "--private-index")
            mounts = f"each pip install step mounts secret '{PIP_SECRET_ID}'"
            return Decision(TOPIC, "on", f"asked for ({where}); {mounts}: {_HOW}")
        where = f"{_ORIGINS[origin]} = false" if origin in _ORIGINS else "--no-private-index"
        return Decision(TOPIC, "off", f"asked for ({where}); {_COST}")
    deps = facts.dependencies
    evidence = [f"{index.url} [{index.evidence}]" for index in deps.indexes]
    evidence += [str(where) for where in deps.index_config]
    if evidence:
        return Decision(
            TOPIC,
            "on",
            f"the project installs from another index: {'; '.join(evidence)}; each pip install step mounts "
            f"BuildKit secret '{PIP_SECRET_ID}' for the pip.conf that reaches it: {_HOW} (turn off with "
            "[tool.dockwright] private-index = false)",
        )
    return Decision(
        TOPIC,
        "off",
        "no index other than PyPI in the project (requirements options, uv/Poetry/PDM/Pipenv index "
        f"tables, the lock, pip.conf/pip.ini/uv.toml); {_COST}; turn on with --private-index or "
        "[tool.dockwright] private-index = true",
    )


def apply(plan: BuildPlan, options: PlanOptions) -> BuildPlan:
    """``plan`` with the ``pipconf`` mount kept or dropped, the header line, and the decision; a plan
    that mounts no ``pipconf`` (the uv strategy: uv reads no pip.conf) is returned unchanged, unless
    its installer is uv because no private index is in play (then the line says how to turn it on)."""
    planned = any(secret == PIP_SECRET_ID for secret, _ in plan.secrets) or any(
        PIP_SECRET_MOUNT in step.flags for step in _all_steps(plan)
    )
    installer = plan.decision("installer")  # plan/installer.py: uv, chosen because no index is in play
    if not planned and not (installer is not None and installer.choice.startswith("uv")):
        return plan
    decision = decide(plan, options)
    on = decision.choice == "on"
    header = _with_line(plan.header, HEADER_ON if on else HEADER_OFF)
    if on:
        return dataclasses.replace(plan, header=header, decisions=(*plan.decisions, decision))
    return dataclasses.replace(
        plan,
        builder_steps=_without_mount(plan.builder_steps),
        runtime_steps=_without_mount(plan.runtime_steps),
        side_stages=tuple(_stage_without_mount(stage) for stage in plan.side_stages),
        secrets=tuple(item for item in plan.secrets if item[0] != PIP_SECRET_ID),
        header=header,
        decisions=(*plan.decisions, decision),
    )


def _with_line(header: tuple[str, ...], line: str) -> tuple[str, ...]:
    """``header`` with ``line`` right after the build command (the end when it has none)."""
    at = next((i + 1 for i, text in enumerate(header) if text.startswith(BUILD_LINE)), len(header))
    return (*header[:at], line, *header[at:])


def _all_steps(plan: BuildPlan) -> tuple[Step, ...]:
    side = tuple(step for stage in plan.side_stages for step in stage.steps)
    return (*plan.builder_steps, *plan.runtime_steps, *side)


def _without_mount(steps: tuple[Step, ...]) -> tuple[Step, ...]:
    return tuple(
        dataclasses.replace(step, flags=tuple(f for f in step.flags if f != PIP_SECRET_MOUNT))
        if PIP_SECRET_MOUNT in step.flags
        else step
        for step in steps
    )


def _stage_without_mount(stage: SideStage) -> SideStage:
    return dataclasses.replace(stage, steps=_without_mount(stage.steps))
