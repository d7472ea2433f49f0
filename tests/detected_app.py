"""The app detected in a small project written for a test (tests/project/conftest.py's ``detect_files``
fixture gives a :class:`DetectFiles`)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Protocol

from dockwright.project.apps import detect_app
from dockwright.project.facts import AppFacts
from dockwright.project.tree import ProjectTree


class DetectFiles(Protocol):
    def __call__(self, files: dict[str, str | bytes], notes: list[str] | None = None) -> AppFacts:
        """The app of a project of ``files`` ({relative path: content}); ``notes`` gets what the
        detection says."""
        ...


def detector(make_project: Callable[[dict[str, str | bytes]], Path]) -> DetectFiles:
    """A :class:`DetectFiles` writing each project with ``make_project``."""

    def detect(files: dict[str, str | bytes], notes: list[str] | None = None) -> AppFacts:
        return detect_app(ProjectTree(make_project(files)), None, notes=notes)

    return detect
