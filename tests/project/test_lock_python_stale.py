"""A generated lock on disk resolved for another minor than the Python the plan chooses is stale,
with the index lookup off too: ``plan`` says so with the header's ``target:`` line as evidence, never
reads its pins for the native decision, and ``init --force`` resolves it again for the Python chosen."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from dockwright.initialize import init_project, plan_project
from dockwright.lock.header import other_python_reason
from dockwright.project.python_version import release_table
from dockwright.render.writer import WriteRefused

MakeProject = Callable[[dict[str, str | bytes]], Path]
TABLE = release_table()
DEFAULT = TABLE.latest[TABLE.default]
OLDER = TABLE.latest["3.12"]
FILES: dict[str, str | bytes] = {"requirements.txt": "alpha==1.0\n", "app.py": "print('hi')\n"}
CLI = {"start": "python app.py"}


def test_a_lock_for_another_minor_is_stale_with_its_target_line(
    make_project: MakeProject, resolved_for: list[str]
) -> None:
    root = make_project(FILES)
    init_project(root, {**CLI, "python": "3.12"}, env={})
    assert resolved_for == [OLDER]
    plan = plan_project(root, CLI, env={})  # no Python asked for: the default, the lookup off
    assert plan.python_version == DEFAULT and plan.lock.stale
    lines = (root / "requirements.lock").read_text(encoding="utf-8").splitlines()
    number = next(n for n, line in enumerate(lines, 1) if f"target: CPython {OLDER}," in line)
    expected = (
        f"requirements.lock is stale: it was resolved for CPython {OLDER} (requirements.lock:{number}), "
        f"and the plan chooses Python {DEFAULT} (dockwright init --force)"
    )
    assert expected in plan.warnings
    # init without --force will not replace the lock it resolves again; with it, it does
    with pytest.raises(WriteRefused, match=r"exists and differs"):
        init_project(root, CLI, env={})
    init_project(root, CLI, env={}, force=True)
    assert resolved_for[-1] == DEFAULT
    assert f"target: CPython {DEFAULT}," in (root / "requirements.lock").read_text(encoding="utf-8")
    again = plan_project(root, CLI, env={})
    assert not again.lock.stale and not any("stale" in w for w in again.warnings)


def test_a_lock_for_the_same_minor_stays_current(make_project: MakeProject, resolved_for: list[str]) -> None:
    root = make_project(FILES)
    init_project(root, {**CLI, "python": "3.12"}, env={})
    plan = plan_project(root, {**CLI, "python": "3.12.1"}, env={})  # another patch of the same minor
    assert plan.python_version == "3.12.1" and not plan.lock.stale
    assert not any("stale" in w for w in plan.warnings)
    assert len(resolved_for) == 1


def test_other_python_reason_reads_only_a_generated_lock_header(tmp_path: Path) -> None:
    (tmp_path / "requirements.lock").write_text("# method: uv-compile; target: CPython 3.11.9, x\nalpha==1\n")
    assert other_python_reason(tmp_path, "requirements.lock", "3.13.1") is None  # no dockwright-source line
    assert other_python_reason(tmp_path, "absent.lock", "3.13.1") is None
