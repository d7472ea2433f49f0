"""CLI and api tests for plan/init with hand-built facts (detection is monkeypatched)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from facts_factory import make_facts

from dockwright import initialize
from dockwright.cli import main
from dockwright.initialize import init_project
from dockwright.lock.compile import CompileOptions
from dockwright.plan.strategies.base import PlanOptions


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "requirements.txt").write_text("flask==3.0.0 --hash=sha256:00\n")
    seen: dict[str, Any] = {}

    def fake_detect(root: Path, options: PlanOptions, **_kwargs: Any) -> Any:
        seen["options"] = options
        return make_facts(root=str(root), hashed="requirements.txt", python=options.python or "3.11.7")

    monkeypatch.setattr(initialize, "detect", fake_detect)
    monkeypatch.delenv("DOCKWRIGHT_PYTHON", raising=False)
    return tmp_path


def test_plan_json(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["plan", str(project), "--json", "--python", "3.12.3"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["schema"] == "dockwright.plan/1"
    assert data["runtime_image"] == "scratch"  # the trimmed copy of the base (plan/trim.py)
    assert (data["runtime_root"]["stage"], data["runtime_root"]["base"]) == (
        "base",
        "python:3.12.3-slim-trixie",
    )
    assert data["decisions"][0]["topic"] == "strategy"


def test_plan_text_shows_evidence_and_reasons(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["plan", str(project)]) == 0
    out = capsys.readouterr().out
    assert "Detected" in out and "Decisions" in out
    assert "pyproject.toml:2" in out  # evidence of the name
    assert "healthcheck" in out


def test_init_writes_then_is_idempotent(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["init", str(project)]) == 0
    out = capsys.readouterr().out
    assert "created: Dockerfile" in out and "created: .dockerignore" in out
    text = (project / "Dockerfile").read_text()
    assert text.startswith("# syntax=docker/dockerfile:1\n")
    assert "-r requirements.txt" in text
    assert main(["init", str(project)]) == 0
    assert "unchanged: Dockerfile" in capsys.readouterr().out


def test_init_no_syntax(project: Path) -> None:
    assert main(["init", str(project), "--no-syntax"]) == 0
    assert not (project / "Dockerfile").read_text().startswith("# syntax")


def test_existing_dockerfile_without_force(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (project / "Dockerfile").write_text("FROM scratch\n")
    assert main(["init", str(project)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("error: Dockerfile exists and differs")
    assert (project / "Dockerfile").read_text() == "FROM scratch\n"
    assert not (project / ".dockerignore").exists()
    assert main(["init", str(project), "--force"]) == 0
    assert "tini" in (project / "Dockerfile").read_text()


def test_diff_writes_nothing(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (project / "Dockerfile").write_text("FROM scratch\n")
    assert main(["init", str(project), "--diff"]) == 0
    out = capsys.readouterr().out
    assert "-FROM scratch" in out and "+FROM python:3.11.7-slim-trixie AS builder" in out
    assert "+++ b/.dockerignore" in out
    assert (project / "Dockerfile").read_text() == "FROM scratch\n"
    assert not (project / ".dockerignore").exists()


def test_dry_run_writes_nothing(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["init", str(project), "--dry-run"]) == 0
    assert "would create: Dockerfile" in capsys.readouterr().out
    assert not (project / "Dockerfile").exists()


def test_missing_path_is_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["plan", str(tmp_path / "nope")]) == 2
    assert capsys.readouterr().err.startswith("error: ")


def test_bad_option_value_is_exit_2(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["plan", str(project), "--python", "banana"]) == 2
    assert "--python must look like 3.X" in capsys.readouterr().err


def test_unknown_strategy_is_exit_2(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["plan", str(project), "--strategy", "nope"]) == 2
    assert "unknown strategy" in capsys.readouterr().err


def test_config_layers(
    project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "pyproject.toml").write_text(
        '[tool.dockwright]\npython = "3.10.14"\nsyntax-directive = false\nimage-name = "x:1"\n'
    )
    assert main(["plan", str(project), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["python_version"] == "3.10.14" and data["syntax_directive"] is False
    assert data["image_name"] == "x:1"
    monkeypatch.setenv("DOCKWRIGHT_PYTHON", "3.12.1")
    assert main(["plan", str(project), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["python_version"] == "3.12.1"
    assert main(["plan", str(project), "--json", "--python", "3.13.0"]) == 0
    assert json.loads(capsys.readouterr().out)["python_version"] == "3.13.0"


def test_broken_pyproject_names_file_and_line(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (project / "pyproject.toml").write_text('[tool.dockwright]\npython = "3.11\n')
    assert main(["plan", str(project)]) == 2
    assert capsys.readouterr().err.startswith("error: pyproject.toml:2: ")


def test_init_generates_lock_from_local_index(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, wheel_index: Path
) -> None:
    (tmp_path / "requirements.txt").write_text("alpha==1.0\n")
    monkeypatch.setattr(
        initialize,
        "detect",
        lambda root, options, **_kwargs: make_facts(root=str(root), declared=("alpha==1.0",)),
    )
    options = CompileOptions(find_links=(str(wheel_index),), no_index=True)
    result = init_project(tmp_path, {}, compile_options=options)
    assert [c.path for c in result.changes] == ["requirements.lock", "Dockerfile", ".dockerignore"]
    lock = (tmp_path / "requirements.lock").read_text()
    assert "# dockwright-source: requirements.txt sha256=" in lock and "beta==2.0" in lock
    assert "requirements.lock" in (tmp_path / "Dockerfile").read_text()
    # unchanged source: the lock is kept as is (no re-resolution)
    again = init_project(tmp_path, {}, compile_options=CompileOptions(no_index=True))
    assert [c.status for c in again.changes] == ["unchanged"] * 3
    # changed source: plan warns, init without --force refuses to replace the lock
    (tmp_path / "requirements.txt").write_text("alpha==1.1\n")
    plan = initialize.plan_project(tmp_path)
    assert plan.lock.stale and any("stale" in w for w in plan.warnings)


def test_not_a_project_is_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("dockwright.project.detect", reason="detection not available yet")
    (tmp_path / "notes.txt").write_text("hello\n")
    assert main(["plan", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and err.count("\n") == 1
    assert main(["init", str(tmp_path)]) == 2
    assert not (tmp_path / "Dockerfile").exists()


@pytest.mark.parametrize("example", ["django-poetry", "pdm-app", "pipenv-app", "fastapi-uv"])
def test_init_example_converts_the_manager_lock(
    example: str, examples_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pytest.importorskip("dockwright.project.detect", reason="detection not available yet")
    import shutil

    project = tmp_path / example
    shutil.copytree(examples_dir / example, project)
    assert main(["init", str(project), "--no-syntax"]) == 0
    out = capsys.readouterr().out
    assert "created: requirements.lock" in out and "created: Dockerfile" in out
    lock = (project / "requirements.lock").read_text()
    assert lock.startswith("# Hash-locked requirements generated by dockwright")
    assert "--hash=sha256:" in lock
    dockerfile = (project / "Dockerfile").read_text()
    assert "-r requirements.lock" in dockerfile and not dockerfile.startswith("# syntax")
    assert main(["init", str(project), "--no-syntax"]) == 0
    assert capsys.readouterr().out.count("unchanged:") == 3


_PYPROJECT = """[build-system]
requires = ["setuptools>=68"]
build-backend = "setuptools.build_meta"

