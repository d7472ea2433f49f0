"""The sandbox builds without a `# syntax` line (no frontend can be pulled); the default output keeps it."""

from __future__ import annotations

from pathlib import Path

from dockwright import api
from dockwright.render.render import render_files

REPO = Path(__file__).resolve().parents[2]


def test_default_dockerfile_starts_with_the_syntax_directive() -> None:
    files = dict(
        (f.path, f.content) for f in render_files(api.plan(REPO / "examples" / "flask-requirements"))
    )
    assert files["Dockerfile"].splitlines()[0] == "# syntax=docker/dockerfile:1"


def test_sandbox_option_leaves_it_out() -> None:
    plan = api.plan(REPO / "examples" / "flask-requirements", syntax_directive=False)
    files = dict((f.path, f.content) for f in render_files(plan))
    assert "# syntax=" not in files["Dockerfile"]
