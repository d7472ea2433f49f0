"""A CLI that depends on a package by git branch, end to end: ``init`` pins the branch to its commit
and hash-locks its hatchling backend (read from the commit's pyproject.toml) in requirements-build.lock;
the image builds it (BuildKit fetches the commit, the builder makes a wheel offline with that backend),
the package runs in the image, and the audit finds no ``.git``, no wheel file, no credential and no
drift from the lock. The repository is served over dumb HTTP on 127.0.0.1
(``--network host`` builds reach it; github.com is not reachable here)."""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.integration.harness import PYPI, build, docker
from tests.plan.test_plan_gitdeps import QuietHandler, _commit, _git

from dockwright import api

pytestmark = [pytest.mark.docker, pytest.mark.usefixtures("sandbox")]

PYPROJECT = """\
[build-system]
requires = ["hatchling"]
build-backend = "hatchling.build"

[project]
name = "greet"
version = "0.2.0"
dependencies = ["markupsafe"]
"""
GREET = """\
from markupsafe import escape


def hello(name: str) -> str:
    return f"Hello, {escape(name)}!"
"""
MAIN = """\
import importlib.metadata
import sys

import greet

print(greet.hello(sys.argv[1]), importlib.metadata.version("greet"), greet.__file__)
"""


@pytest.fixture
def greet_repository(tmp_path: Path) -> Iterator[str]:
    """The URL of a git repository holding a hatchling package, served over HTTP on 127.0.0.1."""
    work, bare = tmp_path / "greet", tmp_path / "srv" / "greet.git"
    (work / "src" / "greet").mkdir(parents=True)
    bare.parent.mkdir()
    (work / "pyproject.toml").write_text(PYPROJECT)
    (work / "src" / "greet" / "__init__.py").write_text(GREET)
    _git("init", "-q", "-b", "main", cwd=work)
    _git("init", "-q", "--bare", str(bare), cwd=tmp_path)
    _commit(work, bare, "first")
    handler = functools.partial(QuietHandler, directory=str(bare.parent))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/greet.git"
    finally:
        server.shutdown()
        server.server_close()


def test_a_branch_dependency_is_built_from_its_commit_and_runs(tmp_path: Path, greet_repository: str) -> None:
    root = tmp_path / "app"
    root.mkdir()
    (root / "requirements.txt").write_text(f"greet @ git+{greet_repository}@main\n")
    (root / "main.py").write_text(MAIN)
    (root / ".python-version").write_text("3.13\n")  # markupsafe's wheels on the sandbox's index
    api.init(root, syntax_directive=False, start="python main.py", index_url=PYPI)
    lock = (root / "requirements.lock").read_text()
    assert f"# built from git: greet @ git+{greet_repository}@" in lock and "markupsafe==" in lock
    assert '# git build requires: greet ["hatchling"]' in lock, "read from the commit's pyproject.toml"
    assert "hatchling==" in (root / "requirements-build.lock").read_text(), "the backend hash-locked"
    dockerfile = (root / "Dockerfile").read_text()
    assert "--no-index --no-deps --no-build-isolation" in dockerfile
    assert "build-essential" not in dockerfile, "hatchling builds pure-Python wheels: no compiler"
    tag = "dockwright-it/gitdeps:test"
    build(root, tag)
    done = docker("run", "--rm", "--network", "none", "--entrypoint", "python", tag, "main.py", "<world>")
    assert done.stdout.split() == ["Hello,", "&lt;world&gt;!", "0.2.0", done.stdout.split()[-1]]
    assert done.stdout.split()[-1].startswith("/opt/venv/lib/"), "an installed wheel, not the checkout"
    script = "ls -d /git /git-wheels 2>/dev/null; find / -xdev -name .git 2>/dev/null; true"
    leftovers = docker("run", "--rm", "--network", "none", "--entrypoint", "sh", tag, "-c", script)
    assert leftovers.stdout == "", "no checkout, no wheel folder, no .git in the image"
    report = api.audit(tag, context=root)
    failed = [(c.id, c.summary) for c in report.checks if c.status == "FAIL"]
    assert failed == [], failed
    assert report.check("lock").status == "PASS" and report.check("caches").status == "PASS"
    assert report.check("secrets").status == "PASS"
