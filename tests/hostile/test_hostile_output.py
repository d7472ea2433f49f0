"""Item 6: a hostile path or Dockerfile cannot forge a GitHub workflow command or drive the terminal."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from tests.hostile.conftest import Run, Sandbox

from dockwright.output import printable, workflow_data, workflow_property


def test_workflow_escaping_rules() -> None:
    assert workflow_data("50%\r\nx") == "50%25%0D%0Ax"
    assert workflow_property("a:b,c%\n") == "a%3Ab%2Cc%25%0A"


def test_newline_in_a_path_cannot_emit_its_own_command(box: Sandbox, cli: Callable[..., Run]) -> None:
    folder = box.project / "x\n::error file=forged.py::pwned"
    folder.mkdir()
    (folder / "Dockerfile").write_text("FROM python\nRUN apt-get install -y curl\n")
    run = cli("lint", str(box.project), "--format", "github")
    assert run.code == 1, run.text
    lines = run.out.splitlines()
    assert lines and all(line.startswith("::") for line in lines)
    assert not any(line.startswith("::error file=forged.py") for line in lines)


def test_terminal_escapes_from_a_dockerfile_are_shown_not_obeyed(
    tmp_path: Path, cli: Callable[..., Run]
) -> None:
    (tmp_path / "Dockerfile").write_text("FROM python\nRUN apt-get install -y curl \x1b]0;owned\x07\x1b[2J\n")
    run = cli("lint", str(tmp_path))
    assert "\x1b" not in run.out and "\x07" not in run.out
    assert "\\x1b" in run.out


def test_printable_keeps_text() -> None:
    assert printable("café\tok") == "café\tok"
    assert printable("a\x1b[31mb\r") == "a\\x1b[31mb\\x0d"
