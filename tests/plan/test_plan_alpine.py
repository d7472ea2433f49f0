"""The alpine strategy: offered only when every locked dependency is pure or has a musllinux wheel."""

from __future__ import annotations

from pathlib import Path

import pytest

from dockwright import api
from dockwright.errors import PlanError
from dockwright.initialize import detect
from dockwright.lint.linter import lint_text
from dockwright.plan.strategies.alpine import AlpineStrategy
from dockwright.plan.strategies.base import PlanOptions

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def _verdict(name: str) -> tuple[bool, str]:
    verdict = AlpineStrategy().applies(detect(EXAMPLES / name, PlanOptions()))
    return verdict.ok, verdict.reason


def test_offered_when_the_lock_lists_musl_wheels_for_every_compiled_package() -> None:
    ok, reason = _verdict("fastapi-uv")  # pydantic-core has musllinux cp311 wheels in uv.lock
    assert ok, reason


def test_refused_naming_what_would_compile_or_needs_debian_libraries() -> None:
    ok, reason = _verdict("psycopg2-source")
    assert not ok and "psycopg2" in reason
    ok, reason = _verdict("flask-requirements")  # hashes only: nothing proves a musl wheel exists
    assert not ok and "no distribution files" in reason and "flask" in reason


def test_alpine_plan_uses_apk_busybox_users_and_sbin_tini() -> None:
    plan = api.plan(EXAMPLES / "fastapi-uv", strategy="alpine")
    assert plan.runtime_image.startswith("python:3.11.") and plan.runtime_image.endswith("-alpine3.22")
    runs = [" && ".join(s.args) for s in plan.runtime_steps if s.instruction == "RUN"]
    assert runs[0] == "apk add --no-cache tini"
    assert "adduser -S -D -u 10001" in runs[1]
    assert plan.entrypoint == ("/sbin/tini", "--")
    assert not any("apt-get" in r or "useradd" in r for r in runs)


def test_asking_for_alpine_on_an_unsafe_project_is_a_plan_error() -> None:
    with pytest.raises(PlanError, match="does not fit"):
        api.plan(EXAMPLES / "psycopg2-source", strategy="alpine")


def test_dw103_accepts_musl_wheels_for_the_images_python_only(tmp_path: Path) -> None:
    wheel = "pydantic_core-2.27.1-{tag}-{tag}-musllinux_1_1_x86_64.whl"
    lock = 'version = 1\n[[package]]\nname = "pydantic-core"\nversion = "2.27.1"\nwheels = [\n  {{ url = "https://files.example/{w}" }},\n]\n'
    dockerfile = "FROM python:3.11.15-alpine3.22\nRUN pip install --no-cache-dir pydantic-core==2.27.1\n"
    (tmp_path / "uv.lock").write_text(lock.format(w=wheel.format(tag="cp311")))
    assert "DW103" not in [f.code for f in lint_text(dockerfile, context_dir=tmp_path)]
    (tmp_path / "uv.lock").write_text(lock.format(w=wheel.format(tag="cp38")))
    assert "DW103" in [f.code for f in lint_text(dockerfile, context_dir=tmp_path)]
