"""A start that runs a file of the tree (an entry script) and calls one of the project's own console
scripts (project/own_script_calls.py): the copied tree has no such command, so the plan installs the
project's wheel as well (decision ``app-scripts``). Examples of our own."""

from __future__ import annotations

from pathlib import Path

from dockwright.initialize import plan_project
from dockwright.render.render import render_dockerfile

OFFLINE: dict[str, object] = {}

PYPROJECT = """[build-system]
requires = ["poetry-core>=1.0"]
build-backend = "poetry.core.masonry.api"

[tool.poetry]
name = "trailbook"
version = "1.0"
description = ""
authors = []

[tool.poetry.dependencies]
python = ">=3.10"
flask = ">=3"
gunicorn = ">=22"

[tool.poetry.scripts]
tbcli = "trailbook.cli:main"
"""

ENTRY = """#!/bin/bash
set -e
echo "migrating"
tbcli db upgrade || { echo "upgrade failed"; exit 1; }
exec gunicorn -b 0.0.0.0:5000 "trailbook:create_app()"
"""


def _project(root: Path, entry: str = ENTRY) -> Path:
    (root / "pyproject.toml").write_text(PYPROJECT)
    (root / "trailbook").mkdir()
    (root / "trailbook" / "__init__.py").write_text(
        "from flask import Flask\n\n\ndef create_app():\n    app = Flask(__name__)\n    return app\n"
    )
    (root / "trailbook" / "cli.py").write_text("def main():\n    print('cli')\n")
    (root / "entrypoint.sh").write_text(entry)
    (root / "Dockerfile").write_text('FROM python:3.12\nCOPY . .\nCMD ["./entrypoint.sh"]\n')
    return root


def test_an_entry_script_calling_an_own_console_script_installs_the_wheel_too(tmp_path: Path) -> None:
    plan = plan_project(_project(tmp_path), OFFLINE)
    assert plan.app_install == "source"
    assert plan.facts.app.own_scripts.value == ("tbcli",)
    decision = plan.decision("app-scripts")
    assert decision is not None and "entrypoint.sh:4" in decision.reason
    assert plan.builds_app_wheel
    text = render_dockerfile(plan)
    assert "pip wheel" in text and "COPY --from=" in text and "/app-root/ /" in text
    assert "\nCOPY . .\n" in text or "COPY --chown" not in text  # the tree is still copied
    assert any(f.kind == "build-lock" for f in plan.files)


def test_an_entry_script_without_own_scripts_copies_the_tree_only(tmp_path: Path) -> None:
    plan = plan_project(_project(tmp_path, ENTRY.replace("tbcli db upgrade", "flask db upgrade")), OFFLINE)
    assert plan.app_install == "source"
    assert plan.facts.app.own_scripts.value == ()
    assert plan.decision("app-scripts") is None
    assert "pip wheel" not in render_dockerfile(plan)
