"""Fixtures for detection tests: build small project trees in tmp_path."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from detected_app import DetectFiles, detector
from fake_compile import FakeResolver

MakeProject = Callable[[dict[str, str | bytes]], Path]


@pytest.fixture
def make_project(tmp_path: Path) -> MakeProject:
    """Write ``{relative path: text or bytes}`` under a fresh directory and return it."""

    def make(files: dict[str, str | bytes]) -> Path:
        root = tmp_path / f"proj{len(list(tmp_path.iterdir()))}"
        root.mkdir()
        for rel, content in files.items():
            path = root / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text(content, encoding="utf-8")
        return root

    return make


@pytest.fixture
def detect_files(make_project: MakeProject) -> DetectFiles:
    """The app detected in a project of ``{relative path: content}`` (written by ``make_project``)."""
    return detector(make_project)


@pytest.fixture
def resolved_for(fake_resolver: FakeResolver) -> list[str]:
    """The Pythons the (fake) resolver was asked for, in order (tests/conftest.py's ``fake_resolver``:
    each requirement line pinned with a made-up hash)."""
    return fake_resolver.asked
