"""Item 4 (and 10): no read follows a symlink out of the project or the linted folder; lint's project
reads are linear and size-capped."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import pytest
from tests.hostile.conftest import TOKEN, Run, Sandbox, one_error_line

from dockwright.lint.project import read_project


def _outside_secret(box: Sandbox) -> Path:
    secret = box.outside / "shadow"
    secret.write_text(f"root:{TOKEN}:19000:0:99999:7:::\nFROM {TOKEN}\n")
    return secret


def test_init_diff_does_not_print_a_file_outside_the_project(box: Sandbox, cli: Callable[..., Run]) -> None:
    secret = _outside_secret(box)
    (box.project / "Dockerfile").symlink_to(secret)
    for argv in (("--diff",), ("--dry-run",), ("--force",)):
        run = cli("init", str(box.project), "--no-syntax", *argv)
        assert TOKEN not in run.text
        assert "outside the project" in one_error_line(run)
    assert secret.read_text().startswith("root:")


def test_lint_dir_does_not_read_a_dockerfile_linked_out_of_the_folder(
    box: Sandbox, cli: Callable[..., Run]
) -> None:
    secret = _outside_secret(box)
    (box.project / "Dockerfile").write_text("FROM python:3.12.8-slim\n")
    (box.project / "sub").mkdir()
    (box.project / "sub" / "Dockerfile").symlink_to(secret)
    (box.project / ".dockerignore").symlink_to(secret)
    (box.project / "requirements.txt").unlink()
    (box.project / "requirements.txt").symlink_to(secret)
    for fmt in ("text", "json", "sarif", "github"):
        run = cli("lint", str(box.project), "--format", fmt)
        assert run.code in (0, 1), run.text
        assert TOKEN not in run.text


def test_symlink_inside_the_project_is_followed_for_lint(tmp_path: Path) -> None:
    (tmp_path / "shared").mkdir()
    (tmp_path / "shared" / "requirements.txt").write_text("flask==3.1.0\n")
    (tmp_path / "app").mkdir()
    (tmp_path / "requirements.txt").symlink_to(tmp_path / "shared" / "requirements.txt")
    deps = read_project(tmp_path)
    assert deps is not None and "flask" in deps.names


def test_symlink_loops_are_an_error_not_a_traceback(box: Sandbox, cli: Callable[..., Run]) -> None:
    (box.project / "loop-a").symlink_to(box.project / "loop-b")
    (box.project / "loop-b").symlink_to(box.project / "loop-a")
    (box.project / "pyproject.toml").symlink_to(box.project / "pyproject.toml.loop")
    (box.project / "pyproject.toml.loop").symlink_to(box.project / "pyproject.toml")
    for verb in (("plan",), ("init", "--dry-run"), ("lint",)):
        run = cli(*verb, str(box.project))
        assert run.code in (0, 1, 2) and "Traceback" not in run.text, run.text
        if run.code == 2:
            one_error_line(run)


def test_lint_project_scan_is_linear(tmp_path: Path) -> None:
    """A 200 KB token next to a Dockerfile took ~5 minutes (a backtracking regex); now milliseconds."""
    (tmp_path / "uv.lock").write_text('name = "x"\nurl = "' + "a" * 200_000 + '"\n' + "a-" * 50_000 + "\n")
    start = time.perf_counter()
    read_project(tmp_path)
    assert time.perf_counter() - start < 2.0


def test_lint_project_files_are_size_capped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("dockwright.lint.project.MAX_PROJECT_FILE_BYTES", 1000)
    (tmp_path / "requirements.txt").write_text("flask==3.1.0\n" + "#" * 2000 + "\n")
    assert read_project(tmp_path) is None


def test_musl_wheels_still_found(tmp_path: Path) -> None:
    (tmp_path / "uv.lock").write_text(
        '[[package]]\nname = "numpy"\nwheels = [{ url = "https://x/numpy-2.2.0-cp311-cp311-'
        'musllinux_1_2_x86_64.whl", hash = "sha256:ab" }]\n'
    )
    deps = read_project(tmp_path)
    assert (
        deps is not None and deps.has_musl_wheel("numpy", "3.11") and not deps.has_musl_wheel("numpy", "3.12")
    )


def test_dw406_never_reads_a_pip_conf_outside_the_context(tmp_path: Path) -> None:
    from dockwright.lint.linter import lint_text

    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "pip.conf").write_text("[global]\nindex-url = https://u:p@host/simple\n")
    project = tmp_path / "project"
    project.mkdir()
    (project / "pip.conf").symlink_to(outside / "pip.conf")
    found = lint_text("FROM python:3.12\nCOPY pip.conf /etc/pip.conf\n", context_dir=project)
    assert "DW406" not in {f.code for f in found}
    (project / "pip.conf").unlink()
    (project / "pip.conf").write_text("[global]\nindex-url = https://u:p@host/simple\n")
    found = lint_text("FROM python:3.12\nCOPY pip.conf /etc/pip.conf\n", context_dir=project)
    assert "DW406" in {f.code for f in found}
