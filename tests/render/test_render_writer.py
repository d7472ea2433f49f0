from __future__ import annotations

from pathlib import Path

import pytest

from dockwright.errors import WriteRefused
from dockwright.render.render import RenderedFile
from dockwright.render.writer import atomic_write, plan_changes, write_files

FILES = (RenderedFile("Dockerfile", "FROM x\n"), RenderedFile(".dockerignore", ".git\n"))


def test_creates_then_unchanged(tmp_path: Path) -> None:
    changes = write_files(tmp_path, FILES)
    assert [(c.path, c.status, c.written) for c in changes] == [
        ("Dockerfile", "create", True),
        (".dockerignore", "create", True),
    ]
    assert (tmp_path / "Dockerfile").read_text() == "FROM x\n"
    again = write_files(tmp_path, FILES)
    assert [c.status for c in again] == ["unchanged", "unchanged"]
    assert not any(c.written for c in again)


def test_refuses_a_different_file_and_writes_nothing(tmp_path: Path) -> None:
    (tmp_path / "Dockerfile").write_text("FROM mine\n")
    with pytest.raises(WriteRefused, match="Dockerfile exists and differs"):
        write_files(tmp_path, FILES)
    assert (tmp_path / "Dockerfile").read_text() == "FROM mine\n"
    assert not (tmp_path / ".dockerignore").exists()


def test_force_replaces_and_keeps_mode(tmp_path: Path) -> None:
    target = tmp_path / "Dockerfile"
    target.write_text("FROM mine\n")
    target.chmod(0o600)
    changes = write_files(tmp_path, FILES, force=True)
    assert changes[0].status == "update" and changes[0].written
    assert target.read_text() == "FROM x\n"
    assert target.stat().st_mode & 0o777 == 0o600
    assert "-FROM mine" in changes[0].diff and "+FROM x" in changes[0].diff


def test_dry_run_writes_nothing(tmp_path: Path) -> None:
    changes = write_files(tmp_path, FILES, dry_run=True)
    assert [c.status for c in changes] == ["create", "create"]
    assert list(tmp_path.iterdir()) == []
    assert plan_changes(tmp_path, FILES)[0].diff.startswith("--- /dev/null")


def test_atomic_write_leaves_no_temp_files(tmp_path: Path) -> None:
    atomic_write(tmp_path / "sub" / "f.txt", "x")
    assert [p.name for p in (tmp_path / "sub").iterdir()] == ["f.txt"]


def test_a_fifo_or_device_target_is_written_to_not_replaced(tmp_path: Path) -> None:
    """``audit --output /dev/null`` as root replaced the machine's /dev/null with a regular file: a target
    that is not a regular file (a device, a FIFO) is written to as it is."""
    import os
    import stat
    import threading

    fifo = tmp_path / "report.fifo"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()))
    reader.start()
    atomic_write(fifo, "report\n")
    reader.join(timeout=10)
    assert got == [b"report\n"]
    assert stat.S_ISFIFO(fifo.stat().st_mode)  # still the FIFO, not a regular file
