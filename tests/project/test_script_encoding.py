"""A start script that is not UTF-8 (a Latin-1 comment) is read with its bad bytes replaced, and said so."""

from __future__ import annotations

from pathlib import Path

import pytest

from dockwright import api
from dockwright.errors import ProjectError
from dockwright.project.tree import ProjectTree, lossy_script_notes

SCRIPT = b"#!/bin/sh\n# caf\xe9: d\xe9marrage\nexec gunicorn -b 0.0.0.0:8000 app:app\n"


def _project(root: Path) -> Path:
    (root / "requirements.txt").write_text("flask\ngunicorn\n")
    (root / "app.py").write_text("from flask import Flask\n\napp = Flask(__name__)\n")
    (root / "entrypoint.sh").write_bytes(SCRIPT)
    return root


def test_a_script_is_read_with_its_undecodable_bytes_replaced(tmp_path: Path) -> None:
    tree = ProjectTree(_project(tmp_path))
    with pytest.raises(ProjectError, match="not UTF-8 text"):
        tree.read_text("entrypoint.sh")
    assert tree.read_script("entrypoint.sh").splitlines()[2] == "exec gunicorn -b 0.0.0.0:8000 app:app"
    assert tree.lossy_scripts == {"entrypoint.sh": 15}
    (note,) = lossy_script_notes(tree)
    assert note.startswith(
        "entrypoint.sh: not UTF-8 text (byte 15); read with its undecodable bytes replaced"
    )


def test_plan_goes_on_and_says_so(tmp_path: Path) -> None:
    plan = api.plan(str(_project(tmp_path)))
    assert plan.facts.app.command.value == ("sh", "entrypoint.sh")
    assert any(w.startswith("entrypoint.sh: not UTF-8 text (byte 15)") for w in plan.warnings)
