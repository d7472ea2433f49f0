"""#16 item 7: every stage that runs commands declares ARG SOURCE_DATE_EPOCH, before its first RUN."""

from __future__ import annotations

from pathlib import Path

import pytest

from dockwright.dockerfile.parser import parse
from dockwright.plan.model import Step
from dockwright.plan.planner import STRATEGIES, make_plan
from dockwright.plan.reproducible import ARG_NAME, declare_epoch
from dockwright.plan.strategies.base import PlanOptions
from dockwright.project.detect import detect_project
from dockwright.render.render import render_files

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def test_the_arg_goes_before_the_first_run_and_only_once() -> None:
    copy, run = Step("COPY", ("a", "./")), Step("RUN", ("true",))
    steps = declare_epoch((copy, run, run))
    assert [s.instruction for s in steps] == ["COPY", "ARG", "RUN", "RUN"]
    assert steps[1].args == (ARG_NAME,)
    assert declare_epoch(steps) == steps
    assert declare_epoch((copy,)) == (copy,), "a stage without RUN needs no epoch"


def _stages(text: str) -> list[list[str]]:
    """Each stage's instructions as 'KEYWORD args' strings, in order."""
    stages: list[list[str]] = []
    for instruction in parse(text).instructions:
        if instruction.keyword == "FROM":
            stages.append([])
        elif stages:
            stages[-1].append(f"{instruction.keyword} {instruction.value.strip()}")
    return stages


@pytest.mark.parametrize("example", ["flask-requirements", "psycopg2-source", "cli-setuptools"])
def test_every_stage_that_runs_commands_declares_the_epoch_first(example: str) -> None:
    plan = make_plan(detect_project(EXAMPLES / example))
    text = next(f.content for f in render_files(plan) if f.path == "Dockerfile")
    for stage in _stages(text):
        runs = [i for i, line in enumerate(stage) if line.startswith("RUN ")]
        if not runs:
            continue
        declared = [i for i, line in enumerate(stage) if line == f"ARG {ARG_NAME}"]
        assert declared and declared[0] < runs[0], stage
    decision = plan.decision("reproducible")
    assert decision is not None and "no cache key" in decision.reason


def test_standalone_strategies_declare_it_too() -> None:
    facts = detect_project(EXAMPLES / "cli-setuptools")
    for strategy in STRATEGIES:
        if not strategy.applies(facts).ok:
            continue
        plan = make_plan(facts, PlanOptions(strategy=strategy.name))
        stages = [plan.builder_steps, plan.runtime_steps, *(s.steps for s in plan.side_stages)]
        for steps in stages:
            if any(s.instruction == "RUN" for s in steps):
                assert Step("ARG", (ARG_NAME,)).args in [s.args for s in steps], strategy.name


def test_a_compiling_builder_leaves_out_debug_info_and_runtime_apt_its_dated_logs() -> None:
    plan = make_plan(detect_project(EXAMPLES / "psycopg2-source"))
    assert ("CFLAGS", "-g0") in [(e.name, e.value) for e in plan.builder_env]
    assert plan.decision("reproducible-extensions") is not None
    base = next(s for s in plan.side_stages if s.name == "base")  # the trimmed base holds it
    runtime_apt = [
        s
        for s in (*plan.runtime_steps, *base.steps)
        if any("install -y --no-install-recommends" in a for a in s.args)
    ]
    assert runtime_apt and all(any("/var/log/dpkg.log" in a for a in s.args) for s in runtime_apt)
    wheels_only = make_plan(detect_project(EXAMPLES / "flask-requirements"))
    assert "CFLAGS" not in {e.name for e in wheels_only.builder_env}
