"""A real multi-platform build: linux/amd64 + linux/arm64 in one OCI index, arm64 RUN steps under qemu.

Runs on the sandbox's second Docker 26 (containerd image store, ``DOCKWRIGHT_SANDBOX_MULTIARCH_HOST``):
the classic store cannot hold an index. One example only (sandbox/multiarch.py says which and why).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from sandbox.config import DOCKER
from sandbox.multiarch import EXAMPLE, PLATFORMS
from tests.integration.harness import PYPI, REPO

from dockwright import api
from dockwright.audit.inventory import inventory, project_lock
from dockwright.audit.registry_image import read_registry_image
from dockwright.build import BuildOptions

pytestmark = [pytest.mark.docker, pytest.mark.slow, pytest.mark.usefixtures("sandbox")]

REGISTRY = os.environ.get("DOCKWRIGHT_SANDBOX_REGISTRY", "127.0.0.1:3150")
PORT = 18731


@pytest.fixture
def multiarch_engine(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    host = os.environ.get("DOCKWRIGHT_SANDBOX_MULTIARCH_HOST")
    if not host:
        reason = (
            os.environ.get("DOCKWRIGHT_SANDBOX_MULTIARCH_SKIPPED") or "`python -m sandbox up` has not run"
        )
        pytest.skip(f"no multi-arch engine: {reason} (sandbox/multiarch.py)")
    monkeypatch.setenv("DOCKER_HOST", host)
    yield host


def _docker(*args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    return subprocess.run([DOCKER, *args], capture_output=True, text=True, timeout=timeout, check=False)


def test_one_build_two_platforms_and_the_arm64_image_answers_http(
    multiarch_engine: str, tmp_path: Path
) -> None:
    project = tmp_path / EXAMPLE
    shutil.copytree(REPO / "examples" / EXAMPLE, project)
    api.init(project, syntax_directive=False, private_index=True)  # the build passes --index-url
    tag = f"{REGISTRY}/engine-it/{EXAMPLE}:multiarch"
    warnings: list[str] = []
    started = time.monotonic()
    api.build(
        project,
        tag=tag,
        platforms=",".join(PLATFORMS),
        network="host",
        index_url=PYPI,  # the per-platform wheel check (the gate) reads the sandbox index
        on_warning=warnings.append,
        syntax_directive=False,
        build_options=BuildOptions(push=True),
    )
    built_in = time.monotonic() - started
    assert not warnings, warnings
    index = json.loads(_docker("manifest", "inspect", "--insecure", tag).stdout)
    platforms = {f"{m['platform']['os']}/{m['platform']['architecture']}" for m in index["manifests"]}
    assert set(PLATFORMS) <= platforms, index

    # the registry's index, audited per platform without pulling; the arm64 image's Debian packages
    # are read from its dpkg status (the stand-in's, made without running arm64 maintainer scripts)
    reports = {r.image.architecture: r for r in api.audit_registry(tag, context=project)}
    assert {"amd64", "arm64"} <= set(reports), sorted(reports)
    for report in reports.values():
        assert not report.failed, [(c.id, c.summary) for c in report.checks if c.status == "FAIL"]
    # straight from the registry (the engine may hold its own platform's image under that name)
    (arm64,) = read_registry_image(tag, platform="linux/arm64", inventory=True)
    found = inventory(arm64.facts, *project_lock(project))
    assert found.architecture == "arm64"
    libc = next(p for p in found.debian if p.name == "libc6")
    assert libc.architecture == "arm64" and libc.path == "/var/lib/dpkg/status"
    assert {p.name for p in found.debian} >= {"python3", "libpython3.13", "ca-certificates"}
    assert any(d.name.lower() == "flask" for d in found.python) and not found.drift()

    name = f"engine-it-multiarch-{os.getpid()}"
    run = _docker(
        *("run", "-d", "--name", name, "--platform", "linux/arm64", "--network", "host", tag),
        *("gunicorn", "--bind", f"127.0.0.1:{PORT}", "app:app"),
    )
    assert run.returncode == 0, run.stderr
    try:
        machine = _docker("exec", name, "python", "-c", "import platform; print(platform.machine())")
        assert machine.stdout.strip() == "aarch64", machine
        answer = ""
        for _ in range(120):  # gunicorn under qemu starts in seconds, not milliseconds
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{PORT}/healthz", timeout=2) as response:
                    answer = f"{response.status}"
                    break
            except OSError:
                time.sleep(0.5)
        assert answer == "200", _docker("logs", name).stdout + _docker("logs", name).stderr
    finally:
        _docker("rm", "-f", name)
    print(f"multi-arch build: {built_in:.0f} s")
