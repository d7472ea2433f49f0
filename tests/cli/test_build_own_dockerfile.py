"""``dockwright build`` with a Dockerfile of the user's (PATH/Dockerfile or ``--file``): the image runs
its CMD, so a start detection cannot tell is taken from it, and only a Dockerfile that runs nothing
asks for one (own_start.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from dockwright.cli import main
from dockwright.own_start import dockerfile_start

PACKAGE_ONLY = {"requirements.txt": "requests==2.32.3\n", "mypkg/__init__.py": "", "mypkg/core.py": "X = 1\n"}


def _project(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    return root


@pytest.mark.parametrize(
    ("text", "start"),
    [
        ('FROM python:3.12-slim\nCMD ["python", "-m", "mypkg.core"]\n', "python -m mypkg.core"),
        (
            "FROM python:3.12-slim\nCMD python -m mypkg.core --name 'a b'\n",
            "python -m mypkg.core --name 'a b'",
        ),
        (
            'FROM python:3.12-slim\nENTRYPOINT ["mypkg"]\nCMD ["serve", "--port", "80"]\n',
            "mypkg serve --port 80",
        ),
        # the final stage inherits from the stage it is built FROM; its ENTRYPOINT resets that CMD
        ('FROM python:3.12-slim AS base\nCMD ["python", "a.py"]\nFROM base\nRUN true\n', "python a.py"),
        ('FROM python:3.12-slim AS base\nCMD ["python", "a.py"]\nFROM base\nENTRYPOINT ["tool"]\n', "tool"),
        ('FROM python:3.12-slim\nCMD ["x"]\nENTRYPOINT ["tool"]\n', "tool x"),  # same stage: kept
        # another stage's CMD is not the image's
        ('FROM python:3.12-slim AS build\nCMD ["make"]\nFROM python:3.12-slim\nRUN true\n', None),
        ("FROM python:3.12-slim\n", None),
        ("CMD ['unterminated\n", None),
    ],
)
def test_the_start_a_dockerfile_runs(text: str, start: str | None) -> None:
    assert dockerfile_start(text) == start


def test_the_projects_dockerfile_gives_the_start(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = _project(
        tmp_path,
        {**PACKAGE_ONLY, "Dockerfile": 'FROM python:3.12-slim\nCMD ["python", "-m", "mypkg.core"]\n'},
    )
    assert main(["build", str(root), "--dry-run"]) == 0
    assert f"--file {root}/Dockerfile" in capsys.readouterr().out


def test_file_names_a_dockerfile_elsewhere(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _project(
        tmp_path,
        {
            **PACKAGE_ONLY,
            "docker/Dockerfile.prod": 'FROM python:3.12-slim\nCMD ["python", "-m", "mypkg.core"]\n',
        },
    )
    monkeypatch.chdir(root)
    assert main(["build", ".", "--file", "docker/Dockerfile.prod", "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert f"--file {root.resolve()}/docker/Dockerfile.prod " in out and out.rstrip().endswith(f" {root}")
    # a Dockerfile without CMD: that is what is missing
    (root / "docker" / "Dockerfile.prod").write_text("FROM python:3.12-slim\n", encoding="utf-8")
    assert main(["build", ".", "-f", "docker/Dockerfile.prod", "--dry-run"]) == 2
    assert capsys.readouterr().err == (
        "error: cannot tell how the app starts (no framework, entry point or script found), and "
        "docker/Dockerfile.prod has no CMD or ENTRYPOINT either: add one to it, or pass --start\n"
    )


def test_a_missing_file_or_a_dockerfile_as_path_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _project(tmp_path, {**PACKAGE_ONLY, "Dockerfile.prod": "FROM python:3.12-slim\n"})
    monkeypatch.chdir(root)
    assert main(["build", ".", "--file", "nope/Dockerfile", "--dry-run"]) == 2
    assert capsys.readouterr().err == "error: --file nope/Dockerfile: no such file\n"
    assert main(["build", "Dockerfile.prod", "--dry-run"]) == 2
    assert capsys.readouterr().err == (
        "error: Dockerfile.prod: not a directory: PATH is the project's folder; give a Dockerfile with --file\n"
    )


def test_a_planned_build_still_asks_for_the_start(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = _project(tmp_path, PACKAGE_ONLY)
    assert main(["build", str(root), "--dry-run"]) == 2
    assert capsys.readouterr().err == (
        "error: cannot tell how the app starts (no framework, entry point or script found); pass --start\n"
    )
