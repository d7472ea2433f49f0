"""Reproducible builds: every stage that runs commands declares ``ARG SOURCE_DATE_EPOCH``.

BuildKit hands a ``RUN`` step the ``SOURCE_DATE_EPOCH`` build arg only where the stage declares it.
Declared, the tools inside the step honour it: Python writes hash-based ``.pyc`` (PEP 552; pip's
install-time compile and ``compileall``) instead of ones stamped with the source's mtime, shadow's
``useradd`` dates ``/etc/shadow`` with it, and wheel/zip builders (setuptools, PyInstaller, shiv) clamp
their archive timestamps. ``dockwright build --reproducible`` passes the last commit's time; a plain
build passes nothing, and an ARG without a value changes neither the steps' environment nor their cache
keys. With a value, the steps after the ARG rebuild when it changes (each commit): the price of a
reproducible build, paid only by ``--reproducible`` (docs/scaling.md shows how to keep the dependency
layers cached by dating the build with the lock's commit instead).

The ARG goes right before a stage's first ``RUN``, so the ``COPY`` steps above it keep their cache.

Where the builder compiles C (a dependency without a wheel), it also has ``CFLAGS=-g0`` (slim sets it for
size, :data:`~dockwright.plan.common.NO_DEBUG_INFO_ENV`; other strategies get it here): pip builds an
sdist in a random ``/tmp/pip-install-*`` directory, and ``-g`` (in Python's own CFLAGS) writes that path
into the extension's debug info and so into its GNU build-id; measured on psycopg2 2.9.10, two builds of
one commit differed there and only there. Without debug info the extension is also smaller.
"""

from __future__ import annotations

import dataclasses

from dockwright.plan.common import NO_DEBUG_INFO_ENV
from dockwright.plan.model import BuildPlan, Decision, Step

ARG_NAME = "SOURCE_DATE_EPOCH"
WHY = "`dockwright build --reproducible` sets it (hash-based .pyc, fixed dates); unset, no cache key changes"


COMPILERS = frozenset({"build-essential", "gcc", "g++", "clang"})


def epoch_step() -> Step:
    return Step("ARG", (ARG_NAME,), why=WHY)


def declare_epoch(steps: tuple[Step, ...]) -> tuple[Step, ...]:
    """``steps`` with ``ARG SOURCE_DATE_EPOCH`` before the first RUN (unchanged without a RUN)."""
    first_run = next((i for i, step in enumerate(steps) if step.instruction == "RUN"), None)
    if first_run is None or any(s.instruction == "ARG" and s.args == (ARG_NAME,) for s in steps):
        return steps
    return (*steps[:first_run], epoch_step(), *steps[first_run:])


def apply(plan: BuildPlan) -> BuildPlan:
    """The plan with every stage that runs commands declaring the epoch, and the decision saying why."""
    side_stages = tuple(dataclasses.replace(s, steps=declare_epoch(s.steps)) for s in plan.side_stages)
    builder_steps = declare_epoch(plan.builder_steps)
    runtime_steps = declare_epoch(plan.runtime_steps)
    stages = [s.name for s, new in zip(plan.side_stages, side_stages, strict=True) if new.steps != s.steps]
    stages += [
        name
        for name, old, new in (
            ("builder", plan.builder_steps, builder_steps),
            ("runtime", plan.runtime_steps, runtime_steps),
        )
        if new != old
    ]
    decisions = list(plan.decisions)
    if stages:
        decisions.append(
            Decision(
                "reproducible",
                f"ARG {ARG_NAME} in {', '.join(stages)}",
                "BuildKit gives RUN steps the build's SOURCE_DATE_EPOCH only where the stage declares "
                "it; with it Python writes hash-based .pyc and useradd/wheel builders clamp dates, so two "
                "`dockwright build --reproducible` runs of one commit produce the same layers; unset in "
                "other builds, where it changes no cache key",
            )
        )
    builder_env = plan.builder_env
    compiles = any(a.name in COMPILERS for a in plan.builder_apt)
    if compiles:
        if "CFLAGS" not in {e.name for e in builder_env}:  # slim sets it already (smaller extensions)
            builder_env = (*builder_env, *NO_DEBUG_INFO_ENV)
        decisions.append(
            Decision(
                "reproducible-extensions",
                "CFLAGS=-g0 in the builder",
                "pip builds each sdist in a random /tmp/pip-install-* directory and -g (Python's CFLAGS) "
                "writes it into the extension's debug info and build-id, so two builds of one commit "
                "would differ; without debug info they match, and the extension is smaller",
            )
        )
    if len(decisions) == len(plan.decisions):
        return plan
    return dataclasses.replace(
        plan,
        side_stages=side_stages,
        builder_env=builder_env,
        builder_steps=builder_steps,
        runtime_steps=runtime_steps,
        decisions=tuple(decisions),
    )
