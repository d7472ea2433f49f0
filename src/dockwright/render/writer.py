"""Writing rendered files into the project: atomic, never over a different file without ``force``."""

from __future__ import annotations

import difflib
import os
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from dockwright.errors import WriteRefused

if TYPE_CHECKING:  # the writer needs no template engine (lint --fix imports it)
    from dockwright.render.render import RenderedFile

Status = Literal["create", "update", "unchanged"]


@dataclass(frozen=True)
class FileChange:
    """What happens (or would happen) to one file."""

    path: str  # project-relative
    status: Status
    diff: str  # unified diff old -> new ("" when unchanged)
    written: bool


def plan_changes(root: Path, files: Sequence[RenderedFile]) -> tuple[FileChange, ...]:
    """Compare each rendered file with what is on disk (nothing is written)."""
    changes = []
    for file in files:
        target = root / file.path
        old = target.read_text(encoding="utf-8") if target.is_file() else None
        if old is None:
            status: Status = "create"
        elif old == file.content:
            status = "unchanged"
        else:
            status = "update"
        diff = "" if status == "unchanged" else unified_diff(file.path, old, file.content)
        changes.append(FileChange(file.path, status, diff, False))
    return tuple(changes)


def unified_diff(path: str, old: str | None, new: str) -> str:
    before = (old or "").splitlines(keepends=True)
    after = new.splitlines(keepends=True)
    fromfile = f"a/{path}" if old is not None else "/dev/null"
    return "".join(difflib.unified_diff(before, after, fromfile=fromfile, tofile=f"b/{path}"))


def write_files(
    root: Path, files: Sequence[RenderedFile], *, force: bool = False, dry_run: bool = False
) -> tuple[FileChange, ...]:
    """Write every file atomically; refuse (before writing anything) to replace a different file."""
    changes = plan_changes(root, files)
    if not force:
        for change in changes:
            if change.status == "update":
                raise WriteRefused(
                    f"{change.path} exists and differs; use --force to replace it (--diff shows the change)",
                    file=None,
                )
    if dry_run:
        return changes
    done = []
    by_path = {f.path: f for f in files}
    for change in changes:
        if change.status != "unchanged":
            atomic_write(root / change.path, by_path[change.path].content)
        done.append(FileChange(change.path, change.status, change.diff, change.status != "unchanged"))
    return tuple(done)


def atomic_write(target: Path, content: str) -> None:
    """tempfile in the same directory, fsync, then ``os.replace`` (keeps the old file's mode)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    mode = target.stat().st_mode & 0o777 if target.exists() else 0o644
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(content)
            handle.flush()
            os.fsync(handle.fileno())
        Path(tmp).chmod(mode)
        Path(tmp).replace(target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
