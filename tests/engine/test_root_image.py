"""The kept root image offline: which Dockerfiles have a root stage it can stand for, its key, its
name, where it is not used, the build command, and the engine's two paths (build it once, reuse it)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from dockwright.engine.base import BuildRequest, BuildStep, Image
from dockwright.engine.docker import Client, DockerEngine, build_command
from dockwright.engine.root_image import (
    RootStage,
    fetchers,
    root_key,
    root_stage,
    root_tag,
    unused_because,
)
from dockwright.errors import EngineError
from dockwright.project.tree import data_table

REPO = Path(__file__).resolve().parents[2]
GOLDEN = REPO / "tests" / "golden" / "flask-requirements" / "Dockerfile"

SMALL = """\
# syntax=docker/dockerfile:1
ARG PY=3.13
FROM python:3.13.1-slim-trixie AS base
ARG SOURCE_DATE_EPOCH
RUN rm -rf /usr/local/lib/python3.13/site-packages/pip

FROM python:3.13.1-slim-trixie AS builder
RUN python -m venv /opt/venv

FROM scratch AS root
COPY --from=base / /

FROM root AS runtime
COPY --from=builder /opt/venv /opt/venv
COPY . .
"""


def stage(text: str = SMALL) -> RootStage:
    found = root_stage(text)
    assert found is not None
    return found


def test_the_generated_trimmed_dockerfile_has_a_root_stage_that_can_be_kept() -> None:
    found = stage(GOLDEN.read_text())
    assert found.source == "base"
    assert found.upstream.startswith("python:") and "slim" in found.upstream
    assert found.args == ("SOURCE_DATE_EPOCH",)
    assert "FROM scratch AS root" in found.text and "COPY --from=base / /" in found.text
    assert "AS builder" not in found.text and "AS runtime" not in found.text


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("FROM scratch AS root", "FROM scratch AS rootfs"),  # no stage called root
        ("COPY --from=base / /\n", "COPY --from=base / /\nENV A=1\n"),  # more than the copy
        ("COPY --from=base / /", "COPY --from=base /usr /usr"),  # not the whole tree
        ("COPY --from=base / /", "COPY --link --from=base / /"),  # another flag
        ("ARG SOURCE_DATE_EPOCH\n", "ARG SOURCE_DATE_EPOCH\nCOPY trim.py /\n"),  # reads the context
        ("RUN rm", "RUN --mount=type=cache,target=/c rm"),  # a mount's content is not in the key
        ("FROM python:3.13.1-slim-trixie AS base", "FROM python:${PY}-slim-trixie AS base"),  # an ARG
        ("FROM root AS runtime", "FROM scratch AS runtime"),  # nothing starts FROM it
    ],
)
def test_a_root_stage_that_depends_on_more_than_the_key_is_built_in_the_file(old: str, new: str) -> None:
    assert old in SMALL
    assert root_stage(SMALL.replace(old, new)) is None


def test_the_key_follows_what_the_roots_bytes_depend_on_and_nothing_else() -> None:
    args = {"SOURCE_DATE_EPOCH": "1700000000", "VERSION": "1.0"}
    key = root_key(stage(), "sha256:aaa", "linux/amd64", args)
    assert len(key) == 24 and key == root_key(stage(), "sha256:aaa", "linux/amd64", dict(args))
    changed = [
        root_key(stage(), "sha256:bbb", "linux/amd64", args),  # a newer pull of the same tag
        root_key(stage(), "sha256:aaa", "linux/arm64", args),
        root_key(stage(), "sha256:aaa", "linux/amd64", {**args, "SOURCE_DATE_EPOCH": "1"}),
        root_key(stage(), "sha256:aaa", "linux/amd64", {"VERSION": "1.0"}),
        root_key(
            stage(SMALL.replace("site-packages/pip", "site-packages/pip*")), "sha256:aaa", "linux/amd64", args
        ),
        root_key(stage(SMALL.replace("/dockerfile:1", "/dockerfile:1.7")), "sha256:aaa", "linux/amd64", args),
    ]
    assert key not in changed and len(set(changed)) == len(changed)
    same = [
        root_key(stage(), "sha256:aaa", "linux/amd64", {**args, "VERSION": "2.0"}),  # not read by the stages
        root_key(stage(SMALL.replace("COPY . .", "COPY app.py .")), "sha256:aaa", "linux/amd64", args),
        root_key(stage(SMALL.replace("venv /opt/venv", "venv /venv")), "sha256:aaa", "linux/amd64", args),
    ]
    assert set(same) == {key}


def test_the_tag_names_the_upstream_image_and_fits_dockers_limit() -> None:
    assert (
        root_tag("python:3.13.1-slim-trixie", "0" * 24)
        == f"dockwright-root:python-3.13.1-slim-trixie-{'0' * 24}"
    )
    long = root_tag("registry.example.com:5000/team/" + "x" * 200 + ":1@sha256:" + "f" * 64, "1" * 24)
    name, tag = long.split(":", 1)
    assert name == "dockwright-root" and len(tag) <= 128 and tag.endswith("1" * 24)


def request(**changes: object) -> BuildRequest:
    return dataclasses.replace(BuildRequest("/ctx", "/ctx/Dockerfile", "app:1"), **changes)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("changes", "why"),
    [
        ({}, None),
        ({"platforms": ("linux/amd64",)}, None),
        ({"target": "runtime", "no_cache": True}, None),
        ({"platforms": ("linux/arm64",)}, "--platform"),
        ({"platforms": ("linux/amd64", "linux/arm64")}, "--platform"),
        ({"output": "type=oci,dest=a.tar"}, "--output"),
        ({"push": True}, "--push"),
        ({"builder": "remote"}, "--builder"),
        ({"reproducible": True}, "--reproducible"),
        ({"target": "root"}, "--target"),
        ({"cache_from": ("type=registry,ref=reg/app:cache",)}, "--cache-from"),
        ({"cache_to": ("type=inline",)}, "--cache-to"),
    ],
)
def test_only_the_verified_path_keeps_a_root_image(changes: dict[str, object], why: str | None) -> None:
    assert unused_because(request(**changes), "linux/amd64") == why


def test_the_build_context_reaches_buildx_and_a_classic_client_refuses_it() -> None:
    wanted = request(build_contexts=(("root", "docker-image://dockwright-root:python-1"),))
    argv = build_command(Client("/usr/bin/docker", buildx=True), wanted)
    assert argv[argv.index("--build-context") + 1] == "root=docker-image://dockwright-root:python-1"
    with pytest.raises(EngineError, match="--build-context needs docker buildx"):
        build_command(Client("/usr/bin/docker", buildx=False), wanted)


class KeptRootEngine(DockerEngine):
    """DockerEngine with the engine's answers scripted and its builds recorded."""

    def __init__(self, images: dict[str, str]) -> None:
        super().__init__(Client("/usr/bin/docker", buildx=True))
        self.images = images
        self.builds: list[BuildRequest] = []
        self.driver = "docker"
        self.removed: list[str] = []

    def remove_image(self, image_id: str) -> None:
        self.removed.append(image_id)

    def native_platform(self) -> str:
        return "linux/amd64"

    def buildx_driver(self, builder: str | None) -> str:
        return self.driver

    def local_image_id(self, ref: str, pull: bool = True) -> str:
        return self.images.get(ref, "")

    def _build(self, request: BuildRequest, on_step: object = None) -> Image:
        self.builds.append(request)
        self.images[request.tag] = "sha256:" + "9" * 64
        return Image(request.tag, "sha256:" + "1" * 64, 1)


