"""``--find-links ./wheels``: the install step bind-mounts the folder, the generated lock names it, the runtime
never carries it."""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Callable
from pathlib import Path

import pytest

from dockwright.initialize import init_project
from dockwright.lock.compile import CompileOptions
from dockwright.lock.generate import generate_lock, local_find_links
from dockwright.plan.model import LockPlan


def _project(build_wheel: Callable[..., Path], root: Path) -> Path:
    (root / "requirements").mkdir(parents=True)
    (root / "requirements.txt").write_text("-r requirements/base.txt\n")
    (root / "requirements" / "base.txt").write_text("--find-links ../wheels\nalpha==1.1\n")
    (root / "main.py").write_text("import alpha\n\nprint(alpha)\n")
    (root / "wheels").mkdir()
    build_wheel(root / "wheels", "alpha", "1.1", ("beta>=2",))
    build_wheel(root / "wheels", "beta", "2.0")
    return root


def test_local_find_links_lines_are_relative_to_the_lock() -> None:
    lock = LockPlan("deploy/requirements.lock", True, "requirements.txt", "uv-compile", False)
    text = local_find_links(dataclasses.replace(lock, local_wheels=("wheels", "deploy/extra")))
    assert "--find-links ./../wheels\n" in text and "--find-links ./extra\n" in text
    assert local_find_links(lock) == ""


def test_generated_lock_resolves_from_and_names_the_folder(
    tmp_path: Path, make_wheel: Callable[..., Path]
) -> None:
    root = _project(make_wheel, tmp_path / "app")
    lock = LockPlan(
        "requirements.lock", True, "requirements.txt", "uv-compile", False, local_wheels=("wheels",)
    )
    text = generate_lock(root, lock, "3.13.13", CompileOptions(no_index=True))
    digest = hashlib.sha256((root / "wheels" / "alpha-1.1-py3-none-any.whl").read_bytes()).hexdigest()
    assert "\n--find-links ./wheels\n" in text and f"--hash=sha256:{digest}" in text
    assert str(root) not in text  # no host path in the lock


def test_init_mounts_the_folder_for_the_install_and_keeps_it_out_of_the_runtime(
    tmp_path: Path, make_wheel: Callable[..., Path]
) -> None:
    root = _project(make_wheel, tmp_path / "app")
    result = init_project(
        root,
        {"start": "python main.py", "python": "3.13"},
        dry_run=True,
        compile_options=CompileOptions(no_index=True),
    )
    plan = result.plan
    assert plan.lock.local_wheels == ("wheels",)
    install = next(s for s in plan.builder_steps if any("-r requirements.lock" in a for a in s.args))
    assert "--mount=type=bind,source=wheels,target=/src/wheels" in install.flags
    assert any(s.name == "source" for s in plan.side_stages)
    runtime_copies = [s for s in plan.runtime_steps if s.instruction == "COPY" and "." in s.args[-1:]]
    assert all(s.args[0] != "." for s in runtime_copies)  # never the whole context
    assert not any(e.pattern.strip("/") == "wheels" for e in plan.dockerignore)  # the mount needs it
    lock_reason = next(d for d in plan.decisions if d.topic == "lock").reason
    assert "--find-links wheels (requirements/base.txt:1)" in lock_reason


@pytest.mark.parametrize("strategy", ["pex", "shiv"])
def test_zipapps_never_pack_the_wheels_folder(
    tmp_path: Path, make_wheel: Callable[..., Path], strategy: str
) -> None:
    root = _project(make_wheel, tmp_path / "app")
    cli = {"start": "python main.py", "python": "3.13", "strategy": strategy}
    plan = init_project(root, cli, dry_run=True, compile_options=CompileOptions(no_index=True)).plan
    steps = list(plan.builder_steps)
    copy = next(i for i, s in enumerate(steps) if s.instruction == "COPY" and s.args == (".", "."))
    assert steps[copy + 1].args == ("rm -rf ./wheels",)
    install = next(s for s in steps if any("-r requirements.lock" in a for a in s.args))
    assert "--mount=type=bind,source=wheels,target=/src/wheels" in install.flags
