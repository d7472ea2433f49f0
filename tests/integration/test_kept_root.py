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


def _ahead_names() -> list[str]:
    listed = docker("image", "ls", "--format", "{{.Repository}}:{{.Tag}}", "dockwright-ahead").stdout
    return [line for line in listed.splitlines() if line.strip()]


@pytest.mark.parametrize("client", ["api", "cli"])
def test_a_build_after_an_edit_is_built_ahead_and_a_new_plan_is_not(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, client: str
) -> None:
    """dockwright/build_ahead.py on the real engine: after a source edit the kept plan's build runs
    beside the planning and gets the tag (moved through the Engine API's socket, or the CLI); a commit
    (another REVISION build arg) stops it, and no `dockwright-ahead` name is left either way."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setenv("DOCKWRIGHT_PLAN_CACHE", "on")
    if client == "api":  # the user's `docker` on PATH: dockwright reads the default socket
        monkeypatch.delenv("DOCKWRIGHT_DOCKER", raising=False)
        monkeypatch.setenv("PATH", f"{Path(DOCKER).parent}{os.pathsep}{os.environ.get('PATH', '')}")
    else:
        monkeypatch.setenv("DOCKWRIGHT_DOCKER", DOCKER)
    app_tag = f"{TAG_PREFIX}/built-ahead-{client}:test"
    path = tmp_path / "app"
    shutil.copytree(project, path)
    try:
        first = api.build(path, tag=app_tag, network="host")
        assert "built_ahead" not in first.extra
        source = path / "app.py"
        source.write_text(source.read_text() + "\n# an edit\n")
        second = api.build(path, tag=app_tag, network="host")
        assert second.extra.get("built_ahead") is True
        assert json.loads(docker("image", "inspect", app_tag).stdout)[0]["Id"] == second.image_id
        assert "dockwright-ahead" not in str(second.extra["log_file"])
        assert _ahead_names() == []
        revision = git_commit(path)  # the plan's REVISION build arg changes: another build
        third = api.build(path, tag=app_tag, network="host")
        assert "built_ahead" not in third.extra
        labels = json.loads(docker("image", "inspect", app_tag).stdout)[0]["Config"]["Labels"]
        assert labels["org.opencontainers.image.revision"] == revision
        assert _ahead_names() == []
    finally:
        docker("image", "rm", app_tag, check=False)
