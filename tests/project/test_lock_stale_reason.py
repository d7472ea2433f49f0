"""The plan hands the stale-lock reason on as a field of its lock (``LockPlan.stale_reason``): set once
where the warning is made (initialize.with_staleness), serialized in ``plan --json``, and read by
``build`` (lock/stale.py) and by ``init`` (the warning dropped once the lock is resolved again)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from dockwright.errors import PlanError
from dockwright.initialize import init_project, plan_project
from dockwright.lock.compile import CompileOptions
from dockwright.lock.stale import FIX, LOCK_ONLY, stale_lock
from dockwright.render.render import render_files
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


def test_the_cause_is_a_field_of_its_own(project: Path) -> None:
    (project / "requirements.txt").write_text("alpha==1.0\nbeta==2.0\n", encoding="utf-8")
    plan = plan_project(project, CLI, env={})
    assert plan.lock.stale_cause == "inputs"
    assert plan.to_dict()["lock"]["stale_cause"] == "inputs"
    assert plan_project(project, {**CLI, "python": "3.12"}, env={}).lock.stale_cause == "inputs"


def test_build_takes_the_command_from_the_cause_not_the_wording(project: Path) -> None:
    (project / "requirements.txt").write_text("alpha==1.0\nbeta==2.0\n", encoding="utf-8")
    plan = plan_project(project, CLI, env={})
    # a reason worded like the other-Python one, but the plan decided the inputs changed
    worded = dataclasses.replace(
        plan.lock, stale_reason="requirements.lock is stale: it was resolved for CPython 3.9.1 (made up)"
    )
    found = stale_lock(project, dataclasses.replace(plan, lock=worded))
    assert found is not None and found.fix == LOCK_ONLY
    python = dataclasses.replace(
        plan.lock, stale_reason="requirements.lock: a made-up reason", stale_cause="python"
    )
    found = stale_lock(project, dataclasses.replace(plan, lock=python))
    assert found is not None and found.fix == FIX and found.reason == "requirements.lock: a made-up reason"


@pytest.fixture
def for_older(tmp_path: Path, fake_resolver: FakeResolver) -> Path:
    """A project whose lock and Dockerfile were written for Python 3.12, planned now for the default."""
    root = tmp_path / "older"
    root.mkdir()
    (root / "requirements.txt").write_text("alpha==1.0\n", encoding="utf-8")
    (root / "app.py").write_text("import alpha\n", encoding="utf-8")
    init_project(root, {**CLI, "python": "3.12"}, env={}, compile_options=CompileOptions(no_index=True))
    return root


def test_another_python_is_the_python_cause(for_older: Path) -> None:
    plan = plan_project(for_older, CLI, env={})
    assert not plan.python_version.startswith("3.12.")
    assert plan.lock.stale_cause == "python"
    assert plan.lock.stale_reason is not None and "it was resolved for CPython 3.12" in plan.lock.stale_reason
    found = stale_lock(for_older, plan)
    assert found is not None and found.fix == FIX


def test_init_lock_only_refuses_a_lock_for_another_python_beside_its_dockerfile(for_older: Path) -> None:
    before = (for_older / "requirements.lock").read_text(encoding="utf-8")
    with pytest.raises(PlanError) as refused:
        init_project(for_older, CLI, env={}, lock_only=True, compile_options=CompileOptions(no_index=True))
    message = str(refused.value)
    assert message.startswith("--lock-only: requirements.lock is stale: it was resolved for CPython 3.12")
    assert "run `dockwright init --force`" in message and "\n" not in message
    assert (for_older / "requirements.lock").read_text(encoding="utf-8") == before


@pytest.mark.parametrize("dockerfile", ["the new Python's", "none"])
def test_init_lock_only_goes_on_when_no_dockerfile_disagrees(for_older: Path, dockerfile: str) -> None:
    plan = plan_project(for_older, CLI, env={})
    if dockerfile == "none":
        (for_older / "Dockerfile").unlink()
    else:
        text = next(f.content for f in render_files(plan) if f.path == "Dockerfile")
        (for_older / "Dockerfile").write_text(text, encoding="utf-8")
    result = init_project(
        for_older, CLI, env={}, lock_only=True, compile_options=CompileOptions(no_index=True)
    )
    assert result.written
    lock = (for_older / "requirements.lock").read_text(encoding="utf-8")
    assert f"target: CPython {plan.python_version}," in lock
