"""Wheel cache mounts are keyed by the stage's base image and Debian packages (plan/wheel_cache.py):
a wheel built from an sdist against other system libraries is never installed from the cache."""

from __future__ import annotations

from pathlib import Path

from dockwright.plan.planner import make_plan
from dockwright.plan.wheel_cache import cache_id
from dockwright.project.detect import detect_project

APP = "from flask import Flask\n\napp = Flask(__name__)\n"


def _mounts(tmp_path: Path, requirements: str) -> list[str]:
    tmp_path.mkdir()
    (tmp_path / "app.py").write_text(APP)
    (tmp_path / "requirements.txt").write_text(requirements)
    plan = make_plan(detect_project(tmp_path, python="3.12"))
    flags = [f for s in plan.builder_steps for f in s.flags] + [
        f for stage in plan.side_stages for s in stage.steps for f in s.flags
    ]
    return [f for f in flags if "type=cache" in f]


def test_the_id_follows_the_image_and_the_packages() -> None:
    one = cache_id("uv", "python:3.12.8-slim-bookworm", ["gcc", "libpq-dev"])
    assert one == cache_id("uv", "python:3.12.8-slim-bookworm", ["libpq-dev", "gcc", "gcc"])
    assert one.startswith("uv-") and len(one) == 15
    assert one != cache_id("uv", "python:3.12.8-slim-bookworm", ["gcc", "libpq-dev", "libpcre2-dev"])
    assert one != cache_id("uv", "python:3.12.8-slim-trixie", ["gcc", "libpq-dev"])


def test_a_builder_with_other_libraries_gets_another_wheel_cache(tmp_path: Path) -> None:
    plain = _mounts(tmp_path / "a", "flask==3.0.3\ngunicorn==23.0.0\n")
    native = _mounts(tmp_path / "b", "flask==3.0.3\ngunicorn==23.0.0\npsycopg2==2.9.10\n")
    assert plain and native
    assert all(",id=uv-" in m or ",id=pip-" in m for m in plain + native)
    assert set(plain).isdisjoint(native)
