"""The app's own source is compiled at build time only when there is enough of it (plan/app_bytecode.py)."""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

from tests.plan.facts_factory import make_facts

from dockwright.plan.app_bytecode import COMPILE_FROM_BYTES, STEP
from dockwright.plan.strategies.base import PlanOptions
from dockwright.plan.strategies.slim import SlimStrategy
from dockwright.project.facts import Fact, ProjectFacts, SourceSize
from dockwright.project.source_size import detect_source_size
from dockwright.project.tree import ProjectTree


def _with_source(facts: ProjectFacts, modules: int, size: int) -> ProjectFacts:
    layout = dataclasses.replace(facts.layout, source_size=Fact(SourceSize(modules, size)))
    return dataclasses.replace(facts, layout=layout)


def _runs(plan_steps: tuple[object, ...]) -> list[str]:
    return [" ".join(step.args) for step in plan_steps if step.instruction == "RUN"]  # type: ignore[attr-defined]


def test_small_app_skips_the_compile_step_and_says_why() -> None:
    plan = SlimStrategy().plan(_with_source(make_facts(), 3, 4_000), PlanOptions())
    assert STEP not in _runs(plan.runtime_steps)
    decision = next(d for d in plan.decisions if d.topic == "app-bytecode")
    assert decision.choice == "compiled at import"
    assert "3 modules, 3.9 kB" in decision.reason
    assert any(e.name == "PYTHONDONTWRITEBYTECODE" and e.value == "1" for e in plan.runtime_env)


def test_big_app_compiles_after_its_source_copy() -> None:
    plan = SlimStrategy().plan(_with_source(make_facts(), 400, COMPILE_FROM_BYTES), PlanOptions())
    steps = list(plan.runtime_steps)
    at = next(i for i, s in enumerate(steps) if s.instruction == "RUN" and s.args == (STEP,))
    before = [s for s in steps[:at] if s.instruction != "ARG"]  # ARG SOURCE_DATE_EPOCH: before the first RUN
    assert before[-1].instruction == "COPY"
    assert next(d for d in plan.decisions if d.topic == "app-bytecode").choice == "compiled at build time"


def test_bytecode_none_never_compiles_the_app() -> None:
    facts = _with_source(make_facts(), 400, 10 * COMPILE_FROM_BYTES)
    plan = SlimStrategy().plan(facts, PlanOptions(bytecode="none"))
    assert STEP not in _runs(plan.runtime_steps)
    assert next(d for d in plan.decisions if d.topic == "app-bytecode").choice == "none"


def test_source_size_counts_the_copied_modules_only(tmp_path: Path) -> None:
    (tmp_path / "app.py").write_text("x = 1\n")
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "mod.py").write_text("y = 2\n" * 10)
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "test_app.py").write_text("z = 3\n" * 100)
    (tmp_path / ".venv").mkdir()
    (tmp_path / ".venv" / "big.py").write_text("w = 4\n" * 1000)
    size = detect_source_size(ProjectTree(tmp_path), ("tests",))
    assert size.value == SourceSize(2, 6 + 60)
    assert size.evidence[0].detail == "2 Python modules, 66 bytes, tests/ left out"


def test_uv_strategy_follows_the_same_rule(tmp_path: Path) -> None:
    from dockwright import api

    project = tmp_path / "fastapi-uv"
    shutil.copytree(Path(__file__).resolve().parents[2] / "examples" / "fastapi-uv", project)
    small = api.plan(project, strategy="uv")
    assert STEP not in _runs(small.runtime_steps)
    assert next(d for d in small.decisions if d.topic == "app-bytecode").choice == "compiled at import"
    (project / "generated_tables.py").write_text("TABLE = [\n" + "    'x' * 64,\n" * 12_000 + "]\n")
    big = api.plan(project, strategy="uv")
    steps = list(big.runtime_steps)
    at = next(i for i, s in enumerate(steps) if s.instruction == "RUN" and s.args == (STEP,))
    before = [s for s in steps[:at] if s.instruction != "ARG"]  # ARG SOURCE_DATE_EPOCH: before the first RUN
    assert before[-1].instruction == "COPY"
    assert next(d for d in big.decisions if d.topic == "app-bytecode").choice == "compiled at build time"
