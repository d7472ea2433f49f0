"""The git fetch the plan writes, run by the sandbox's BuildKit (no base image needed: ``FROM scratch``
and a local export). The repository is served over dumb HTTP on 127.0.0.1 (github.com is not reachable
from builds here); the build uses ``--network host``. After the branch moves, a build without cache
still gets the pinned commit's tree, and no ``.git`` (which would carry the remote URL) is in it."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from sandbox.config import DOCKER
from tests.plan.test_plan_gitdeps import CLI, _app, _commit, _git, served

from dockwright.initialize import plan_project

pytestmark = [pytest.mark.docker]
__all__ = ["served"]  # the fixture, used by name


def _fetched(tmp_path: Path, add_line: str, name: str) -> Path:
    context = tmp_path / f"ctx-{name}"
    context.mkdir()
    (context / "Dockerfile").write_text(f"FROM scratch\n{add_line}\n")
    out = tmp_path / f"out-{name}"
    argv = [DOCKER, "build", "--no-cache", "--network", "host", "-o", f"type=local,dest={out}", str(context)]
    done = subprocess.run(
        argv, capture_output=True, text=True, timeout=180, env={**os.environ, "DOCKER_BUILDKIT": "1"}
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return out / "git" / "greet"


def test_buildkit_fetches_the_pinned_commit_even_after_the_branch_moves(
    tmp_path: Path, served: tuple[str, Path, Path]
) -> None:
    url, work, bare = served
    head = _git("rev-parse", "HEAD", cwd=work)
    root = _app(tmp_path / "app", f"greet @ git+{url}@{head}")
    (add,) = [s for s in plan_project(root, CLI).builder_steps if s.instruction == "ADD"]
    line = f"ADD {' '.join(add.flags)} {' '.join(add.args)}"
    (work / "greet" / "__init__.py").write_text("MOVED = True\n")
    _commit(work, bare, "second")  # main moves on; the plan names the first commit
    tree = _fetched(tmp_path, line, "pinned")
    assert (tree / "greet" / "__init__.py").read_text() == ""
    assert (tree / "pyproject.toml").is_file() and not (tree / ".git").exists()
