"""A C library no Debian package provides (issue 12, class 3) is a decision, a warning and a header
line naming the library, the package and the evidence; init refuses it without --force."""

from __future__ import annotations

from pathlib import Path

import pytest

from dockwright import api
from dockwright.errors import PlanError
from dockwright.render.render import render_dockerfile

TALIB_BUILD = """FROM python:3.12-slim
RUN curl -LO https://example.invalid/ta-lib-0.4.0-src.tar.gz && tar xzf ta-lib-0.4.0-src.tar.gz
RUN cd ta-lib && ./configure --prefix=/usr && make && make install
"""


def _project(root: Path, requirements: str, files: dict[str, str]) -> Path:
    (root / "requirements.txt").write_text(requirements)
    (root / "app.py").write_text("from flask import Flask\napp = Flask(__name__)\n")
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    return root


def test_the_plan_names_library_package_evidence_and_what_to_do(tmp_path: Path) -> None:
    plan = api.plan(_project(tmp_path, "flask==3.0.3\nTA-Lib==0.4.28\n", {"docker/Dockerfile": TALIB_BUILD}))
    decision = plan.decision("foreign-library")
    assert decision is not None and decision.choice.endswith("not provided")
    for needed in (
        "ta-lib needs TA-Lib C library",
        "docker/Dockerfile:3",
        "before the builder stage",
        "trixie",
    ):
        assert needed in decision.reason
    assert any("docker/Dockerfile:2" in w and "ta-lib" in w for w in plan.warnings)
    assert plan.decision("source-build") is None, "the TA-Lib build is claimed by the ta-lib need"
    text = render_dockerfile(plan)
    assert "# NOT PROVIDED: TA-Lib C library" in text
    assert api.lint_stdin(text, "Dockerfile").findings == ()


def test_init_refuses_without_force(tmp_path: Path) -> None:
    root = _project(tmp_path, "flask==3.0.3\nTA-Lib==0.4.28\n", {})
    with pytest.raises(PlanError, match=r"ta-lib needs TA-Lib C library .*init --force"):
        api.init(root)
    with pytest.raises(PlanError, match="ta-lib"):
        api.init(root, dry_run=True)
    assert not (root / "Dockerfile").exists()


def test_a_bundling_wheel_needs_nothing(tmp_path: Path) -> None:
    plan = api.plan(_project(tmp_path, "flask==3.0.3\nTA-Lib==0.6.8\n", {}))
    assert plan.decision("foreign-library") is None


def test_an_unclaimed_source_build_is_a_warning(tmp_path: Path) -> None:
    script = "curl -LO https://example.invalid/libfoo-1.0.tar.gz\ncd libfoo && make install\nldconfig\n"
    plan = api.plan(_project(tmp_path, "flask==3.0.3\n", {"ci/libfoo.sh": script}))
    decision = plan.decision("source-build")
    assert decision is not None and "ci/libfoo.sh:2" in decision.reason
    assert [w for w in plan.warnings if w.startswith("ci/libfoo.sh:2 builds a C library")]
    assert plan.decision("foreign-library") is None


def test_a_known_library_built_for_an_unlisted_package_is_named(tmp_path: Path) -> None:
    plan = api.plan(_project(tmp_path, "flask==3.0.3\n", {"Dockerfile": TALIB_BUILD}))
    decision = plan.decision("source-build")
    assert decision is not None and "make install) builds TA-Lib C library" in decision.reason
    assert "(for ta-lib, which the dependencies do not list" in decision.reason
    assert plan.decision("foreign-library") is None, "warned, not refused: the app may not import it"
