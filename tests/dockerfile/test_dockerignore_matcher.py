"""The shared .dockerignore matcher agrees with the Docker SDK's own context filter on a small tree."""

from __future__ import annotations

from pathlib import Path

import pytest

from dockwright.dockerfile.ignore import DockerIgnore

build_utils = pytest.importorskip("docker.utils.build")

FILES = [
    "app.py",
    "README.md",
    "CHANGES.md",
    "docs/a.md",
    ".env",
    ".env.local",
    ".git/HEAD",
    "build/x",
    "src/build/y",
    "pkg/__pycache__/m.pyc",
    "venv/bin/python",
    "a.pyc",
    "keep.pyc",
    "sub/a.pyc",
    "axb",
    "a/b",
]
PATTERNS = [
    "**/__pycache__",
    "*.md",
    "!README.md",
    ".env*",
    ".git",
    "venv/",
    "/build/",
    "*.pyc",
    "!keep.pyc",
    "a?b",
]


def test_matches_docker_sdk(tmp_path: Path) -> None:
    for name in FILES:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x")
    included = set(build_utils.exclude_paths(str(tmp_path), PATTERNS))
    rules = DockerIgnore.parse("\n".join(PATTERNS))
    for name in FILES:
        assert rules.excluded(name) == (name not in included), name
