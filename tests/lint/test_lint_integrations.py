"""CI and editor integrations: `lint -` (stdin), --format gitlab, the pre-commit hook and the GitHub Action."""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from dockwright.cli import main

REPO = Path(__file__).resolve().parents[2]
BAD = "FROM python:3.12.8-slim\nRUN apt-get install tini\nCMD python app.py\n"


def _stdin(monkeypatch: pytest.MonkeyPatch, text: str) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO(text))


def test_lint_reads_stdin(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    _stdin(monkeypatch, BAD)
    assert main(["lint", "-", "--format", "json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert report["files"] == ["-"]
    assert {"DW201", "DW206", "DW602"} <= {f["code"] for f in report["findings"]}


def test_stdin_filename_places_the_text(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.dockwright.lint]\nignore = ["DW6"]\n')
    (tmp_path / ".dockerignore").write_text("secrets/\n")
    _stdin(monkeypatch, BAD + "COPY secrets/key.txt /app/\n")
    target = str(tmp_path / "Dockerfile")
    assert main(["lint", "-", "--stdin-filename", target, "--format", "json"]) == 1
    found = json.loads(capsys.readouterr().out)["findings"]
    codes = {f["code"] for f in found}
    assert "DW703" in codes  # the .dockerignore next to the named path was read
    assert not any(c.startswith("DW6") for c in codes)  # and its pyproject configuration
    assert {f["path"] for f in found} == {target}


def test_stdin_fix_prints_the_fixed_text(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _stdin(monkeypatch, BAD)
    assert main(["lint", "-", "--fix", "--unsafe-fixes"]) == 0
    assert "apt-get install -y --no-install-recommends tini" in capsys.readouterr().out


def test_stdin_cannot_be_mixed_with_paths(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["lint", "-", "Dockerfile"]) == 2
    assert "stdin" in capsys.readouterr().err


def test_gitlab_code_quality_report(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _stdin(monkeypatch, BAD)
    assert main(["lint", "-", "--stdin-filename", "Dockerfile", "--format", "gitlab"]) == 1
    issues = json.loads(capsys.readouterr().out)
    assert issues and all(
        {"description", "check_name", "fingerprint", "severity", "location"} <= set(i) for i in issues
    )
    assert {i["severity"] for i in issues} <= {"info", "minor", "major", "critical", "blocker"}
    assert len({i["fingerprint"] for i in issues}) == len(issues)
    assert issues[0]["location"] == {"path": "Dockerfile", "lines": {"begin": 1, "end": 1}}


def _precommit() -> list[str] | None:
    found = shutil.which("pre-commit")
    if found:
        return [found]
    try:
        import pre_commit  # noqa: F401
    except ImportError:
        return None
    return [sys.executable, "-m", "pre_commit"]


def _git(cwd: Path, *args: str) -> None:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org"}
    env |= {"GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org"}
    subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True)


@pytest.mark.skipif(shutil.which("git") is None, reason="pre-commit needs git")
def test_precommit_hook_runs_on_a_sample_repository(tmp_path: Path) -> None:
    """Our .pre-commit-hooks.yaml, run by pre-commit on a sample repository. Offline: the hook's
    `language: python` (pre-commit pip-installs the repository) becomes `system` with a `dockwright` on
    PATH running this checkout; every other field (id, entry, files, exclude, types) is ours."""
    precommit = _precommit()
    if precommit is None:
        pytest.skip("pre-commit is not installed (pip install pre-commit, or the dev extra)")
    hooks = tmp_path / "hooks"
    hooks.mkdir()
    manifest = (REPO / ".pre-commit-hooks.yaml").read_text()
    assert "language: python" in manifest
    (hooks / ".pre-commit-hooks.yaml").write_text(manifest.replace("language: python", "language: system"))
    _git(hooks, "init", "-q")
    _git(hooks, "add", ".")
    _git(hooks, "commit", "-qm", "hooks")
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    shim = bin_dir / "dockwright"
    shim.write_text(f'#!/bin/sh\nPYTHONPATH="{REPO / "src"}" exec "{sys.executable}" -m dockwright "$@"\n')
    shim.chmod(0o755)
    sample = tmp_path / "sample"
    (sample / "docs").mkdir(parents=True)
    (sample / "Dockerfile").write_text(BAD)
    (sample / "docs" / "Dockerfile.md").write_text("# how we build\n\nRUNN is not an instruction\n")
    (sample / "worker.Dockerfile").write_text("FROM python:3.12.8-slim\nWORKDIR app\n")
    _git(sample, "init", "-q")
    _git(sample, "add", ".")
    env = {
        **os.environ,
        "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}",
        "PRE_COMMIT_HOME": str(tmp_path / "cache"),
    }
    run = subprocess.run(
        [*precommit, "try-repo", str(hooks), "dockwright-lint", "--all-files"],
        cwd=sample,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    out = run.stdout + run.stderr
    assert run.returncode == 1, out
    assert "dockwright lint" in out and "Failed" in out
    assert "Dockerfile:2:1: DW206" in out and "worker.Dockerfile:2:1: DW606" in out
    assert "Dockerfile.md" not in out  # docs named like a Dockerfile are not linted


def test_github_action_steps_run_on_a_sample(tmp_path: Path) -> None:
    pytest.importorskip("yaml")
    (tmp_path / "Dockerfile").write_text(BAD)
    script = [sys.executable, str(REPO / "scripts" / "exercise-action.py"), str(tmp_path), "--offline"]
    failed = subprocess.run(script, capture_output=True, text=True, check=False)
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert "[ok]   Upload SARIF: dockwright.sarif is SARIF 2.1.0" in failed.stdout
    assert "::warning file=Dockerfile,line=2" in failed.stdout
    assert "[fail] Fail on findings" in failed.stdout
    passed = subprocess.run(
        [*script, "--input", "fail-on-findings=false"], capture_output=True, text=True, check=False
    )
    assert passed.returncode == 0, passed.stdout + passed.stderr
