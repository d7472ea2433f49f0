"""Builds that push to the sandbox registries and share a registry cache (Docker 26 + buildx).

The cache test empties the engine's build cache, so it is marked ``prunes_build_cache`` and runs last
(tests/integration/conftest.py) after the example images are built.
"""

from __future__ import annotations

import base64
import functools
import json
import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.integration.harness import REPO, docker

from dockwright import api
from dockwright.build import BuildOptions
from dockwright.engine.base import BuildRequest, Image
from dockwright.engine.docker import DockerEngine
from dockwright.errors import EngineError

pytestmark = [pytest.mark.docker, pytest.mark.usefixtures("sandbox")]

REGISTRY = os.environ.get("DOCKWRIGHT_SANDBOX_REGISTRY", "127.0.0.1:3150")
AUTH_REGISTRY = os.environ.get("DOCKWRIGHT_SANDBOX_REGISTRY_AUTH", "127.0.0.1:3151")
BASE = f"{REGISTRY}/python:3.11.15-slim-bookworm"


# what this module's builds tag in the engine's store (a push with the docker driver keeps a local copy)
MADE = (
    "engine-it/tiny:1",
    f"{REGISTRY}/engine-it/tiny:1",
    f"{AUTH_REGISTRY}/engine-it/tiny:1",
    "127.0.0.1:9/engine-it/tiny:1",
    "engine-it/flask:from-cache",
)


@pytest.fixture(scope="module", autouse=True)
def _made_images_removed() -> Iterator[None]:
    yield
    ids = {docker("image", "inspect", "-f", "{{.Id}}", ref, check=False).stdout.strip() for ref in MADE}
    docker("image", "rm", *MADE, check=False)
    for image in ids - {""}:  # left named only by the digests it was pushed under: nobody else's
        names = docker(
            "image", "inspect", "-f", "{{len .RepoTags}} {{json .RepoDigests}}", image, check=False
        )
        count, _, digests = names.stdout.partition(" ")
        if names.returncode == 0 and count == "0":
            docker("image", "rm", *json.loads(digests), check=False)


@pytest.fixture(scope="module")
def buildx() -> DockerEngine:
    engine = DockerEngine()
    if not engine.client.buildx:
        pytest.skip(f"{engine.client.path} has no buildx (the sandbox's Docker 26 has: python -m sandbox up)")
    if docker("manifest", "inspect", "--insecure", BASE, check=False).returncode != 0:
        pytest.skip(f"the sandbox registry does not hold {BASE} (python -m sandbox up)")
    return engine


def _tiny(tmp_path: Path) -> BuildRequest:
    (tmp_path / "Dockerfile").write_text(f"FROM {BASE}\nRUN echo built > /built\n")
    return BuildRequest(str(tmp_path), str(tmp_path / "Dockerfile"), "engine-it/tiny:1", network="host")


def _config_with(tmp_path: Path, auth: str | None) -> Path:
    """A DOCKER_CONFIG holding the sandbox client's buildx plugin and (optionally) one registry login."""
    config = tmp_path / "docker-config"
    plugin = Path(os.environ.get("DOCKER_CONFIG", str(Path.home() / ".docker"))) / "cli-plugins"
    if plugin.is_dir():
        shutil.copytree(plugin, config / "cli-plugins", symlinks=True)
    config.mkdir(exist_ok=True)
    auths = {AUTH_REGISTRY: {"auth": base64.b64encode(auth.encode()).decode()}} if auth else {}
    (config / "config.json").write_text(json.dumps({"auths": auths}))
    return config


def test_push_to_the_registry_with_the_engine_command_printed(buildx: DockerEngine, tmp_path: Path) -> None:
    request = _tiny(tmp_path)
    pushed = BuildRequest(**{**request.__dict__, "tag": f"{REGISTRY}/engine-it/tiny:1", "push": True})
    assert "--push" in buildx.build_command(pushed)
    image = buildx.build(pushed)
    assert image.extra["output"] == "type=registry"
    assert docker("manifest", "inspect", "--insecure", pushed.tag, check=False).returncode == 0


@pytest.mark.parametrize(
    ("auth", "says"),
    [
        (None, "the registry wants credentials"),
        ("dockwright:wrong-password", "the registry refused the credentials"),
    ],
)
def test_registry_credentials(
    buildx: DockerEngine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, auth: str | None, says: str
) -> None:
    monkeypatch.setenv("DOCKER_CONFIG", str(_config_with(tmp_path, auth)))
    request = _tiny(tmp_path)
    pushed = BuildRequest(**{**request.__dict__, "tag": f"{AUTH_REGISTRY}/engine-it/tiny:1", "push": True})
    with pytest.raises(EngineError) as failure:
        buildx.build(pushed)
    assert str(failure.value).startswith(f"build failed: {says}")


