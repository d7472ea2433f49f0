"""`dockwright build` keeps the trimmed runtime's root stage as a local image (dockwright.engine.root_image).

flask-requirements is initialised and built with `dockwright build`: the root image exists afterwards;
a `--no-cache` rebuild takes the root from it (no root copy in the log) and says so; the app image's
first layer is the root image's, and the same blob as a plain `docker build` of the same Dockerfile.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from sandbox.config import DOCKER
from tests.integration.harness import PYPI, REPO, TAG_PREFIX, docker, git_commit

from dockwright import api
from dockwright.cli import cli
from dockwright.engine.docker import DockerEngine

pytestmark = [pytest.mark.docker, pytest.mark.usefixtures("sandbox")]

APP = f"{TAG_PREFIX}/kept-root:test"
PLAIN = f"{TAG_PREFIX}/kept-root-plain:test"


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    if not DockerEngine().client.buildx:
        pytest.skip("the Docker client has no buildx (python -m sandbox up installs it)")
    path = tmp_path_factory.mktemp("kept-root") / "flask-requirements"
    shutil.copytree(REPO / "examples" / "flask-requirements", path)
    api.init(path, syntax_directive=False, index_url=PYPI)
    git_commit(path)
    yield path
    docker("image", "rm", APP, PLAIN, check=False)


def layers(ref: str) -> list[str]:
    return list(json.loads(docker("image", "inspect", ref).stdout)[0]["RootFS"]["Layers"])


def test_the_root_is_kept_reused_under_no_cache_and_is_the_in_file_builds_layer(project: Path) -> None:
    first = CliRunner().invoke(
        cli, ["build", str(project), "--tag", APP, "--network", "host", "--progress", "plain"]
    )
    assert first.exit_code == 0, first.output
    match = re.search(r"^root: (?:built|reused) (dockwright-root:\S+)", first.output, re.MULTILINE)
    assert match, first.output
    root = match[1]
    assert len(layers(root)) == 1, "FROM scratch + one COPY of the trimmed base"

    again = CliRunner().invoke(
        cli, ["build", str(project), "--tag", APP, "--network", "host", "--progress", "plain", "--no-cache"]
    )
    assert again.exit_code == 0, again.output
    assert f"root: reused {root}" in again.output and "--no-cache keeps it" in again.output
    assert "COPY --from=base / /" not in again.output, "the root was copied again"
    app = layers(APP)
    assert app[0] == layers(root)[0]

    plain = subprocess.run(
        [DOCKER, "build", "--network", "host", "--no-cache", "-q", "-t", PLAIN, str(project)],
        capture_output=True,
        text=True,
        timeout=1800,
        env={**os.environ, "DOCKER_BUILDKIT": "1"},
    )
    assert plain.returncode == 0, plain.stderr
    built = layers(PLAIN)
    assert built[0] == app[0], "docker build . makes the same root blob"
    assert len(built) == len(app)
