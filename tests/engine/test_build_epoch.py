"""SOURCE_DATE_EPOCH for --reproducible: the environment's, else the last commit's; checkout warnings."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from dockwright.build import checkout_warnings, source_date_epoch, undated_stages
from dockwright.errors import ConfigError


def test_the_environment_wins(tmp_path: Path) -> None:
    assert source_date_epoch(tmp_path, {"SOURCE_DATE_EPOCH": "1700000000"}) == "1700000000"
    with pytest.raises(ConfigError, match="whole number"):
        source_date_epoch(tmp_path, {"SOURCE_DATE_EPOCH": "yesterday"})


def _commit_at(root: Path, epoch: int) -> None:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.invalid"}
    env |= {"GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.invalid"}
    env |= {"GIT_AUTHOR_DATE": f"@{epoch} +0000", "GIT_COMMITTER_DATE": f"@{epoch} +0000"}
    for argv in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "x"]):
        subprocess.run(["git", *argv], cwd=root, env=env, check=True, capture_output=True)


def test_else_the_last_commit(tmp_path: Path) -> None:
    (tmp_path / "a").write_text("a")
    _commit_at(tmp_path, 1600000000)
    assert source_date_epoch(tmp_path, {}) == "1600000000"


def test_a_fresh_checkout_has_nothing_to_warn_about(tmp_path: Path) -> None:
    (tmp_path / "app.py").write_text("print(1)\n")
    _commit_at(tmp_path, 1600000000)  # the file (now) is newer than the commit: clamped on export
    assert checkout_warnings(tmp_path, {}) == ()


def test_older_files_and_uncommitted_changes_are_warned_about(tmp_path: Path) -> None:
    (tmp_path / "app.py").write_text("print(1)\n")
    (tmp_path / "lib.py").write_text("X = 1\n")
    _commit_at(tmp_path, 1600000000)
    os.utime(tmp_path / "lib.py", (1500000000, 1500000000))
    (tmp_path / "app.py").write_text("print(2)\n")
    dirty, older = checkout_warnings(tmp_path, {})
    assert dirty.startswith("--reproducible: 1 tracked file(s) have uncommitted changes (first: app.py)")
    assert older.startswith("--reproducible: 1 committed file(s) are older than the commit (first: lib.py)")
    assert checkout_warnings(tmp_path / "nowhere", {}) == (), "no git: the build itself says why"


def test_no_commit_is_a_one_line_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"no git commit.*set SOURCE_DATE_EPOCH"):
        source_date_epoch(tmp_path, {})


def test_stages_that_run_commands_before_the_epoch_arg_are_named() -> None:
    text = (
        "FROM python:3.13-slim AS deps\nARG SOURCE_DATE_EPOCH\nRUN pip install flask\n"
        "FROM python:3.13-slim\nCOPY . .\nRUN python -m compileall .\nARG SOURCE_DATE_EPOCH\n"
        "FROM scratch AS empty\nCOPY --from=deps / /\n"
    )
    assert undated_stages(text) == ("1",)
    assert undated_stages("FROM alpine AS a\nARG SOURCE_DATE_EPOCH=0 OTHER\nRUN true\n") == ()
