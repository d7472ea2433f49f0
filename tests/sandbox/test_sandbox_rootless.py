"""The rootless leg's pieces that need no user account: when it is left out, its storage choices, and
that the stand-ins it imports are the example's own base images."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest
from sandbox.config import settings

from sandbox import images, rootless


def test_left_out_on_request(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DOCKWRIGHT_SANDBOX_ROOTLESS", "0")
    assert rootless.wanted() == "DOCKWRIGHT_SANDBOX_ROOTLESS=0"


def test_storage_drivers_tried_fastest_first() -> None:
    assert list(rootless.STORAGE) == ["overlay", "fuse-overlayfs", "vfs"]
    fuse = rootless._storage("fuse-overlayfs")
    assert 'driver = "overlay"' in fuse and "mount_program = " in fuse and "{fuse}" not in fuse
    assert "default_ulimits = []" in rootless.CONTAINERS_CONF


def test_the_leg_imports_the_examples_base_images() -> None:
    bases = rootless.bases()
    recipes = images.recipes_for(bases, settings())
    assert {tag for recipe in recipes for tag, _ in recipe.tags} == bases


def _fake_pause(tmp_path: Path) -> tuple[subprocess.Popen[bytes], tuple[Path, int]]:
    """A process named ``podman`` (a copy of sleep) recorded as the pause process of a runtime dir."""
    program = tmp_path / "podman"
    shutil.copy(shutil.which("sleep") or "/bin/sleep", program)
    process = subprocess.Popen([str(program), "300"])
    comm = Path(f"/proc/{process.pid}/comm")
    deadline = time.monotonic() + 30
    while comm.read_text().strip() != "podman" and time.monotonic() < deadline:
        time.sleep(0.01)  # until the child has exec'd: before, it is still named after this interpreter
    runtime = tmp_path / "run"
    rootless.pause_pidfile(runtime).parent.mkdir(parents=True)
    rootless.pause_pidfile(runtime).write_text(f"{process.pid}\n")
    return process, (runtime, os.getuid())


def test_down_stops_the_users_pause_process(tmp_path: Path) -> None:
    process, runtime = _fake_pause(tmp_path)
    try:
        assert rootless.pause_process(runtime) == process.pid
        assert rootless.stop_pause(runtime) == process.pid
        assert process.wait(timeout=10) == -signal.SIGTERM
        assert not rootless.pause_pidfile(runtime[0]).exists()
        assert rootless.stop_pause(runtime) is None  # nothing left: a second down is a no-op
    finally:
        process.kill()


def test_a_pidfile_naming_another_process_is_left_alone(tmp_path: Path) -> None:
    process, (folder, uid) = _fake_pause(tmp_path)
    try:
        assert rootless.stop_pause((folder, uid + 1)) is None  # another user's pid: not ours to stop
        rootless.pause_pidfile(folder).write_text(f"{os.getpid()}\n")  # alive, but not podman
        assert rootless.stop_pause((folder, uid)) is None
        assert process.poll() is None
    finally:
        process.kill()
        process.wait()