def kept(tmp_path: Path, **changes: object) -> BuildRequest:
    dockerfile = tmp_path / "Dockerfile"
    dockerfile.write_text(SMALL)
    return dataclasses.replace(
        BuildRequest(
            str(tmp_path), str(dockerfile), "app:1", secrets=(("pipconf", "/tmp/x"),), reuse_root=True
        ),
        **changes,  # type: ignore[arg-type]
    )


def test_the_root_is_built_once_then_reused_under_no_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("dockwright.engine.root_image.others", lambda executable, tag: [])
    engine = KeptRootEngine({"python:3.13.1-slim-trixie": "sha256:" + "a" * 64})
    steps: list[BuildStep] = []
    first = engine.build(kept(tmp_path), steps.append)
    root, app = engine.builds
    assert root.target == "root" and root.tag.startswith("dockwright-root:python-3.13.1-slim-trixie-")
    assert root.secrets == () and root.build_contexts == () and not root.reuse_root
    assert (
        app.build_contexts == (("root", f"docker-image://{root.tag}"),)
        and app.secrets == kept(tmp_path).secrets
    )
    assert first.extra["notes"][0].startswith(f"root: built {root.tag}")
    engine.builds.clear()
    again = engine.build(kept(tmp_path, no_cache=True))
    (app,) = engine.builds
    assert app.build_contexts == (("root", f"docker-image://{root.tag}"),) and app.no_cache
    assert again.extra["notes"][0].startswith(f"root: reused {root.tag}")
    assert "--no-cache keeps it" in again.extra["notes"][0]


