"""A real built image (flask-requirements) pushed to a throwaway local registry with skopeo, then
audited and inventoried straight from the registry: the same verdict, files and checks as the audit of
the engine's copy."""

from __future__ import annotations

import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sandbox.config import DOCKER
from tests.audit.registry_server import Registry, registry_binary, start_registry
from tests.integration.harness import built_example

from dockwright import api

pytestmark = [pytest.mark.docker, pytest.mark.slow, pytest.mark.usefixtures("sandbox")]


@pytest.fixture(scope="module")
def registry(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Registry]:
    if registry_binary() is None or shutil.which("skopeo") is None:
        pytest.skip("docker-registry or skopeo is not installed (scripts/setup.sh installs both)")
    server = start_registry(tmp_path_factory.mktemp("registry"))
    yield server
    server.stop()


def test_registry_audit_matches_the_engine_audit(registry: Registry, workspace: Path) -> None:
    built = built_example("flask-requirements", workspace)
    remote = f"{registry.host}/flask:1.0"
    started = time.monotonic()
    # skopeo's docker-daemon transport speaks an API version Docker 26 no longer serves: go through
    # `docker save` (the engine's own export) and skopeo's docker-archive transport instead
    archive = workspace / "flask-requirements.tar"
    subprocess.run(
        [DOCKER, "save", "-o", str(archive), built.tag], check=True, capture_output=True, timeout=300
    )
    subprocess.run(
        # a loopback registry without TLS, as the Docker engine allows by default (test only)
        [
            "skopeo",
            "copy",
            "--quiet",
            "--dest-tls-verify=false",
            f"docker-archive:{archive}",
            f"docker://{remote}",
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    archive.unlink()
    pushed = time.monotonic()
    (remote_report,) = api.audit_registry(remote, context=built.path)
    audited = time.monotonic()
    local_report = api.audit(built.tag, engine="docker", context=built.path)
    print(
        f"\nskopeo push {pushed - started:.1f} s, registry audit {audited - pushed:.1f} s, "
        f"engine audit {time.monotonic() - audited:.1f} s"
    )
    assert not remote_report.failed
    assert remote_report.image.files == local_report.image.files
    assert remote_report.image.id == local_report.image.id  # the config digest is the image id
    remote_checks = {c.id: c.status for c in remote_report.checks if c.id != "startup"}
    assert remote_checks == {c.id: c.status for c in local_report.checks if c.id != "startup"}
    found = api.inventory(remote, context=built.path)
    assert found.python and not found.drift()
