"""The build backend's lock (``requirements-build.lock``) is checked at build time like the
dependencies' lock: a ``[build-system].requires`` edited since ``init`` is refused in one line with the
header's source line as evidence (exit 2), ``--allow-stale-lock`` builds with a warning, and
``init --lock-only`` regenerates it."""

from __future__ import annotations

from pathlib import Path

import pytest

from dockwright.cli import main
from dockwright.initialize import init_project
from fake_compile import FakeResolver

PYPROJECT = """\
[build-system]
requires = ["{backend}"]
build-backend = "setuptools.build_meta"

[project]
name = "tool"
version = "1.0"
dependencies = ["alpha==1.0"]

[project.scripts]
tool = "tool:main"
"""


@pytest.fixture(autouse=True)
def _offline(fake_resolver: FakeResolver, monkeypatch: pytest.MonkeyPatch) -> None:
    """init resolves without an index: each requirement line (the backend's scratch .in file's, or the
    pyproject's dependencies) pinned with a made-up hash."""
    monkeypatch.setenv("DOCKWRIGHT_ENGINE", "docker")  # --dry-run: the command only, no engine asked


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "tool"
    root.mkdir()
    (root / "pyproject.toml").write_text(PYPROJECT.format(backend="setuptools>=68"), encoding="utf-8")
    (root / "tool").mkdir()
    (root / "tool" / "__init__.py").write_text("def main() -> None:\n    print('hi')\n", encoding="utf-8")
    init_project(root, {}, env={})
    assert "setuptools>=68" in (root / "requirements-build.lock").read_text(encoding="utf-8")
    return root


def _build(root: Path, *flags: str) -> int:
    return main(["build", str(root), "--dry-run", *flags])


def _edit_backend(root: Path) -> None:
    (root / "pyproject.toml").write_text(PYPROJECT.format(backend="setuptools>=69"), encoding="utf-8")


def _source_line(root: Path) -> int:
    lines = (root / "requirements-build.lock").read_text(encoding="utf-8").splitlines()
    return next(
        n for n, line in enumerate(lines, 1) if line.startswith("# dockwright-source: pyproject.toml ")
    )


def test_a_current_build_lock_builds(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert _build(project) == 0
    assert "stale" not in capsys.readouterr().err


def test_an_edited_backend_requirement_is_refused_in_one_line(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _edit_backend(project)
    before = (project / "requirements-build.lock").read_text(encoding="utf-8")
    assert _build(project) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == (
        "error: requirements-build.lock is stale: its requirements changed since it was generated "
        f"(requirements-build.lock:{_source_line(project)} records pyproject.toml's): the image would not "
        "have what changed, so nothing was built; regenerate the lock with `dockwright init --lock-only` "
        "(`--diff` shows the change first), or build from it as it is with --allow-stale-lock\n"
    )
    assert (project / "requirements-build.lock").read_text(encoding="utf-8") == before


def test_allow_stale_lock_builds_with_a_warning(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _edit_backend(project)
    assert _build(project, "--allow-stale-lock") == 0
    err = capsys.readouterr().err
    assert err.count("requirements-build.lock is stale") == 1
    assert (
        "warning: requirements-build.lock is stale: its requirements changed since it was generated "
        f"(requirements-build.lock:{_source_line(project)} records pyproject.toml's): building from it as "
        "it is (--allow-stale-lock); `dockwright init --lock-only` regenerates it\n"
    ) in err


def test_init_lock_only_regenerates_it(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _edit_backend(project)
    assert main(["init", str(project), "--lock-only"]) == 0
    assert "setuptools>=69" in (project / "requirements-build.lock").read_text(encoding="utf-8")
    capsys.readouterr()
    assert _build(project) == 0
    assert "stale" not in capsys.readouterr().err


def test_a_dockerfile_that_never_reads_it_builds(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _edit_backend(project)
    own = project / "Dockerfile.plain"
    own.write_text("FROM python:3.12-slim\nCOPY . /app\nRUN pip install /app\n", encoding="utf-8")
    assert _build(project, "--file", str(own)) == 0
    assert "stale" not in capsys.readouterr().err
