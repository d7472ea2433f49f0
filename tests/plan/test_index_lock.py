"""The lock keeps the project's indexes (credential-free) and the build passes their credentials as a secret."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from dockwright import api
from dockwright.errors import LockError
from dockwright.indexauth import netrc_text, secret_netrc
from dockwright.lock.generate import index_options, strip_index_options
from dockwright.plan.common import NETRC_SECRET_MOUNT
from dockwright.project.facts import Evidence, PackageIndex

REPO = Path(__file__).resolve().parents[2]
HERE = Evidence("pyproject.toml", 3)


def test_generated_lock_names_the_indexes_and_no_credentials(tmp_path: Path) -> None:
    project = tmp_path / "p"
    shutil.copytree(REPO / "examples" / "private-index", project)
    api.init(project, syntax_directive=False)
    lock = (project / "requirements.lock").read_text()
    assert "--extra-index-url http://127.0.0.1:3144/simple/\n" in lock
    assert "--extra-index-url http://127.0.0.1:3144/cpu/\n" in lock
    assert "dwtorch==1.0+cpu \\\n    --hash=sha256:" in lock
    assert "dwmail==1.0" in lock  # the extras chain dwchain[full] -> dwleaf[email] -> dwmail
    assert "password" not in lock.lower() and "@" not in lock
    dockerfile = (project / "Dockerfile").read_text()
    assert NETRC_SECRET_MOUNT in dockerfile
    plan = api.plan(project)
    reason = next(d.reason for d in plan.decisions if d.topic == "lock")
    assert "UV_INDEX_DWLOCAL_PASSWORD" in reason and "[[tool.uv.index]] dwcpu" in reason


def test_a_project_without_indexes_gets_no_netrc_mount() -> None:
    plan = api.plan(REPO / "examples" / "flask-requirements")
    assert plan.lock.indexes == ()
    assert all(NETRC_SECRET_MOUNT not in step.flags for step in plan.builder_steps)


def test_index_options_and_strip() -> None:
    indexes = (
        PackageIndex("https://corp.example/simple", "default", HERE),
        PackageIndex("https://download.pytorch.org/whl/cpu", "extra", HERE),
        PackageIndex("https://example.org/wheels.html", "find-links", HERE),
    )
    text = index_options(indexes)
    assert text.splitlines()[1:] == [
        "--index-url https://corp.example/simple",
        "--extra-index-url https://download.pytorch.org/whl/cpu",
        "--find-links https://example.org/wheels.html",
    ]
    body = "--extra-index-url https://x.example/simple\n-i https://y\nflask==3.0 \\\n    --hash=sha256:ab\n"
    assert strip_index_options(body) == "flask==3.0 \\\n    --hash=sha256:ab\n"
    with pytest.raises(LockError):
        index_options((PackageIndex("https://a:b@corp.example/simple", "extra", HERE),))
    with pytest.raises(LockError):
        index_options((PackageIndex("https://corp.example/simple\n--trusted-host x", "extra", HERE),))


def test_netrc_from_the_environment_only_for_indexes_with_credentials(tmp_path: Path) -> None:
    indexes = (
        PackageIndex("https://corp.example/simple", "extra", HERE, "corp", False, "${U}", "${P}"),
        PackageIndex("https://public.example/simple", "extra", HERE),
        PackageIndex("https://other.example/simple", "extra", HERE, "o", False, "${OU}", "${OP}"),
    )
    assert (
        netrc_text(indexes, {"U": "bob", "P": "s3cret"}) == "machine corp.example login bob password s3cret\n"
    )
    with secret_netrc(indexes, {"U": "bob", "P": "s3cret"}) as secrets:
        ((ident, path),) = secrets
        assert ident == "netrc" and (Path(path).stat().st_mode & 0o777) == 0o600
    assert not Path(path).exists()
    with secret_netrc(indexes, {}) as none:
        assert none == ()
