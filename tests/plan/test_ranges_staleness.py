"""The package's own ranges a generated lock was resolved again with (lock/own_ranges.py) are part of its
staleness: the header's ``# dockwright-ranges:`` line carries their digest, and a change of the
declaration's lines for those names makes the lock stale (plan warns, build refuses, init resolves it
again). A lock written before the digest is judged by the quoted lines its ranges line names.
Examples of our own."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest
from shop_setup import SETUP_PY

from dockwright.initialize import generated_locks, plan_project
from dockwright.lock.generate import make_header
from dockwright.lock.header import read_header, requirements_digest, sha256_of

OFFLINE: dict[str, object] = {}

NAMED = "'alpha>=1' (setup.py:8) resolved beside requirements.txt (the package's own ranges)"


def _app(root: Path, ranges_line: str) -> Path:
    """An installed package whose requirements.txt lets alpha below the declared ``alpha>=1``, and the lock
    init wrote for it: resolved again with ``alpha>=1`` beside the file (``ranges_line``)."""
    (root / "requirements.txt").write_text("alpha>=0.5\nbeta\n")
    (root / "setup.py").write_text(SETUP_PY)
    (root / "shop").mkdir()
    (root / "shop" / "__init__.py").write_text("")
    (root / "shop" / "__main__.py").write_text("import alpha\nimport beta\n")
    plan = plan_project(root, OFFLINE)
    header = make_header(
        "requirements.txt", sha256_of(root / "requirements.txt"), "uv-compile", plan.python_version
    )
    body = "".join(f"{pin} \\\n    --hash=sha256:{'a' * 64}\n" for pin in ("alpha==1.1", "beta==2.0"))
    (root / "requirements.lock").write_text(header + ranges_line + body)
    return root


NEW = f"# dockwright-ranges: requirements-sha256={requirements_digest(['alpha>=1'])} {NAMED}\n"
OLD = f"# dockwright-ranges: {NAMED}\n"  # as init wrote it before the digest


@pytest.mark.parametrize("line", [NEW, OLD], ids=["digest", "before-the-digest"])
def test_unchanged_ranges_keep_the_lock_fresh(tmp_path: Path, line: str) -> None:
    root = _app(tmp_path, line)
    assert not plan_project(root, OFFLINE).lock.stale
    # the declaration moved (another line number) and another name's range changed: still fresh
    (root / "setup.py").write_text(
        SETUP_PY.replace('    version="1.0",\n', "").replace("beta>=2", "beta>=2.0")
    )
    plan = plan_project(root, OFFLINE)
    assert not plan.lock.stale, plan.lock.stale_reason
    (kept,) = [f for f in generated_locks(root, plan) if f.path == "requirements.lock"]
    assert kept.content == (root / "requirements.lock").read_text()  # kept, not resolved again


@pytest.mark.parametrize("line", [NEW, OLD], ids=["digest", "before-the-digest"])
@pytest.mark.parametrize("declared", ['"alpha>=1.1"', "\"alpha>=1; python_version >= '3'\"", None])
def test_a_changed_range_makes_the_lock_stale(tmp_path: Path, line: str, declared: str | None) -> None:
    root = _app(tmp_path, line)
    setup = SETUP_PY.replace('"alpha>=1",\n', "" if declared is None else f"{declared},\n")
    (root / "setup.py").write_text(setup)
    plan = plan_project(root, OFFLINE)
    assert plan.lock.stale and plan.lock.stale_cause == "inputs"
    assert plan.lock.stale_reason == (
        "requirements.lock is stale: the package's own ranges resolved again beside requirements.txt "
        "('alpha>=1') changed since it was generated (dockwright init --force)"
    )
    assert plan.lock.stale_reason in plan.warnings


def test_an_unreadable_line_from_before_the_digest_is_stale(tmp_path: Path) -> None:
    root = _app(tmp_path, "# dockwright-ranges: alpha>=1 (setup.py:8) resolved beside requirements.txt\n")
    assert plan_project(root, OFFLINE).lock.stale


def test_the_line_init_writes_carries_the_digest_of_the_lines() -> None:
    header = read_header(make_header("requirements.txt", "0" * 64, "uv-compile", "3.12.1") + NEW)
    assert header is not None and header.ranges == (requirements_digest(["alpha>=1"]), ("alpha>=1",))
    old = read_header(make_header("requirements.txt", "0" * 64, "uv-compile", "3.12.1") + OLD)
    assert old is not None and old.ranges == (None, ("alpha>=1",))
    assert re.search(r"requirements-sha256=[0-9a-f]{64} 'alpha>=1' \(setup\.py:8\)", NEW)


def test_init_resolves_a_lock_whose_ranges_changed_again(tmp_path: Path, wheel_index: Path) -> None:
    """End to end on the fixture index (alpha 1.0 and 1.1): the declared ``alpha==1.0`` pins the first lock
    to 1.0; declared ``alpha<1.1,>=1.0`` afterwards, the kept lock is stale and resolved again."""
    from dockwright.lock.compile import CompileOptions

    (tmp_path / "requirements.txt").write_text("alpha\nbeta\n")
    (tmp_path / "setup.py").write_text(SETUP_PY.replace('"alpha>=1"', '"alpha==1.0"'))
    (tmp_path / "shop").mkdir()
    (tmp_path / "shop" / "__init__.py").write_text("")
    (tmp_path / "shop" / "__main__.py").write_text("import alpha\n")
    options = CompileOptions(find_links=(str(wheel_index),), no_index=True)

    def lock_of(plan):  # type: ignore[no-untyped-def]
        plan = dataclasses.replace(plan, files=tuple(f for f in plan.files if f.kind != "build-lock"))
        return next(
            f
            for f in generated_locks(tmp_path, plan, compile_options=options)
            if f.path == "requirements.lock"
        )

    first = lock_of(plan_project(tmp_path, OFFLINE)).content
    assert "alpha==1.0" in first and "'alpha==1.0' (setup.py:8)" in first
    (tmp_path / "requirements.lock").write_text(first)
    assert not plan_project(tmp_path, OFFLINE).lock.stale
    (tmp_path / "setup.py").write_text(SETUP_PY.replace('"alpha>=1"', '"alpha<1.1,>=1.0"'))
    plan = plan_project(tmp_path, OFFLINE)
    assert plan.lock.stale and "('alpha==1.0') changed" in (plan.lock.stale_reason or "")
    again = lock_of(plan).content
    assert "alpha==1.0" in again and "'alpha<1.1,>=1.0' (setup.py:8)" in again
    (tmp_path / "requirements.lock").write_text(again)
    assert not plan_project(tmp_path, OFFLINE).lock.stale
