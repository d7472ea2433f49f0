"""The plan hands the stale-lock reason on as a field of its lock (``LockPlan.stale_reason``): set once
where the warning is made (initialize.with_staleness), serialized in ``plan --json``, and read by
``build`` (lock/stale.py) and by ``init`` (the warning dropped once the lock is resolved again)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from dockwright.initialize import init_project, plan_project
from dockwright.lock.compile import CompileOptions
from dockwright.lock.stale import FIX, LOCK_ONLY, stale_lock
from fake_compile import FakeResolver

CLI = {"start": "python app.py"}


@pytest.fixture
def project(tmp_path: Path, fake_resolver: FakeResolver) -> Path:
    root = tmp_path / "app"
    root.mkdir()
    (root / "requirements.txt").write_text("alpha==1.0\n", encoding="utf-8")
    (root / "app.py").write_text("import alpha\n", encoding="utf-8")
    init_project(root, CLI, env={}, compile_options=CompileOptions(no_index=True))
    return root


def test_a_fresh_lock_has_no_reason(project: Path) -> None:
    plan = plan_project(project, CLI, env={})
    assert not plan.lock.stale and plan.lock.stale_reason is None
    assert plan.to_dict()["lock"]["stale_reason"] is None


def test_the_reason_is_the_warning_and_in_the_json(project: Path) -> None:
    (project / "requirements.txt").write_text("alpha==1.0\nbeta==2.0\n", encoding="utf-8")
    plan = plan_project(project, CLI, env={})
    reason = plan.lock.stale_reason
    assert plan.lock.stale and reason is not None and reason in plan.warnings
    assert reason.startswith("requirements.lock is stale: requirements.txt changed")
    assert plan.to_dict()["lock"]["stale_reason"] == reason


def test_build_takes_the_plans_reason_as_it_is(project: Path) -> None:
    (project / "requirements.txt").write_text("alpha==1.0\nbeta==2.0\n", encoding="utf-8")
    plan = plan_project(project, CLI, env={})
    worded = dataclasses.replace(plan.lock, stale_reason="requirements.lock is stale: a made-up reason")
    found = stale_lock(project, dataclasses.replace(plan, lock=worded))
    assert found is not None and found.fix == LOCK_ONLY
    assert found.reason.startswith("requirements.lock is stale: a made-up reason")


def test_a_plan_without_the_reason_has_it_worked_out_from_the_header(project: Path) -> None:
    (project / "requirements.txt").write_text("alpha==1.0\nbeta==2.0\n", encoding="utf-8")
    plan = plan_project(project, CLI, env={})
    bare = dataclasses.replace(plan, lock=dataclasses.replace(plan.lock, stale_reason=None), warnings=())
    found = stale_lock(project, bare)
    assert found is not None and found.fix == LOCK_ONLY
    assert found.reason.startswith("requirements.lock is stale: requirements.txt changed")
    assert found.fix != FIX


def test_init_drops_the_warning_once_the_lock_is_resolved_again(project: Path) -> None:
    (project / "requirements.txt").write_text("alpha==1.0\nbeta==2.0\n", encoding="utf-8")
    result = init_project(project, CLI, env={}, force=True, compile_options=CompileOptions(no_index=True))
    assert result.plan.lock.stale_reason is not None
    assert result.plan.lock.stale_reason not in result.plan.warnings
    assert plan_project(project, CLI, env={}).lock.stale_reason is None
