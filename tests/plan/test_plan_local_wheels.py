"""``--find-links ./wheels``: the install step bind-mounts the folder, the generated lock names it, the runtime
never carries it."""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Callable
from pathlib import Path

import pytest

from dockwright.dockerfile.ignore import DockerIgnore
from dockwright.initialize import init_project
from dockwright.lock.compile import CompileOptions
from dockwright.lock.generate import generate_lock, local_find_links, local_wheel_lines
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


# --- a wheel file the requirements name by path ---------------------------------------------------

WHEEL = "alpha-1.1-py3-none-any.whl"


def _wheel_project(build_wheel: Callable[..., Path], root: Path, line: str, folder: str = "vendor") -> Path:
    root.mkdir(parents=True)
    (root / "requirements.txt").write_text(f"{line}\n")
    (root / "main.py").write_text("import alpha\n\nprint(alpha)\n")
    (root / folder).mkdir()
    build_wheel(root / folder, "alpha", "1.1")
    return root


@pytest.mark.parametrize(
    "spec",
    [
        f"./vendor/{WHEEL}",
        f"vendor/{WHEEL}",
        f"alpha @ file:./vendor/{WHEEL}",
        f"alpha @ file:///${{PROJECT_ROOT}}/vendor/{WHEEL}",
        f"alpha @ file://%ROOT%/vendor/{WHEEL}",
        f"%ROOT%/vendor/{WHEEL}",
    ],
)
def test_local_wheel_lines_write_a_path_both_installers_read(tmp_path: Path, spec: str) -> None:
    # pip expands no ${PROJECT_ROOT} and reads no relative file: URL; an absolute path is this machine's
    spec = spec.replace("%ROOT%", str(tmp_path))
    body = f"{spec} \\\n    --hash=sha256:ab\n    # via -r requirements.txt\nbeta==2.0 \\\n    --hash=sha256:cd\n"
    assert local_wheel_lines(body, tmp_path) == (
        f"./vendor/{WHEEL} \\\n    --hash=sha256:ab\n    # via -r requirements.txt\nbeta==2.0 \\\n"
        "    --hash=sha256:cd\n"
    )


def test_local_wheel_lines_keep_the_marker_and_leave_other_lines() -> None:
    body = (
        f"alpha @ file:./vendor/{WHEEL} ; python_version >= '3.8' --hash=sha256:ab\n"
        f"gamma @ https://example.org/{WHEEL} \\\n"
        "lib @ file:///elsewhere/lib-1.0-py3-none-any.whl \\\n"
    )
    assert local_wheel_lines(body, Path("/srv/app")) == (
        f"./vendor/{WHEEL} ; python_version >= '3.8' --hash=sha256:ab\n"
        f"gamma @ https://example.org/{WHEEL} \\\n"
        "lib @ file:///elsewhere/lib-1.0-py3-none-any.whl \\\n"
    )


def test_wheel_files_are_no_find_links_lines() -> None:
    lock = LockPlan("requirements.lock", True, "requirements.txt", "uv-compile", False)
    assert local_find_links(dataclasses.replace(lock, local_wheels=(f"vendor/{WHEEL}",))) == ""
    both = local_find_links(dataclasses.replace(lock, local_wheels=("wheels", f"vendor/{WHEEL}")))
    assert both.splitlines()[1:] == ["--find-links ./wheels"]


@pytest.mark.parametrize(
    "line",
    [f"./vendor/{WHEEL}", f"file:./vendor/{WHEEL}", f"alpha @ file:///${{PROJECT_ROOT}}/vendor/{WHEEL}"],
)
def test_generated_lock_pins_the_wheel_file_by_its_sha256(
    tmp_path: Path, make_wheel: Callable[..., Path], line: str
) -> None:
    root = _wheel_project(make_wheel, tmp_path / "app", line)
    lock = LockPlan(
        "requirements.lock", True, "requirements.txt", "uv-compile", False, local_wheels=(f"vendor/{WHEEL}",)
    )
    text = generate_lock(root, lock, "3.13.13", CompileOptions(no_index=True))
    digest = hashlib.sha256((root / "vendor" / WHEEL).read_bytes()).hexdigest()
    assert f"\n./vendor/{WHEEL} \\\n    --hash=sha256:{digest}\n" in text
    assert "--find-links" not in text and str(root) not in text and "PROJECT_ROOT" not in text


@pytest.mark.parametrize("folder", ["vendor", "dist"])  # dist/: a default .dockerignore pattern
def test_init_mounts_the_wheel_file_for_the_install_and_keeps_it_out_of_the_runtime(
    tmp_path: Path, make_wheel: Callable[..., Path], folder: str
) -> None:
    root = _wheel_project(make_wheel, tmp_path / "app", f"alpha @ file:./{folder}/{WHEEL}", folder)
    result = init_project(
        root,
        {"start": "python main.py", "python": "3.13"},
        dry_run=True,
        compile_options=CompileOptions(no_index=True),
    )
    plan, wheel = result.plan, f"{folder}/{WHEEL}"
    assert plan.lock.local_wheels == (wheel,)
    install = next(s for s in plan.builder_steps if any("-r requirements.lock" in a for a in s.args))
    assert f"--mount=type=bind,source={wheel},target=/src/{wheel}" in install.flags
    source = next(s for s in plan.side_stages if s.name == "source")
    assert source.steps[-1].args == (f"rm -rf /app-source/{wheel}",)
    ignore = DockerIgnore.parse("".join(f"{e.pattern}\n" for e in plan.dockerignore))
    assert not ignore.excluded(wheel)  # the bind mount reads it from the build context
    lock_reason = next(d for d in plan.decisions if d.topic == "lock").reason
    assert (
        f"the project's wheel {wheel} (requirements.txt:1), pinned by its sha256 in the lock" in lock_reason
    )
    assert "--find-links" not in lock_reason
    lock_diff = next(c.diff for c in result.changes if c.path == "requirements.lock")
    digest = hashlib.sha256((root / wheel).read_bytes()).hexdigest()
    assert f"+./{wheel} \\\n+    --hash=sha256:{digest}" in lock_diff