[project]
name = "tool"
version = "{version}"
dependencies = ["{dependency}"]

[project.scripts]
tool = "tool:main"

[tool.ruff]
line-length = {width}
"""


def test_a_lock_read_from_pyproject_goes_stale_only_when_its_requirements_change(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, wheel_index: Path
) -> None:
    """A pyproject.toml carries tool settings and the version too: editing those keeps the lock (and
    the build lock) current; editing a dependency makes it stale."""
    from dockwright.lock.header import requirements_digest

    def write(version: str, dependency: str, width: int) -> None:
        text = _PYPROJECT.format(version=version, dependency=dependency, width=width)
        (tmp_path / "pyproject.toml").write_text(text)

    def build_lock(
        root: Path, requires: tuple[str, ...], python: str, options: object = None, source: object = None
    ) -> str:
        # the local wheels hold no setuptools: stand in for the backend's resolution
        return f"# dockwright-source: pyproject.toml requirements-sha256={requirements_digest(requires)}\n"

    (tmp_path / "tool").mkdir()
    (tmp_path / "tool" / "__init__.py").write_text("def main() -> None: ...\n")
    write("1.0", "alpha==1.0", 100)
    monkeypatch.setattr(initialize, "generate_build_lock", build_lock)
    init_project(tmp_path, {}, compile_options=CompileOptions(find_links=(str(wheel_index),), no_index=True))
    lock = (tmp_path / "requirements.lock").read_text()
    assert "# dockwright-source: pyproject.toml requirements-sha256=" in lock and "beta==2.0" in lock
    monkeypatch.setattr(initialize, "generate_build_lock", None)  # a kept lock is never regenerated
    write("1.1", "alpha==1.0", 120)  # a version bump and a tool setting
    kept = initialize.plan_project(tmp_path)
    assert not kept.lock.stale and not any("will be generated" in w for w in kept.warnings)
    again = init_project(tmp_path, {}, compile_options=CompileOptions(no_index=True), dry_run=True)
    status = {c.path: c.status for c in again.changes}
    assert status["requirements.lock"] == status["requirements-build.lock"] == "unchanged"
    assert status["Dockerfile"] == "update"  # ARG VERSION's default follows the version
    write("1.1", "alpha==1.1", 120)  # a requirement changed
    plan = initialize.plan_project(tmp_path)
    assert plan.lock.stale and any("its requirements changed" in w for w in plan.warnings)
