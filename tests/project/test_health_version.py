"""Streamlit's health path follows the release the image installs: /healthz before 1.18.0."""

from __future__ import annotations

from pathlib import Path

import pytest

from dockwright.initialize import with_final_lock
from dockwright.plan.planner import make_plan
from dockwright.project.detect import detect_project
from dockwright.project.health_version import pinned_version

APP = 'import streamlit as st\n\nst.title("probe")\n'
SOURCE = "https://docs.streamlit.io/develop/quick-reference/release-notes/2023#version-1180"


def _project(root: Path, requirements: str) -> Path:
    (root / "app.py").write_text(APP, encoding="utf-8")
    (root / "requirements.txt").write_text(requirements, encoding="utf-8")
    return root


@pytest.mark.parametrize(
    ("requirement", "path"),
    [
        ("streamlit==0.71.0", "/healthz"),
        ("streamlit==1.17.1", "/healthz"),
        ("streamlit==1.18.0", "/_stcore/health"),
        ("streamlit==1.40.2", "/_stcore/health"),
        ("streamlit>=1.10", "/_stcore/health"),  # no pin: the current release's path
        ("streamlit==1.*", "/_stcore/health"),
    ],
)
def test_health_path_of_the_pinned_release(tmp_path: Path, requirement: str, path: str) -> None:
    app = detect_project(_project(tmp_path, requirement + "\n")).app
    assert app.health_path.value == path


def test_older_release_names_its_pin_and_the_source(tmp_path: Path) -> None:
    plan = make_plan(detect_project(_project(tmp_path, "pandas\nstreamlit==1.17.0\n")))
    evidence = plan.facts.app.health_path.evidence[0]
    assert evidence.detail.startswith("streamlit 1.17.0 (requirements.txt:2) serves /healthz itself")
    assert SOURCE in evidence.detail
    assert plan.healthcheck is not None
    assert ".open('http://127.0.0.1:8501/healthz', timeout=4)" in plan.healthcheck.argv[-1]
    assert (
        "streamlit 1.17.0 (requirements.txt:2)" in plan.healthcheck_reason
        and SOURCE in plan.healthcheck_reason
    )


def test_the_generated_lock_picks_the_path(tmp_path: Path) -> None:
    facts = detect_project(_project(tmp_path, "streamlit>=1.10\n"))
    assert facts.app.health_path.value == "/_stcore/health"
    lock = "# generated\naltair==4.2.2 \\\n    --hash=sha256:00\nstreamlit==1.12.0 \\\n    --hash=sha256:11\n"
    decided = with_final_lock(facts, "requirements.lock", lock)
    assert decided.app.health_path.value == "/healthz"
    assert "streamlit 1.12.0 (requirements.lock:4)" in decided.app.health_path.evidence[0].detail
    newer = with_final_lock(decided, "requirements.lock", lock.replace("1.12.0", "1.19.0"))
    assert newer.app.health_path.value == "/_stcore/health"


def test_a_flask_route_is_not_a_framework_path(tmp_path: Path) -> None:
    (tmp_path / "app.py").write_text(
        "from flask import Flask\napp = Flask(__name__)\n\n@app.get('/healthz')\ndef h():\n    return 'ok'\n",
        encoding="utf-8",
    )
    (tmp_path / "requirements.txt").write_text("flask==3.0.3\nstreamlit==1.0.0\n", encoding="utf-8")
    facts = detect_project(tmp_path)
    assert facts.app.health_path.value == "/healthz"
    assert facts.app.health_path.evidence[0].file == "app.py"
    assert pinned_version(facts.dependencies, "streamlit") == "1.0.0"