def test_good_credentials_push(buildx: DockerEngine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    user = os.environ.get("DOCKWRIGHT_SANDBOX_REGISTRY_USER", "dockwright")
    password = os.environ.get("DOCKWRIGHT_SANDBOX_REGISTRY_PASSWORD", "sandbox-test-password")
    monkeypatch.setenv("DOCKER_CONFIG", str(_config_with(tmp_path, f"{user}:{password}")))
    request = _tiny(tmp_path)
    pushed = BuildRequest(**{**request.__dict__, "tag": f"{AUTH_REGISTRY}/engine-it/tiny:1", "push": True})
    assert buildx.build(pushed).extra["output"] == "type=registry"


def test_an_unreachable_registry_is_one_line(buildx: DockerEngine, tmp_path: Path) -> None:
    request = _tiny(tmp_path)
    pushed = BuildRequest(**{**request.__dict__, "tag": "127.0.0.1:9/engine-it/tiny:1", "push": True})
    with pytest.raises(EngineError, match=r"^build failed: the registry does not answer"):
        buildx.build(pushed)


def test_a_missing_cache_ref_warns_and_builds(buildx: DockerEngine, tmp_path: Path) -> None:
    request = _tiny(tmp_path)
    missing = BuildRequest(
        **{**request.__dict__, "cache_from": (f"type=registry,ref={REGISTRY}/nothing:here",)}
    )
    image = buildx.build(missing)
    assert image.image_id.startswith("sha256:")
    assert any(w.startswith("--cache-from found no cache") for w in image.extra["warnings"])


def test_registry_cache_export_on_the_docker_driver_names_the_fix(
    buildx: DockerEngine, tmp_path: Path
) -> None:
    request = _tiny(tmp_path)
    cached = BuildRequest(
        **{**request.__dict__, "cache_to": (f"type=registry,ref={REGISTRY}/engine-it/c:1",)}
    )
    driver = subprocess.run(
        [buildx.client.path, "buildx", "inspect"], capture_output=True, text=True, check=False
    ).stdout
    if (
        "containerd.snapshotter" in docker("info", "--format", "{{json .DriverStatus}}").stdout
        or "docker-container" in driver
    ):
        pytest.skip("this builder exports registry cache")
    with pytest.raises(EngineError, match=r"^build failed: --cache-to type=registry needs .*type=inline"):
        buildx.build(cached)


@pytest.mark.prunes_build_cache
def test_a_fresh_engine_reuses_the_dependency_layers_from_the_registry(
    buildx: DockerEngine, tmp_path: Path
) -> None:
    """Build and push with the cache inline; empty the local cache; build again from the registry cache."""
    project = tmp_path / "flask"
    shutil.copytree(REPO / "examples" / "flask-requirements", project)
    api.init(project, syntax_directive=False)
    tag = f"{REGISTRY}/engine-it/flask:cache"
    first = api.build(
        project,
        tag=tag,
        network="host",
        syntax_directive=False,
        build_options=BuildOptions(push=True, cache_to=("type=inline",)),
    )
    assert first.extra["output"] == "type=registry"
    docker("image", "rm", "-f", tag, check=False)
    docker("builder", "prune", "-af", timeout=300)
    try:
        second = _build_from_registry_cache(project, tag)
    finally:
        # the registry cache's lazy references stay in the engine's build cache; a later build of the same
        # lock on this engine (the next test run's example images) would fail with "unlazy requires an
        # applier": leave the cache as empty as this test found it
        docker("builder", "prune", "-af", timeout=300, check=False)
    runs = {
        line.split(" ", 1)[0]: line for line in second.log.splitlines() if re.match(r"#\d+ \[.*\] RUN ", line)
    }
    cached = {line.split(" ", 1)[0] for line in second.log.splitlines() if re.fullmatch(r"#\d+ CACHED", line)}
    assert any("pip" in line and "install" in line for line in runs.values()), second.log
    executed = [line for vertex, line in runs.items() if vertex not in cached]
    assert not executed, f"steps ran instead of coming from the registry cache: {executed}"


def _build_from_registry_cache(project: Path, tag: str) -> Image:
    """The build from the registry cache; once more after another prune when Docker 26's classic image
    store fails its export with "failed to get layer ...: layer does not exist" (or, after such a failure
    left lazy references, "unlazy requires an applier"). That engine error came
    in two of four full CI runs, each time after every step was CACHED from the registry (so what this
    test checks had held), and never in the runs of this file alone; a second failure still fails."""
    options = BuildOptions(cache_from=(f"type=registry,ref={tag}",))
    build = functools.partial(
        api.build, project, tag="engine-it/flask:from-cache", network="host", syntax_directive=False
    )
    try:
        return build(build_options=options)
    except EngineError as err:
        if "layer does not exist" not in str(err) and "unlazy requires an applier" not in str(err):
            raise
    docker("builder", "prune", "-af", timeout=300)
    return build(build_options=options)
