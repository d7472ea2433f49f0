"""Node for a wheel build whose own hook runs npm (a frontend built into the package).

A hatch custom hook or a ``setup.py`` that runs ``npm``/``yarn``/``pnpm``/``node`` builds the frontend
while the backend builds the wheel (project/hatch_hooks.py). The stage that runs ``pip wheel`` is a
Python image without Node, so the hook stops ("npm is missing") and the image does not build. The
frontend stage cannot stand in for it: the hook decides where the output goes and builds it again when
it judges it stale.

So that one RUN gets Node without any layer holding it: the frontend stage's ``node`` image's
``/usr/local`` bind-mounted at a folder of its own (``mount`` in plan/data/buildsteps.toml) and first on
the PATH of the command, npm's cache in a cache mount, and the optional ``npmrc`` secret mounted where
npm reads its user config (a private or mirrored registry, never in a layer). The hook's
``npm install`` is the one part of the build that reaches the npm registry.

Applied by the planner after :mod:`dockwright.plan.buildsteps`, on the strategy's ``pip wheel`` step
(the wheel stage's, or the builder's when the builder has compilers).
"""

from __future__ import annotations

import dataclasses

from dockwright.plan.buildsteps import ignore_node_modules, node_image, npmrc_mount, table
from dockwright.plan.model import HOOK_NODE_TOPIC, BuildPlan, Decision, Step
from dockwright.project.buildsteps import managers

_WHEEL_COMMAND = "pip wheel "
TOPIC = HOOK_NODE_TOPIC


def mounts_node(plan: BuildPlan) -> bool:
    """Whether the plan's wheel build runs with Node mounted (its npm reads the ``npmrc`` secret)."""
    return any(d.topic == TOPIC for d in plan.decisions)


def _is_wheel_build(step: Step) -> bool:
    return step.instruction == "RUN" and any(_WHEEL_COMMAND in arg for arg in step.args)


def _with_node(step: Step, mount: str) -> Step:
    """``step`` with Node's tree mounted and first on the PATH of its ``pip wheel`` command."""
    args = tuple(f"PATH={mount}/bin:$PATH {a}" if _WHEEL_COMMAND in a else a for a in step.args)
    flags = (
        *step.flags,
        f"--mount=type=bind,from={node_image()},source=/usr/local,target={mount}",
        f"--mount=type=cache,target={table()['node']['npm_cache']}",
        npmrc_mount(managers()[0]),
    )
    why = (step.why + "; " if step.why else "") + (
        f"the build's hook runs Node programs: {node_image()}'s Node is mounted at {mount} for this step "
        "only (no layer holds it), npm's cache in a cache mount, a registry's .npmrc from the optional "
        "secret npmrc"
    )
    return dataclasses.replace(step, args=args, flags=flags, why=why)


def apply(plan: BuildPlan) -> BuildPlan:
    """The wheel build's RUN with Node mounted when the package's build hook runs npm or node."""
    hook = plan.facts.layout.node_run_by
    if hook is None or plan.app_install != "wheel":
        return plan
    mount = str(table()["node"]["mount"])
    builder = tuple(_with_node(s, mount) if _is_wheel_build(s) else s for s in plan.builder_steps)
    stages = tuple(
        dataclasses.replace(
            stage, steps=tuple(_with_node(s, mount) if _is_wheel_build(s) else s for s in stage.steps)
        )
        for stage in plan.side_stages
    )
    if builder == plan.builder_steps and stages == plan.side_stages:
        return plan
    decision = Decision(
        TOPIC,
        f"{node_image()} mounted at {mount} for the wheel build",
        f"{hook}: the stage that builds the wheel has no Node, so the hook would stop (npm missing); the "
        f"node image's /usr/local is bind-mounted for that one step and first on its PATH "
        f"({table()['node']['mount_source']}); the hook's npm install downloads from the npm registry at "
        "build time (a private or mirrored one: an .npmrc passed as BuildKit secret npmrc)",
    )
    ignore = ignore_node_modules(list(plan.dockerignore), "installed by the hook's npm in the wheel build")
    return dataclasses.replace(
        plan,
        builder_steps=builder,
        side_stages=stages,
        dockerignore=tuple(ignore),
        decisions=(*plan.decisions, decision),
    )
