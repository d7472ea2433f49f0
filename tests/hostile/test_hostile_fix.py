"""Items 8 and 9: `lint --fix` edits the flagged call, is idempotent, and changes no byte it did not fix."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from tests.hostile.conftest import REPO, Run

from dockwright.lint.fixing import fix_file

FIXTURES = sorted((REPO / "tests" / "dockerfile" / "fixtures").glob("*"))

TWO_INSTALLS = (
    "FROM python:3.12.8-slim\n"
    "RUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/* "
    "&& apt-get install -y git && pip install flask==3.1.0 && pip install gunicorn==23.0.0\n"
)


def test_two_calls_in_one_run_are_both_fixed_once(tmp_path: Path, cli: Callable[..., Run]) -> None:
    dockerfile = tmp_path / "Dockerfile"
    dockerfile.write_text(TWO_INSTALLS)
    cli("lint", str(tmp_path), "--fix", "--unsafe-fixes")  # DW201 is unsafe
    text = dockerfile.read_text()
    assert text.count("--no-install-recommends") == 2
    assert text.count("--no-cache-dir") == 2
    assert "apt-get install --no-install-recommends -y curl" in text
    assert "apt-get install --no-install-recommends -y git" in text
    cli("lint", str(tmp_path), "--fix", "--unsafe-fixes")  # DW201 is unsafe
    assert dockerfile.read_text() == text  # the second run changes nothing


@pytest.mark.parametrize("fixture", FIXTURES, ids=[f.name for f in FIXTURES])
def test_fix_twice_changes_nothing_the_second_time(tmp_path: Path, fixture: Path) -> None:
    target = tmp_path / "Dockerfile"
    target.write_bytes(fixture.read_bytes())
    for unsafe in (False, True):
        first = fix_file(target, tmp_path, unsafe=unsafe)
        target.write_bytes(first.data)
        second = fix_file(target, tmp_path, unsafe=unsafe)
        assert not second.changed, second.after


def test_latin1_and_crlf_bytes_are_kept(tmp_path: Path, cli: Callable[..., Run]) -> None:
    dockerfile = tmp_path / "Dockerfile"
    original = b"FROM python:3.12.8-slim\r\n# caf\xe9\r\nRUN apt-get install -y curl\r\n"
    dockerfile.write_bytes(original)
    cli("lint", str(tmp_path), "--fix", "--unsafe-fixes")  # DW201 is unsafe
    assert dockerfile.read_bytes() == original.replace(b"install -y", b"install --no-install-recommends -y")


def test_symlinked_dockerfile_is_written_through(tmp_path: Path, cli: Callable[..., Run]) -> None:
    (tmp_path / "docker").mkdir()
    real = tmp_path / "docker" / "Dockerfile.prod"
    real.write_text("FROM python:3.12.8-slim\nRUN apt-get install -y curl\n")
    link = tmp_path / "Dockerfile"
    link.symlink_to(real)
    cli("lint", str(tmp_path), "--fix", "--unsafe-fixes")  # DW201 is unsafe
    assert link.is_symlink() and "--no-install-recommends" in real.read_text()


def test_symlink_out_of_the_folder_is_not_fixed(tmp_path: Path, cli: Callable[..., Run]) -> None:
    outside = tmp_path / "outside.Dockerfile"
    outside.write_text("FROM python:3.12.8-slim\nRUN apt-get install -y curl\n")
    project = tmp_path / "project"
    project.mkdir()
    (project / "Dockerfile").symlink_to(outside)
    before = outside.read_bytes()
    cli("lint", str(project), "--fix")
    assert outside.read_bytes() == before
