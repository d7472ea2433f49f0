"""Every benchmark answers --help with its usage and does nothing else (README lists them to run)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

BENCH = sorted((Path(__file__).resolve().parents[2] / "bench").glob("*.py"))


@pytest.mark.parametrize("script", BENCH, ids=lambda p: p.name)
def test_bench_help_is_usage_only(script: Path, tmp_path: Path) -> None:
    # an engine that cannot answer: a script that ignores --help fails instead of building images
    env = {"PATH": "/usr/bin:/bin", "DOCKWRIGHT_DOCKER": "/bin/false", "DOCKER_HOST": "unix:///nonexistent"}
    done = subprocess.run(
        [sys.executable, str(script), "--help"],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("usage:"), done.stdout[:200]
