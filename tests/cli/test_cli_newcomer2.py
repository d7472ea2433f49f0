"""A newcomer's path through the CLI, second walk: options that were accepted and then did nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from dockwright.cli import main


@pytest.mark.parametrize("extra", [(), ("--format", "json")])
def test_unsafe_fixes_alone_is_a_usage_error(
    extra: tuple[str, ...], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Without --fix or --diff it changed nothing and said nothing; the file stays as it was."""
    dockerfile = tmp_path / "Dockerfile"
    dockerfile.write_text("FROM python:3.12.8-slim\nADD app.py /app/\n")
    assert main(["lint", str(dockerfile), "--unsafe-fixes", *extra]) == 2
    captured = capsys.readouterr()
    assert captured.err == "error: --unsafe-fixes goes with --fix or --diff (see: dockwright lint --help)\n"
    assert captured.out == ""
    assert dockerfile.read_text() == "FROM python:3.12.8-slim\nADD app.py /app/\n"


@pytest.mark.parametrize("mode", ["--fix", "--diff"])
def test_unsafe_fixes_with_fix_or_diff_is_still_accepted(
    mode: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    dockerfile = tmp_path / "Dockerfile"
    dockerfile.write_text("FROM python:3.12.8-slim\nADD app.py /app/\n")
    assert main(["lint", str(dockerfile), mode, "--unsafe-fixes"]) in (0, 1)
    assert "--unsafe-fixes goes with" not in capsys.readouterr().err


def test_unsafe_fixes_alone_on_stdin_is_a_usage_error(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import io

    monkeypatch.setattr("sys.stdin", io.StringIO("FROM python:3.12.8-slim\n"))
    assert main(["lint", "-", "--unsafe-fixes"]) == 2
    assert capsys.readouterr().err.startswith("error: --unsafe-fixes goes with --fix or --diff")
