"""Audit a tiny image made locally on the real engine (``docker import`` of a tar the test writes)."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import tarfile
import uuid
from collections.abc import Iterator

import pytest

from dockwright import api
from dockwright.audit.checks import Status

pytestmark = pytest.mark.docker

# the sandbox's client (`sandbox env` sets DOCKWRIGHT_DOCKER), else the host's
DOCKER = os.environ.get("DOCKWRIGHT_DOCKER") or (
    "/usr/bin/docker" if shutil.which("/usr/bin/docker") else shutil.which("docker")
)


def _engine_ready() -> str:
    try:
        import dockwright.engine.docker  # noqa: F401
    except ImportError as error:
        return f"dockwright.engine.docker not available: {error}"
    if DOCKER is None:
        return "no docker client on PATH"
    done = subprocess.run(
        [DOCKER, "version", "--format", "{{.Server.Version}}"], capture_output=True, check=False
    )
    return "" if done.returncode == 0 else "no Docker engine answers (start the sandbox: see README)"


def _rootfs() -> bytes:
    out = io.BytesIO()
    files = {
        "etc/passwd": b"root:x:0:0:root:/root:/bin/sh\napp:x:10001:10001::/app:/sbin/nologin\n",
        "app/main.py": b"print('hello')\n",
        "app/.env": b"DATABASE_PASSWORD=hunter2\n",
        "root/.cache/pip/http/blob": b"\0" * 300_000,
    }
    with tarfile.open(fileobj=out, mode="w") as tar:
        for name, data in files.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return out.getvalue()


@pytest.fixture(scope="module")
def tiny_image() -> Iterator[str]:
    reason = _engine_ready()
    if reason:
        pytest.skip(reason)
    assert DOCKER is not None
    ref = f"dockwright-audit-test:{uuid.uuid4().hex[:8]}"
    changes = ["USER 10001", 'CMD ["python", "/app/main.py"]', "ENV PYTHONUNBUFFERED=1", "LABEL a=b"]
    argv = [DOCKER, "import"] + [x for c in changes for x in ("--change", c)] + ["-", ref]
    subprocess.run(argv, input=_rootfs(), capture_output=True, check=True)
    try:
        yield ref
    finally:
        subprocess.run([DOCKER, "rmi", "-f", ref], capture_output=True, check=False)


def test_audit_real_tiny_image(tiny_image: str) -> None:
    report = api.audit(tiny_image)
    got = {c.id: c.status for c in report.checks}
    assert got["user"] is Status.PASS
    assert got["logs"] is Status.PASS
    assert got["caches"] is Status.FAIL  # the pip cache
    assert got["dotfiles"] is Status.FAIL  # the .env
    assert got["labels"] is Status.FAIL  # no OCI labels
    assert report.exit_code == 1
    assert report.image.files == 4 and len(report.layers) == 1
    assert report.image.size > 300_000


def test_missing_image_is_an_engine_error() -> None:
    reason = _engine_ready()
    if reason:
        pytest.skip(reason)
    from dockwright.errors import EngineError

    with pytest.raises(EngineError):
        api.audit(f"dockwright-no-such-image:{uuid.uuid4().hex[:8]}")


def test_the_engine_api_socket_and_the_cli_read_the_same_image(
    tiny_image: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without a named client DockerEngine reads the daemon's socket (engine/docker_api): the report
    is the one the CLI's inspect and save give, and no CLI runs for it."""
    from dockwright.engine.docker import Client, DockerEngine

    assert DOCKER is not None
    by_cli = api.audit(tiny_image, engine=DockerEngine(Client(DOCKER, buildx=False))).to_dict()
    with monkeypatch.context() as patch:
        patch.delenv("DOCKWRIGHT_DOCKER", raising=False)
        direct = DockerEngine()
        if direct.api_socket is None:
            pytest.skip("the engine is not on a local unix socket (DOCKER_HOST or a context names another)")
        patch.setenv("PATH", "/nonexistent")  # a CLI run would fail
        by_socket = api.audit(tiny_image, engine=direct).to_dict()
    assert direct.api_socket is not None  # it answered: no fallback to the CLI
    for report in (by_socket, by_cli):  # how long, and whether a save or the layer cache gave them
        report.pop("seconds"), report["image"].pop("layers_read")
    assert by_socket == by_cli
