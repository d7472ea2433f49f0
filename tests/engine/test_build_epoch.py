"""SOURCE_DATE_EPOCH for --reproducible: the environment's, else the last commit's."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from dockwright.build import source_date_epoch
from dockwright.errors import ConfigError


def test_the_environment_wins(tmp_path: Path) -> None:
    assert source_date_epoch(tmp_path, {"SOURCE_DATE_EPOCH": "1700000000"}) == "1700000000"
    with pytest.raises(ConfigError, match="whole number"):
        source_date_epoch(tmp_path, {"SOURCE_DATE_EPOCH": "yesterday"})


def test_else_the_last_commit(tmp_path: Path) -> None:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.invalid"}
    env |= {"GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.invalid"}
    env |= {"GIT_AUTHOR_DATE": "@1600000000 +0000", "GIT_COMMITTER_DATE": "@1600000000 +0000"}
    (tmp_path / "a").write_text("a")
    for argv in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "x"]):
        subprocess.run(["git", *argv], cwd=tmp_path, env=env, check=True, capture_output=True)
    assert source_date_epoch(tmp_path, {}) == "1600000000"


def test_no_commit_is_a_one_line_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"no git commit.*set SOURCE_DATE_EPOCH"):
        source_date_epoch(tmp_path, {})