def test_a_new_pull_of_the_base_makes_a_new_root_and_names_the_old_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("dockwright.engine.root_image.others", lambda executable, tag: [])
    engine = KeptRootEngine({"python:3.13.1-slim-trixie": "sha256:" + "a" * 64})
    engine.build(kept(tmp_path))
    old = engine.builds[0].tag
    engine.images["python:3.13.1-slim-trixie"] = "sha256:" + "b" * 64
    monkeypatch.setattr("dockwright.engine.root_image.others", lambda executable, tag: [old])
    engine.builds.clear()
    image = engine.build(kept(tmp_path))
    assert engine.builds[0].target == "root" and engine.builds[0].tag != old
    assert (
        image.extra["notes"][1]
        == f"root: 1 other root image(s) of python:3.13.1-slim-trixie: docker image rm {old}"
    )


@pytest.mark.parametrize(
    ("setup", "why"),
    [
        (lambda e: setattr(e, "driver", "docker-container"), "a builder other than the docker driver"),
        (
            lambda e: e.images.clear(),
            "python:3.13.1-slim-trixie is not in the engine and could not be pulled",
        ),
    ],
)
def test_elsewhere_the_root_is_built_in_the_file_and_the_build_says_why(
    tmp_path: Path, setup: object, why: str
) -> None:
    engine = KeptRootEngine({"python:3.13.1-slim-trixie": "sha256:" + "a" * 64})
    setup(engine)  # type: ignore[operator]
    image = engine.build(kept(tmp_path))
    (app,) = engine.builds
    assert app.build_contexts == () and app.target is None
    assert image.extra["notes"] == (f"root: built in the file ({why}: no kept root image on that path)",)


def test_a_dockerfile_without_a_root_stage_builds_as_before(tmp_path: Path) -> None:
    engine = KeptRootEngine({})
    request = kept(tmp_path)
    Path(request.dockerfile).write_text("FROM python:3.13.1-slim-trixie\nCOPY . .\n")
    image = engine.build(request)
    (app,) = engine.builds
    assert app == dataclasses.replace(request, reuse_root=False) and "notes" not in image.extra


APT = SMALL.replace(
    "RUN rm -rf /usr/local/lib/python3.13/site-packages/pip\n",
    "RUN rm -rf /usr/local/lib/python3.13/site-packages/pip\n"
    "RUN apt-get update \\\n    && apt-get install -y --no-install-recommends libpq5\n",
)


def test_the_stages_downloads_are_named_and_the_trim_alone_downloads_nothing() -> None:
    """The run-time apt packages are installed in the base stage: the mirror's packages of the day are
    bytes of the root that no key covers. The trim's python script naming "pip" is no program run."""
    assert stage().fetches == ()
    assert stage(GOLDEN.read_text()).fetches == ()
    assert stage(APT).fetches == ("apt-get",)
    exec_form = SMALL.replace("RUN rm -rf", 'RUN ["curl", "-fsSLO", "https://x.example/a"]\nRUN rm -rf')
    assert stage(exec_form).fetches == ("curl",)
    assigned = SMALL.replace("RUN rm -rf", "RUN A=1 /usr/bin/wget -q https://x.example/a && rm -rf")
    assert stage(assigned).fetches == ("wget",)


def test_the_downloading_programs_come_from_the_data_table_with_their_sources() -> None:
    rows = data_table("fetchers.toml")["fetcher"]
    assert all(row["names"] and row["fetches"] and row["source"].startswith("https://") for row in rows)
    names = [name for row in rows for name in row["names"]]
    assert len(names) == len(set(names)) and fetchers() == frozenset(names)
    assert {"apt-get", "apk", "pip", "uv", "curl", "wget", "git", "conda", "go"} <= fetchers()
    assert "python" not in fetchers() and "rm" not in fetchers()


