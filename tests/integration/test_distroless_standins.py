"""The sandbox's distroless stand-ins, as the engine holds them: the users distroless ships (root,
nobody, nonroot 65532), a sticky /tmp, a nonroot home, and no shell, on every suite."""

from __future__ import annotations

import io
import subprocess
import tarfile

import pytest
from sandbox.config import DOCKER, SUITES
from tests.integration.harness import docker

pytestmark = [pytest.mark.docker, pytest.mark.usefixtures("sandbox")]

SHELLS = ("bin/sh", "bin/dash", "bin/bash", "usr/bin/sh", "usr/bin/dash", "usr/bin/bash")


def _root_filesystem(tag: str) -> tarfile.TarFile:
    container = docker("create", tag, "x").stdout.strip()
    try:
        exported = subprocess.run([DOCKER, "export", container], capture_output=True, check=True, timeout=120)
    finally:
        docker("rm", container, check=False)
    return tarfile.open(fileobj=io.BytesIO(exported.stdout))


@pytest.mark.parametrize("suite", sorted(SUITES))
@pytest.mark.parametrize("kind", ["python3", "cc"])
def test_distroless_stand_in_has_the_users_and_no_shell(suite: str, kind: str) -> None:
    tag = f"gcr.io/distroless/{kind}-{SUITES[suite].distroless}:nonroot"
    with _root_filesystem(tag) as root:
        names = set(root.getnames())
        passwd = root.extractfile("etc/passwd")
        assert passwd is not None, f"{tag} has no /etc/passwd"
        users = {line.split(":")[0]: line.split(":")[2] for line in passwd.read().decode().splitlines()}
        assert users == {"root": "0", "nobody": "65534", "nonroot": "65532"}
        assert "etc/group" in names
        assert root.getmember("tmp").mode & 0o1777 == 0o1777
        assert root.getmember("home/nonroot").uid == 65532
        assert [shell for shell in SHELLS if shell in names] == []
