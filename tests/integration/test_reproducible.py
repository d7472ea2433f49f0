"""Two ``--reproducible --no-cache`` builds of one commit, from two checkouts: one image digest.

Runs on the sandbox's containerd-store Docker 26 (``DOCKWRIGHT_SANDBOX_CONTAINERD_HOST``, exported by
``python -m sandbox env`` whenever the sandbox runs its own engine): BuildKit rewrites layer timestamps
(``rewrite-timestamp``) when it exports an OCI archive there. Where it cannot, the test says which and why:

- Docker's classic image store (the sandbox's main engine) accepts ``rewrite-timestamp`` and ignores it:
  dockwright refuses ``--reproducible`` there with one line naming the fix (tested below).
- Docker 20.10 (``DOCKWRIGHT_SANDBOX_ENGINE=host``, bookworm's docker.io) embeds BuildKit 0.8: no
  ``SOURCE_DATE_EPOCH`` handling and no ``rewrite-timestamp`` (both came with BuildKit 0.11-0.13).
- Podman 4.3.1 (Buildah 1.28): with ``--timestamp`` and ``--omit-history`` two builds have the same layers
  and the same OCI config, but the Docker-format config dockwright needs (OCI drops HEALTHCHECK) records
  the build container's id and hostname, so the digests differ: dockwright's Podman engine refuses
  ``--reproducible`` in one line (tests/engine/test_engine_podman.py).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import tarfile
from pathlib import Path
from typing import Any

import pytest
from sandbox.multiarch import EXAMPLE
from tests.integration.harness import REPO, git_commit

from dockwright import api
from dockwright.build import BuildOptions
from dockwright.errors import EngineError

pytestmark = [pytest.mark.docker, pytest.mark.slow, pytest.mark.usefixtures("sandbox")]

REGISTRY = os.environ.get("DOCKWRIGHT_SANDBOX_REGISTRY", "127.0.0.1:3150")


def _blob(tar: tarfile.TarFile, digest: str) -> tarfile.ExFileObject:
    member = tar.extractfile(f"blobs/sha256/{digest.split(':', 1)[1]}")
    assert member is not None, digest
    return member


def _oci(archive: Path) -> tuple[str, list[str], list[str]]:
    """The image manifest digest of a one-platform OCI archive, its layer digests and their steps."""
    with tarfile.open(archive) as tar:
        index_file = tar.extractfile("index.json")
        assert index_file is not None
        (entry,) = json.load(index_file)["manifests"]
        manifest: dict[str, Any] = json.load(_blob(tar, entry["digest"]))
        config: dict[str, Any] = json.load(_blob(tar, manifest["config"]["digest"]))
    layers = [layer["digest"] for layer in manifest["layers"]]
    steps = [h.get("created_by", "") for h in config["history"] if not h.get("empty_layer")]
    return entry["digest"], layers, steps


def _files(archive: Path, layer: str) -> dict[str, tuple[object, ...]]:
    """Every entry of one layer: name -> (type, mode, owner, mtime, content digest, link target)."""
    with tarfile.open(archive) as outer, tarfile.open(fileobj=_blob(outer, layer)) as tar:
        table: dict[str, tuple[object, ...]] = {}
        for member in tar:
            data = tar.extractfile(member) if member.isfile() else None
            digest = hashlib.sha256(data.read()).hexdigest()[:12] if data else ""
            table[member.name] = (member.type, member.mode, member.uid, member.gid, member.mtime, digest)
            table[member.name] += (member.linkname,)
    return table


def _differences(first: Path, second: Path, a: str, b: str, limit: int = 8) -> str:
    """What differs between two layers: the entries (name and both descriptions)."""
    left, right = _files(first, a), _files(second, b)
    names = sorted(n for n in left.keys() | right.keys() if left.get(n) != right.get(n))
    shown = [f"{n}: {left.get(n)} != {right.get(n)}" for n in names[:limit]]
    return f"{len(names)} entries differ: " + "; ".join(shown)


def _checkouts(tmp_path: Path) -> tuple[Path, Path]:
    """Two fresh clones of one commit of the example (their files newer than the commit, as in CI)."""
    origin = tmp_path / "origin" / EXAMPLE
    shutil.copytree(REPO / "examples" / EXAMPLE, origin)
    api.init(origin, syntax_directive=False)
    git_commit(origin)
    clones = (tmp_path / "a" / EXAMPLE, tmp_path / "b" / EXAMPLE)
    for clone in clones:
        subprocess.run(["git", "clone", "-q", str(origin), str(clone)], check=True, capture_output=True)
    (clones[1] / "app.py").touch()  # a checkout made later: other mtimes, same commit
    return clones


def test_two_clean_builds_of_one_commit_have_one_digest(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    host = os.environ.get("DOCKWRIGHT_SANDBOX_CONTAINERD_HOST")
    if not host:
        pytest.skip(
            "no containerd-store engine: `python -m sandbox up` starts it with the sandbox's own Docker 26 "
            "(DOCKWRIGHT_SANDBOX_ENGINE=host is Docker 20.10, whose BuildKit 0.8 rewrites no timestamps)"
        )
    monkeypatch.setenv("DOCKER_HOST", host)
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    results, archives, warnings = [], [], []
    for project in _checkouts(tmp_path):
        archive = project.parent / "image.tar"
        api.build(
            project,
            tag="repro-it/reproducible:1",
            no_cache=True,
            network="host",
            output=f"type=oci,dest={archive}",
            syntax_directive=False,
            on_warning=warnings.append,
            build_options=BuildOptions(reproducible=True),
        )
        results.append(_oci(archive))
        archives.append(archive)
    (first, first_layers, steps), (second, second_layers, _) = results
    differing = [i for i, (x, y) in enumerate(zip(first_layers, second_layers, strict=True)) if x != y]
    detail = "; ".join(
        f"layer {i} ({steps[i][:80]}): "
        + _differences(archives[0], archives[1], first_layers[i], second_layers[i])
        for i in differing
    )
    assert not differing, detail
    assert first == second
    assert not warnings, warnings  # fresh clones: nothing older than the commit, nothing uncommitted
    # without --output: BuildKit exports, `docker load` stores, `docker push` pushes: the same digest
    tag = f"{REGISTRY}/repro-it/reproducible:{os.getpid()}"
    docker = os.environ.get("DOCKER", "docker")
    try:
        pushed = api.build(
            project,
            tag=tag,
            network="host",
            syntax_directive=False,
            on_warning=warnings.append,
            build_options=BuildOptions(reproducible=True, push=True),
        )
        assert pushed.extra["digest"] == first
        inspect = subprocess.run(
            [docker, "buildx", "imagetools", "inspect", "--raw", tag], capture_output=True, check=True
        )
        assert f"sha256:{hashlib.sha256(inspect.stdout).hexdigest()}" == first, "the registry serves it"
    finally:  # `docker load` stored it in the containerd store (DOCKER_HOST still names that engine)
        subprocess.run([docker, "image", "rm", tag], capture_output=True, check=False)
    listed = subprocess.run([docker, "image", "ls", "-q", tag], capture_output=True, text=True, check=True)
    assert listed.stdout.strip() == "", f"{tag} is left in the engine's store"


def test_the_classic_image_store_refuses_reproducible(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """The sandbox's main engine is Docker 26 on the classic store: one line naming the fix, no build."""
    if not os.environ.get("DOCKWRIGHT_SANDBOX_CONTAINERD_HOST"):
        pytest.skip("the sandbox runs the host's engine (DOCKWRIGHT_SANDBOX_ENGINE=host), not its Docker 26")
    project = tmp_path / EXAMPLE
    shutil.copytree(REPO / "examples" / EXAMPLE, project)
    api.init(project, syntax_directive=False)
    git_commit(project)
    with pytest.raises(EngineError, match=r"^--reproducible: Docker's classic image store ignores"):
        api.build(
            project,
            tag=f"{REGISTRY}/repro-it/classic:1",
            network="host",
            on_warning=lambda message: None,  # init wrote files before the commit: older, warned about
            syntax_directive=False,
            build_options=BuildOptions(reproducible=True, push=True),
        )