def test_no_cache_rebuilds_a_root_whose_base_stage_downloads(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A kept root is reused under --no-cache only when its key covers all its bytes: a base stage
    running apt-get builds the root again without the cache (the security update of libpq5 the user
    asked --no-cache for), under the same tag; a build with the cache reuses it as BuildKit would."""
    monkeypatch.setattr("dockwright.engine.root_image.others", lambda executable, tag: [])
    engine = KeptRootEngine({"python:3.13.1-slim-trixie": "sha256:" + "a" * 64})
    first = kept(tmp_path)
    Path(first.dockerfile).write_text(APT)
    engine.build(first)
    tag = engine.builds[0].tag
    engine.builds.clear()
    engine.build(first)
    (app,) = engine.builds
    assert app.build_contexts == (("root", f"docker-image://{tag}"),)
    engine.builds.clear()
    engine.images[tag] = "sha256:" + "0" * 64  # the kept root before the rebuild
    image = engine.build(dataclasses.replace(first, no_cache=True))
    root, app = engine.builds
    assert root.target == "root" and root.tag == tag and root.no_cache
    assert engine.removed == ["sha256:" + "0" * 64], "the old root, untagged by the rebuild, is removed"
    assert app.build_contexts == (("root", f"docker-image://{tag}"),)
    assert image.extra["notes"][0].startswith(f"root: rebuilt {tag}") and "apt-get" in image.extra["notes"][0]


def test_source_date_epoch_from_the_environment_is_in_the_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """buildx passes the client's SOURCE_DATE_EPOCH as the build arg of that name (buildx #1482), which
    the base stage reads (the user's files dated by it): another value is another root."""
    monkeypatch.setattr("dockwright.engine.root_image.others", lambda executable, tag: [])
    engine = KeptRootEngine({"python:3.13.1-slim-trixie": "sha256:" + "a" * 64})
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    engine.build(kept(tmp_path))
    plain = engine.builds[0].tag
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    engine.builds.clear()
    engine.build(kept(tmp_path))
    dated = engine.builds[0].tag
    assert engine.builds[0].target == "root" and dated != plain
    with_arg = kept(tmp_path, build_args=(("SOURCE_DATE_EPOCH", "1700000000"),))
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    engine.builds.clear()
    engine.build(with_arg)
    (app,) = engine.builds  # the same root: the argument and the environment say the same
    assert app.build_contexts == (("root", f"docker-image://{dated}"),)


def test_the_other_roots_named_are_of_the_same_base_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """python:3.13 and python:3.13-slim make tags one of which starts like the other's prefix: the
    removal the build suggests names only roots of its own base."""
    from dockwright.engine import root_image

    key = "a" * 24
    listed = [
        f"dockwright-root:python-3.13-{'b' * 24}",
        f"dockwright-root:python-3.13-slim-{'c' * 24}",
        f"dockwright-root:python-3.13-{key}",
    ]

    class Done:
        returncode = 0
        stdout = "\n".join(listed)

    monkeypatch.setattr("dockwright.engine.root_image.subprocess.run", lambda *a, **k: Done())
    assert root_image.others("docker", f"dockwright-root:python-3.13-{key}") == [listed[0]]


def test_a_default_platform_from_the_environment_is_a_platform(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """DOCKER_DEFAULT_PLATFORM makes docker build for that platform without --platform: keyed with the
    engine's own, an arm64 root would be kept under the amd64 key and reused by the next amd64 build."""
    monkeypatch.setattr("dockwright.engine.root_image.others", lambda executable, tag: [])
    engine = KeptRootEngine({"python:3.13.1-slim-trixie": "sha256:" + "a" * 64})
    monkeypatch.setenv("DOCKER_DEFAULT_PLATFORM", "linux/arm64")
    image = engine.build(kept(tmp_path))
    (app,) = engine.builds
    assert app.build_contexts == ()
    assert image.extra["notes"] == (
        "root: built in the file (DOCKER_DEFAULT_PLATFORM: no kept root image on that path)",
    )
    monkeypatch.setenv("DOCKER_DEFAULT_PLATFORM", "linux/amd64")
    engine.builds.clear()
    engine.build(kept(tmp_path))
    assert engine.builds[0].target == "root"


@pytest.mark.parametrize("target", ["builder", "base"])
def test_a_target_before_the_root_builds_no_root_image(tmp_path: Path, target: str) -> None:
    """``--target builder`` never reads the root: building the root image first was ~130 MB of work for
    nothing (and a root image kept for a build that did not use it)."""
    engine = KeptRootEngine({"python:3.13.1-slim-trixie": "sha256:" + "a" * 64})
    image = engine.build(kept(tmp_path, target=target))
    (app,) = engine.builds
    assert app.target == target and app.build_contexts == ()
    assert image.extra["notes"] == ("root: built in the file (--target: no kept root image on that path)",)
