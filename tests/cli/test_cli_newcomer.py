"""A newcomer's path through the CLI: what a wrong input, a help page or a preview prints."""

from __future__ import annotations

from pathlib import Path

import pytest

from dockwright.cli import main


def test_lint_diff_prints_real_lines(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    dockerfile = tmp_path / "Dockerfile"
    dockerfile.write_text("FROM python:3.12.8-slim\nADD app.py /app/\nRUN echo \x1b[31m\n")
    assert main(["lint", str(dockerfile), "--diff"]) == 0
    out = capsys.readouterr().out
    assert "\n-ADD app.py /app/\n+COPY app.py /app/\n" in out
    assert "\\x0a" not in out
    assert "\x1b" not in out and "\\x1b[31m" in out  # still no terminal control from the file
