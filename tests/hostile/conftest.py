"""Crafted hostile trees: planted secrets, a tree hash to prove nothing outside the project changed.

Every test here runs the CLI the way a user does (``dockwright.cli.main``) and checks the exit code,
the one line it prints, that no planted secret appears in any output, and that files outside the
project are byte-for-byte unchanged.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from dockwright.cli import main

REPO = Path(__file__).resolve().parents[2]
TOKEN = "s3cr3t-T0KEN-planted"  # every planted secret carries it; no output may show it

NESTED_SECRETS = (
    "config/.env",
    "app/prod.env",
    "config/.env.production",
    "certs/server.pem",
    "deploy/id_rsa",
    "frontend/.npmrc",
    "tools/.pypirc",
    "deploy/pip.conf",
    "home/.aws/credentials",
)


def tree_hash(root: Path) -> str:
    """Hash of every path, link target and file content under ``root`` (symlinks not followed)."""
    digest = hashlib.sha256()
    for folder, dirs, files in os.walk(root):
        dirs.sort()
        base = Path(folder)
        for name in sorted(files + [d for d in dirs if (base / d).is_symlink()]):
            path = base / name
            digest.update(str(path.relative_to(root)).encode())
            if path.is_symlink():
                digest.update(b"->" + str(path.readlink()).encode())
            elif path.is_file():
                digest.update(path.read_bytes())
    return digest.hexdigest()


@dataclass
class Run:
    code: int
    out: str
    err: str

    @property
    def text(self) -> str:
        return self.out + self.err


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str]) -> Callable[..., Run]:
    def run(*argv: str) -> Run:
        capsys.readouterr()
        code = main(list(argv))
        captured = capsys.readouterr()
        return Run(code, captured.out, captured.err)

    return run


@dataclass
class Sandbox:
    """A project inside a folder whose other files must never change."""

    outside: Path
    project: Path

    def hash_outside(self) -> str:
        return tree_hash(self.outside / "neighbour")


@pytest.fixture
def box(tmp_path: Path) -> Iterator[Sandbox]:
    neighbour = tmp_path / "neighbour"
    neighbour.mkdir()
    (neighbour / "precious.txt").write_text("keep me\n")
    project = tmp_path / "project"
    shutil.copytree(REPO / "examples" / "flask-requirements", project)
    box = Sandbox(tmp_path, project)
    before = box.hash_outside()
    yield box
    assert box.hash_outside() == before, "a file outside the project changed"


def plant_secrets(project: Path, paths: tuple[str, ...] = NESTED_SECRETS) -> None:
    for rel in paths:
        target = project / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(f"API_KEY={TOKEN}\n")


def use_example(box: Sandbox, name: str) -> Path:
    """Swap the project for another example (same folder, same neighbour)."""
    shutil.rmtree(box.project)
    shutil.copytree(REPO / "examples" / name, box.project)
    return box.project


def one_error_line(run: Run) -> str:
    """The run failed with exit 2 and said so on exactly one line (no traceback)."""
    assert run.code == 2, run.text
    lines = run.err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), run.text
    assert "Traceback" not in run.text
    return lines[0]
