"""Golden files for the trimmed base published as an image: an app's Dockerfile with
``runtime-base = "image:REF"`` (flask-requirements) and the Dockerfile ``dockwright base build`` builds.

Regenerate with ``UPDATE_GOLDEN=1 pytest tests/golden`` and review the diff like code.
"""

from __future__ import annotations

import os

import pytest
from tests.golden.test_golden_examples import EXAMPLES, HERE, _check

from dockwright import api
from dockwright.plan import published_base
from dockwright.render.render import render_dockerfile, render_trimmed_base

REF = "registry.example.com/team/python-trimmed:3.11.15-slim-trixie-uid10001@sha256:" + "5" * 64


def _clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for key in list(os.environ):
        if key.startswith("DOCKWRIGHT_"):
            monkeypatch.delenv(key)


def test_golden_app_from_a_published_base(monkeypatch: pytest.MonkeyPatch) -> None:
    _clean_env(monkeypatch)
    labels = (
        (published_base.LABEL_TRIM, published_base.trim_version()),
        (published_base.LABEL_PYTHON, "3.11.15"),
        (published_base.LABEL_UID, "10001"),
        (published_base.BASE_NAME, "docker.io/library/python:3.11.15-slim-trixie"),
    )
    monkeypatch.setattr("dockwright.base_build.read_labels", lambda ref: (labels, ""))
    plan = api.plan(EXAMPLES / "flask-requirements", runtime_base=f"image:{REF}")
    decision = plan.decision("runtime-base")
    assert decision is not None and "match the plan's Python and UID" in decision.reason
    text = render_dockerfile(plan)
    assert api.lint_stdin(text).findings == ()
    # beside the example's own goldens, not in a folder of its own (tests/lint reads those as EXAMPLE@STRATEGY)
    _check(HERE / "flask-requirements" / "Dockerfile.image-base", text)


def test_golden_trimmed_base_dockerfile() -> None:
    base = published_base.trimmed_base("python:3.11.15-slim-trixie", "3.11.15", 10001)
    _check(HERE / "trimmed-base.Dockerfile", render_trimmed_base(base))
