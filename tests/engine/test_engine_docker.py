"""The Docker CLI facade offline: client discovery with fake executables, and exact build commands."""

from __future__ import annotations

import dataclasses
import os
import stat
from pathlib import Path

import pytest

from dockwright.engine.base import BuildRequest
from dockwright.engine.docker import (
    Client,
    DockerEngine,
    build_command,
    build_warnings,
    failure_message,
    find_client,
    follow_up_commands,
)
from dockwright.engine.progress import ProgressReader
from dockwright.errors import EngineError


def fake_docker(folder: Path, name: str, *, buildx: bool, buildkit: bool) -> Path:
    """A stand-in `docker` that answers `buildx version` and `build --help` as a real client would."""
    script = folder / name
    script.write_text(
        "#!/bin/sh\n"
        f'if [ "$1" = buildx ]; then exit {0 if buildx else 1}; fi\n'
        'if [ "$1" = build ] && [ "$DOCKER_BUILDKIT" = 1 ]; then '
        f"exit {0 if buildkit else 1}; fi\n"
        "exit 0\n"
    )
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    return script


def test_prefers_buildx_then_a_classic_client_that_accepts_buildkit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("DOCKWRIGHT_DOCKER", raising=False)
    refuses = fake_docker(tmp_path, "refuses", buildx=False, buildkit=False)
    classic = fake_docker(tmp_path, "classic", buildx=False, buildkit=True)
    with_buildx = fake_docker(tmp_path, "withbuildx", buildx=True, buildkit=False)
    assert find_client([str(refuses), str(classic)]) == Client(str(classic), buildx=False)
    assert find_client([str(refuses), str(with_buildx)]) == Client(str(with_buildx), buildx=True)
    with pytest.raises(EngineError, match="no BuildKit-capable Docker client"):
        find_client([str(refuses), str(tmp_path / "missing")])


