"""dockwright's own image, planned, linted, built and audited by dockwright itself, then used the way
hadolint's image is: ``docker run --rm -v "$PWD:/src" IMAGE lint /src`` and ``-i IMAGE lint -``.

The repository's root Dockerfile is what ``init`` writes for it (tests/golden/test_golden_own_image.py); here
a copy of the repository is built with ``dockwright build`` (the ``# syntax`` line left out: BuildKit
cannot pull the frontend offline), linted, audited, and run on a small project with known findings.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sandbox.config import DOCKER
from tests.integration.harness import REPO, TAG_PREFIX, docker, git_commit, replacing

pytestmark = [pytest.mark.docker, pytest.mark.slow, pytest.mark.usefixtures("sandbox")]

TAG = f"{TAG_PREFIX}/dockwright-self:test"
# A Dockerfile with one finding per kind of check the image must run: a Python rule (DW303), a
# runtime rule (DW602), a context rule (DW701: no .dockerignore beside it) and ShellCheck (DW801,
# which needs the shellcheck binary the image carries through the `shellcheck` extra).
BAD = """FROM python:3.12.8-slim-bookworm
RUN pip install --no-cache-dir flask
RUN for f in $(ls /etc/*.conf); do echo $f; done
USER 10001
CMD python app.py
"""


def _dockwright(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """The CLI as a user runs it (this checkout's package, the sandbox's engine from the environment)."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO / "src"), os.environ.get("PYTHONPATH", "")])}
    return subprocess.run(
        [sys.executable, "-m", "dockwright", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=env,
        timeout=900,
        check=False,
    )


@pytest.fixture(scope="module")
def own_image(tmp_path_factory: pytest.TempPathFactory) -> str:
    """Build a copy of the repository through ``dockwright build`` (once per module)."""
    context = tmp_path_factory.mktemp("self") / "dockwright"
    shutil.copytree(
        REPO,
        context,
        ignore=shutil.ignore_patterns(
            ".git", "__pycache__", "*.egg-info", "build", "dist", ".*cache", ".venv"
        ),
    )
    dockerfile = context / "Dockerfile"
    text = dockerfile.read_text()
    assert text.startswith("# syntax=docker/dockerfile:1\n")
    dockerfile.write_text(text.split("\n", 1)[1])  # what `init --no-syntax` writes (golden test)
    git_commit(context)  # the revision label gets a value
    started = time.monotonic()
    with replacing(TAG):
        done = _dockwright("build", str(context), "--tag", TAG, "--network", "host", "--progress", "plain")
    print(f"\ndockwright build of its own image: {time.monotonic() - started:.1f} s")
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return TAG


@pytest.fixture
def bad_project(tmp_path: Path) -> Path:
    """A project folder the image's user (UID 10001) can read through a bind mount."""
    folder = tmp_path / "project"
    folder.mkdir()
    (folder / "Dockerfile").write_text(BAD)
    folder.chmod(0o755)
    (folder / "Dockerfile").chmod(0o644)
    return folder


def test_the_root_dockerfile_lints_clean() -> None:
    done = _dockwright("lint", str(REPO / "Dockerfile"))
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_image_passes_the_audit(own_image: str) -> None:
    started = time.monotonic()
    done = _dockwright("audit", own_image, "--context", str(REPO), "--format", "json")
    print(f"\ndockwright audit of its own image: {time.monotonic() - started:.1f} s")
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
    status = {c["id"]: c["status"] for c in json.loads(done.stdout)["checks"]}
    assert [k for k, v in status.items() if v == "FAIL"] == []
    # no pip in the app's venv; every installed distribution at the version requirements.lock pins
    assert status["pip-in-runtime"] == status["lock"] == status["user"] == status["secrets"] == "PASS"


def test_help_reaches_the_cli(own_image: str) -> None:
    done = docker("run", "--rm", own_image, "--help")
    assert done.stdout.startswith("Usage: dockwright"), done.stdout
    config = docker("image", "inspect", "--format", "{{json .Config.Entrypoint}} {{.Config.User}}", own_image)
    assert config.stdout.strip() == '["/usr/bin/tini","--","dockwright"] 10001:10001'


def test_lint_a_mounted_folder_like_hadolint(own_image: str, bad_project: Path) -> None:
    done = docker("run", "--rm", "-v", f"{bad_project}:/src:ro", own_image, "lint", "/src", check=False)
    assert done.returncode == 1, done.stdout + done.stderr
    for code in ("DW303", "DW602", "DW701", "DW801"):
        assert "/src/Dockerfile:" in done.stdout and code in done.stdout, (code, done.stdout)
    # the path a finding names is the one given, and the report ends with the count
    assert "/src/Dockerfile:2:1: DW303" in done.stdout and "in 1 file(s)" in done.stdout
    assert "ShellCheck is not installed" not in done.stderr  # the image carries it (DW801 above)


def test_lint_stdin(own_image: str) -> None:
    done = subprocess.run(
        [DOCKER, "run", "--rm", "-i", own_image, "lint", "-"],
        input=BAD,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 1, done.stdout + done.stderr
    assert "-:2:1: DW303" in done.stdout and "DW701" not in done.stdout  # stdin has no folder


def test_lint_clean_file_exits_0(own_image: str, bad_project: Path) -> None:
    shutil.copy(REPO / "Dockerfile", bad_project / "Dockerfile")
    (bad_project / "Dockerfile").chmod(0o644)
    shutil.copy(REPO / ".dockerignore", bad_project / ".dockerignore")
    (bad_project / ".dockerignore").chmod(0o644)
    done = docker(
        "run", "--rm", "-v", f"{bad_project}:/src:ro", own_image, "lint", "/src/Dockerfile", check=False
    )
    assert done.returncode == 0, done.stdout + done.stderr
