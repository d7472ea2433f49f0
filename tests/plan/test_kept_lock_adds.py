"""A kept lock (its source unchanged) is resolved again when a start's addition names a release range its
pin does not meet (``gunicorn<26`` beside a kept ``gunicorn==27``), not only when the name is missing."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from dockwright.initialize import generated_locks, plan_project
from dockwright.lock.compile import CompileOptions
from dockwright.plan.model import BuildPlan


def _lock(root: Path, plan: BuildPlan, wheel_index: Path) -> str:
    plan = dataclasses.replace(plan, files=tuple(f for f in plan.files if f.kind != "build-lock"))
    options = CompileOptions(find_links=(str(wheel_index),), no_index=True)
    found = generated_locks(root, plan, compile_options=options)
    return next(f for f in found if f.path == "requirements.lock").content


def test_a_kept_pin_outside_an_added_range_is_resolved_again(tmp_path: Path, wheel_index: Path) -> None:
    (tmp_path / "requirements.txt").write_text("alpha\n")
    (tmp_path / "main.py").write_text("import alpha\n\nif __name__ == '__main__':\n    print(alpha)\n")
    first = _lock(tmp_path, plan_project(tmp_path, {}), wheel_index)
    assert "alpha==1.1" in first
    (tmp_path / "requirements.lock").write_text(first)
    plan = plan_project(tmp_path, {})
    assert not plan.lock.stale
    # what a start naming a release range adds (dropped_workers.py: gunicorn<26), on our own fixture
    plan = dataclasses.replace(plan, lock=dataclasses.replace(plan.lock, adds=("alpha<1.1",)))
    again = _lock(tmp_path, plan, wheel_index)
    assert "alpha==1.0" in again and "alpha==1.1" not in again