def test_environment_names_the_client(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    chosen = fake_docker(tmp_path, "mine", buildx=False, buildkit=True)
    monkeypatch.setenv("DOCKWRIGHT_DOCKER", str(chosen))
    assert find_client(["docker"]).path == str(chosen)


def request(**changes: object) -> BuildRequest:
    base = {
        "context": "/p",
        "dockerfile": "/p/Dockerfile",
        "tag": "app:1",
        "build_args": (("VERSION", "1.0"), ("CREATED", "2026-11-23T00:00:00Z")),
    }
    return BuildRequest(**{**base, **changes})  # type: ignore[arg-type]


def test_build_command_carries_every_option() -> None:
    classic = Client("/usr/bin/docker", buildx=False)
    argv = build_command(
        classic,
        request(
            secrets=(("pipconf", "/tmp/x.conf"),),
            target="builder",
            network="host",
            no_cache=True,
            platforms=("linux/amd64",),
            labels=(("a", "b"),),
        ),
    )
    assert argv[:2] == ["/usr/bin/docker", "build"]
    assert argv[-1] == "/p"
    joined = " ".join(argv)
    for part in (
        "--file /p/Dockerfile",
        "--tag app:1",
        "--build-arg VERSION=1.0",
        "--secret id=pipconf,src=/tmp/x.conf",
        "--target builder",
        "--network host",
        "--no-cache",
        "--platform linux/amd64",
        "--label a=b",
        "--progress plain",
    ):
        assert part in joined


def test_several_platforms_need_buildx() -> None:
    two = request(platforms=("linux/amd64", "linux/arm64"))
    with pytest.raises(EngineError, match="buildx"):
        build_command(Client("/usr/bin/docker", buildx=False), two)
    with pytest.raises(EngineError, match=r"cannot be loaded.*--output type=registry"):
        build_command(Client("/usr/bin/docker", buildx=True), two)
    pushed = dataclasses.replace(two, output="type=registry")
    argv = build_command(Client("/usr/bin/docker", buildx=True), pushed)
    assert argv[1:3] == ["buildx", "build"] and "--load" not in argv
    assert "linux/amd64,linux/arm64" in argv and argv[argv.index("--output") + 1] == "type=registry"
    one = build_command(Client("/usr/bin/docker", buildx=True), request(platforms=("linux/arm64",)))
    assert one[1:4] == ["buildx", "build", "--load"], "one platform still loads into the engine"


def test_no_secret_value_in_the_command(tmp_path: Path) -> None:
    secret = tmp_path / "pip.conf"
    secret.write_text("[global]\nindex-url = https://user:hunter2@pypi.internal/simple\n")
    argv = build_command(Client("docker", buildx=True), request(secrets=(("pipconf", str(secret)),)))
    assert "hunter2" not in " ".join(argv)
    assert os.environ.get("PIP_INDEX_URL", "") == "" or "hunter2" not in os.environ["PIP_INDEX_URL"]


def test_registry_options_and_builder_go_to_buildx() -> None:
    argv = build_command(
        Client("/usr/bin/docker", buildx=True),
        request(
            push=True,
            cache_from=("type=registry,ref=reg/app:cache",),
            cache_to=("type=inline",),
            builder="ci",
            secret_specs=("id=npm,env=NPM_TOKEN",),
        ),
    )
    assert argv[1:6] == ["buildx", "build", "--builder", "ci", "--push"]
    assert "--load" not in argv, "--push replaces --load"
    joined = " ".join(argv)
    for part in (
        "--cache-from type=registry,ref=reg/app:cache",
        "--cache-to type=inline",
        "--secret id=npm,env=NPM_TOKEN",
    ):
        assert part in joined


@pytest.mark.parametrize(
    ("changes", "feature"),
    [
        ({"push": True}, "--push"),
        ({"cache_to": ("type=inline",)}, "--cache-to"),
        ({"builder": "ci"}, "--builder"),
    ],
)
def test_buildx_features_on_a_classic_client_name_the_fix(changes: dict[str, object], feature: str) -> None:
    with pytest.raises(EngineError, match=rf"^{feature} needs docker buildx.*install docker-buildx"):
        build_command(Client("/usr/bin/docker", buildx=False), request(**changes))


@pytest.mark.parametrize(
    ("engine_says", "fix"),
    [
        ("ERROR: Cache export is not supported for the docker driver.", "--cache-to type=inline"),
        ("ERROR: no basic auth credentials", "docker login"),
        ("ERROR: failed to push: 401 Unauthorized", "docker login"),
        ('ERROR: Get "http://127.0.0.1:9/v2/": dial tcp 127.0.0.1:9: connect: connection refused', "answer"),
        ('ERROR: no builder "nope" found', "docker buildx ls"),
        ("ERROR: docker exporter does not currently support exporting manifest lists", "--push"),
        ('ERROR: exporter option "rewrite-timestamp" conflicts with "unpack"', "type=oci,dest=FILE.tar"),
        ("ERROR: OCI exporter is not supported for the docker driver.", "containerd image store"),
    ],
)
def test_engine_failures_become_one_line_naming_the_fix(engine_says: str, fix: str) -> None:
    message = failure_message(ProgressReader(), f"#1 building\n{engine_says}\n", None)
    first = message.splitlines()[0]
    assert first.startswith("build failed: ") and fix in first


def test_a_missing_cache_from_ref_is_a_warning() -> None:
    log = (
        "#6 importing cache manifest from 127.0.0.1:3150/nothing:here\n"
        "#6 ERROR: failed to configure registry cache importer: 127.0.0.1:3150/nothing:here: not found\n"
    )
    (warning,) = build_warnings(log)
    assert warning.startswith("--cache-from found no cache") and "nothing:here" in warning


def test_reproducible_exports_with_rewritten_timestamps_and_no_provenance() -> None:
    buildx = Client("/usr/bin/docker", buildx=True)
    pushed = build_command(buildx, request(push=True, reproducible=True, builder="ci"))
    assert "--push" not in pushed and "--load" not in pushed and "--provenance=false" in pushed
    assert "--tag" not in pushed, "the containerd store refuses rewrite-timestamp with a --tag (unpack)"
    assert pushed[pushed.index("--output") + 1] == "type=image,name=app:1,push=true,rewrite-timestamp=true"
    oci = build_command(buildx, request(output="type=oci,dest=/t/app.tar", reproducible=True))
    assert oci[oci.index("--output") + 1] == "type=oci,dest=/t/app.tar,rewrite-timestamp=true"
    with pytest.raises(EngineError, match=r"^--reproducible with --builder needs --push or --output"):
        build_command(buildx, request(reproducible=True, builder="ci"))
    assert follow_up_commands(buildx, request(push=True, reproducible=True, builder="ci")) == []


def test_reproducible_on_the_docker_driver_exports_then_loads_and_pushes() -> None:
    """Docker 26's docker driver refuses rewrite-timestamp while it unpacks (load, push): export, load, push."""
    buildx = Client("/usr/bin/docker", buildx=True)
    argv = build_command(buildx, request(push=True, reproducible=True), "/tmp/x/image.oci.tar")
    assert "--push" not in argv and "--load" not in argv
    assert argv[argv.index("--tag") + 1] == "app:1", "names the archive's image for docker load"
    assert argv[argv.index("--output") + 1] == "type=oci,dest=/tmp/x/image.oci.tar,rewrite-timestamp=true"
    assert follow_up_commands(buildx, request(push=True, reproducible=True), "/tmp/x/image.oci.tar") == [
        ["/usr/bin/docker", "load", "--input", "/tmp/x/image.oci.tar"],
        ["/usr/bin/docker", "push", "app:1"],
    ]
    loaded_only = follow_up_commands(buildx, request(reproducible=True))
    assert loaded_only == [["/usr/bin/docker", "load", "--input", "image.oci.tar"]]
    assert follow_up_commands(buildx, request(push=True)) == [], "only reproducible builds export first"


def fake_engine_cli(folder: Path, driver: str, driver_status: str) -> Path:
    """A stand-in `docker` answering `buildx inspect` and `info` like Docker 26 does."""
    script = folder / "docker"
    script.write_text(
        "#!/bin/sh\n"
        f'if [ "$1" = buildx ]; then printf "Name:          default\\nDriver:        {driver}\\n"; exit 0; fi\n'
        f"if [ \"$1\" = info ]; then echo '{driver_status}'; exit 0; fi\n"
        "exit 1\n"
    )
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    return script


CLASSIC = '[["Backing Filesystem","extfs"],["Supports d_type","true"]]'
CONTAINERD = '[["driver-type","io.containerd.snapshotter.v1"]]'


@pytest.mark.parametrize(
    ("driver", "status", "refused"),
    [("docker", CLASSIC, True), ("docker", CONTAINERD, False), ("docker-container", CLASSIC, False)],
)
def test_reproducible_is_refused_where_rewrite_timestamp_is_ignored(
    tmp_path: Path, driver: str, status: str, refused: bool
) -> None:
    engine = DockerEngine(Client(str(fake_engine_cli(tmp_path, driver, status)), buildx=True))
    if refused:
        with pytest.raises(EngineError, match=r"^--reproducible: Docker's classic image store ignores"):
            engine.check_rewrites_timestamps(None)
    else:
        engine.check_rewrites_timestamps("ci")
