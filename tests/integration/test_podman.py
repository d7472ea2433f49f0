"""The Podman engine on a representative example: psycopg2-source (a builder stage compiling a C
extension, cache, bind-from and secret mounts) built with `dockwright build --engine podman`, run as
UID 10001, answers HTTP, turns healthy, stops fast and passes the audit; and an image Podman wrote in
its default OCI format (HEALTHCHECK dropped) fails the audit with the cause.

Rootful Podman (the suite runs as root in CI). Needs `python -m sandbox up` with podman installed
(scripts/setup.sh installs it): the sandbox imports the stand-in base images into podman's store and
writes the containers.conf (``default_ulimits = []``) that ``CONTAINERS_CONF`` names.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from sandbox.config import settings
from sandbox.podman import containers_conf, qualified
from tests.integration.harness import REPO, git_commit

from dockwright import api
from dockwright.audit.checks import Status
from dockwright.audit.image import read_image
from dockwright.engine.podman import PodmanEngine

pytestmark = [pytest.mark.docker, pytest.mark.slow, pytest.mark.usefixtures("sandbox")]

EXAMPLE = "psycopg2-source"


def podman(*args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["podman", *args], capture_output=True, text=True, check=check, timeout=300)


@pytest.fixture(scope="module")
def engine() -> Iterator[PodmanEngine]:
    if shutil.which("podman") is None:
        pytest.skip("podman is not installed (scripts/setup.sh installs podman, buildah, skopeo)")
    conf = containers_conf(settings())
    if not conf.exists():
        pytest.skip(f"no sandbox containers.conf at {conf} (python -m sandbox up)")
    previous = os.environ.get("CONTAINERS_CONF")
    os.environ["CONTAINERS_CONF"] = str(conf)
    base = api.plan(REPO / "examples" / EXAMPLE, syntax_directive=False).base_image
    if podman("image", "exists", qualified(base), check=False).returncode != 0:
        pytest.skip(f"podman has no {qualified(base)} (python -m sandbox up imports it)")
    yield PodmanEngine()
    if previous is None:
        os.environ.pop("CONTAINERS_CONF", None)
    else:
        os.environ["CONTAINERS_CONF"] = previous


@pytest.fixture(scope="module")
def built(engine: PodmanEngine, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, str]]:
    path = tmp_path_factory.mktemp("podman") / EXAMPLE
    shutil.copytree(REPO / "examples" / EXAMPLE, path)
    # --private-index: the pipconf secret mount stays in the Dockerfile, so Buildah's secret mounts are covered
    api.init(path, syntax_directive=False, private_index=True)
    git_commit(path)
    tag = "localhost/dockwright-it/podman-psycopg2:test"
    started = time.monotonic()
    image = api.build(path, tag=tag, network="host", engine="podman", syntax_directive=False)
    print(f"\npodman build of {EXAMPLE}: {time.monotonic() - started:.1f} s, {image.size / 1e6:.1f} MB")
    assert image.extra["command"][:4] == [engine.path, "build", "--format", "docker"]
    yield path, tag
    podman("rmi", "-f", tag, check=False)


def _wait_http(url: str, bound: float = 60) -> int:
    deadline = time.monotonic() + bound
    while True:
        try:
            with urllib.request.urlopen(url, timeout=3) as response:
                return int(response.status)
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)


def test_podman_image_runs_as_10001_answers_turns_healthy_and_stops_fast(
    engine: PodmanEngine, built: tuple[Path, str]
) -> None:
    _, tag = built
    # `podman image inspect` does not show it; the image's own config (podman save) does
    assert read_image(engine, tag).config.healthcheck, "--format docker keeps the HEALTHCHECK"
    name = "dw-it-podman-psycopg2"
    engine.remove(name)
    try:
        started = engine.run(tag, detach=True, name=name, network="host")
        assert started.exit_code == 0, started.stderr
        assert _wait_http("http://127.0.0.1:8000/") == 200
        pid = str(engine.container_inspect(name)["State"]["Pid"])
        uid = next(
            line for line in (Path("/proc") / pid / "status").read_text().splitlines() if "Uid:" in line
        )
        assert uid.split()[1] == "10001", "PID 1 (tini) runs as the app user"
        deadline = time.monotonic() + 60
        status = ""
        while time.monotonic() < deadline and status != "healthy":
            status = engine.container_inspect(name)["State"]["Health"]["Status"]
            time.sleep(0.5)
        assert status == "healthy"
        seconds = engine.stop(name)
        print(f"\npodman stop took {seconds:.2f} s")
        assert seconds < 5
    finally:
        engine.remove(name)


def test_podman_image_passes_the_audit(engine: PodmanEngine, built: tuple[Path, str]) -> None:
    path, tag = built
    report = api.audit(tag, engine=engine, context=path, run=True)
    failed = [c for c in report.checks if c.status is Status.FAIL]
    assert not failed, failed
    assert report.check("healthcheck").status is Status.PASS
    assert report.check("startup").status is Status.PASS, report.check("startup")
    assert report.image.files > 1000


def test_oci_format_drops_the_healthcheck_and_the_audit_says_why(
    engine: PodmanEngine, tmp_path: Path
) -> None:
    base = api.plan(REPO / "examples" / EXAMPLE, syntax_directive=False).base_image
    (tmp_path / "Dockerfile").write_text(
        f"FROM {base}\nUSER 10001:10001\nEXPOSE 8000\n"
        'HEALTHCHECK --interval=5s CMD ["python", "-c", "print(1)"]\nCMD ["python", "-m", "http.server"]\n'
    )
    tag = "localhost/dockwright-it/podman-oci:test"
    podman("build", "--network", "host", "--tag", tag, str(tmp_path))  # podman's default: OCI
    try:
        result = api.audit(tag, engine=engine).check("healthcheck")
        assert result.status is Status.FAIL and "OCI format" in result.summary, result
    finally:
        podman("rmi", "-f", tag, check=False)
