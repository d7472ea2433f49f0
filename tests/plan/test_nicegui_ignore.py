"""A developer's NiceGUI storage (``.nicegui/``: browser sessions' data) stays out of the build context."""

from __future__ import annotations

import shutil
from pathlib import Path

from dockwright import api

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def test_a_local_nicegui_storage_folder_is_ignored(tmp_path: Path) -> None:
    project = tmp_path / "app"
    shutil.copytree(EXAMPLES / "flask-requirements", project)
    (project / ".nicegui").mkdir()
    (project / ".nicegui" / "storage-user-1.json").write_text('{"token": "x"}', encoding="utf-8")
    patterns = [e.pattern for e in api.plan(project).dockerignore]
    assert ".nicegui" in patterns


def test_no_entry_without_the_folder() -> None:
    assert ".nicegui" not in [e.pattern for e in api.plan(EXAMPLES / "flask-requirements").dockerignore]
