"""uv bind-mounted from the sandbox's ``ghcr.io/astral-sh/uv`` stand-in installs a hash-locked lock from
the sandbox index, found through the python stand-in's /etc/uv/uv.toml: in the classic engine, and for
linux/arm64 (under qemu) in the containerd-store engine when the multi-arch leg is up.

The RUN is the one uv's Docker guide gives (and generated builders use): a cache mount, uv mounted from
its image, a venv made without pip, ``uv pip install --require-hashes --no-deps``. No ``--index-url``:
the stand-in's uv.toml must point uv at the index, as its pip.conf does for pip. The mount says
``type=bind``: BuildKit assumes it, Buildah 1.28 (Podman 4.3, Debian bookworm) does not and reads
``from=`` as a stage name without it ("no stage found with name ghcr.io/astral-sh/uv:…"). Podman's
store gets the stand-ins too: the same build runs there.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from sandbox.config import DOCKER, settings
from sandbox.multiarch import EXAMPLE
from sandbox.podman import containers_conf, qualified
from tests.integration.harness import REPO

from dockwright import api
from sandbox import uvimage

pytestmark = [pytest.mark.docker, pytest.mark.usefixtures("sandbox")]

DOCKERFILE = """\
FROM {base}
WORKDIR /app
COPY requirements.txt .
RUN --mount=type=cache,target=/root/.cache/uv \\
    --mount=type=bind,from={uv},source=/uv,target=/usr/local/bin/uv \\
    python -m venv --without-pip /opt/venv && uv pip install --python /opt/venv/bin/python \\
    --compile-bytecode --require-hashes --no-deps -r requirements.txt
"""
CHECK = "import flask, platform; print(platform.machine(), flask.__name__)"


def _context(tmp_path: Path, compile_bytecode: bool = True) -> Path:
    example = REPO / "examples" / EXAMPLE  # its lock has aarch64 wheels in the multi-arch leg's index
    base = api.plan(example, syntax_directive=False).builder_image
    dockerfile = DOCKERFILE.format(base=base, uv=uvimage.tag())
    if not compile_bytecode:
        dockerfile = dockerfile.replace("--compile-bytecode ", "")
    (tmp_path / "Dockerfile").write_text(dockerfile)
    shutil.copy(example / "requirements.txt", tmp_path)
    return tmp_path


def _docker(*args: str, host: str | None = None, client: str = DOCKER) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, **({"DOCKER_HOST": host} if host else {})}
    return subprocess.run([client, *args], capture_output=True, text=True, timeout=900, env=env, check=False)


def _build_and_run(context: Path, tag: str, platform: str, host: str | None = None) -> str:
    built = _docker(
        "buildx", "build", "--load", "--network", "host", "--platform", platform, "-t", tag, str(context),
        host=host,
    )  # fmt: skip
    assert built.returncode == 0, built.stderr[-3000:]
    ran = _docker("run", "--rm", "--platform", platform, tag, "/opt/venv/bin/python", "-c", CHECK, host=host)
    _docker("image", "rm", tag, host=host)
    assert ran.returncode == 0, ran.stderr[-2000:]
    return ran.stdout.strip()


def test_uv_from_the_standin_image_installs_from_the_sandbox_index(tmp_path: Path) -> None:
    out = _build_and_run(_context(tmp_path), "dockwright-it/uv-standin:amd64", "linux/amd64")
    assert out == "x86_64 flask"


@pytest.mark.slow
def test_the_same_build_for_arm64_in_the_containerd_engine(tmp_path: Path) -> None:
    host = os.environ.get("DOCKWRIGHT_SANDBOX_MULTIARCH_HOST")
    if not host:
        reason = (
            os.environ.get("DOCKWRIGHT_SANDBOX_MULTIARCH_SKIPPED") or "`python -m sandbox up` has not run"
        )
        pytest.skip(f"no multi-arch engine: {reason} (sandbox/multiarch.py)")
    # without --compile-bytecode: under qemu uv compiled flask's 187 files in 3 min 22 s (load 8)
    context = _context(tmp_path, compile_bytecode=False)
    out = _build_and_run(context, "dockwright-it/uv-standin:arm64", "linux/arm64", host)
    assert out == "aarch64 flask"


def test_the_same_build_with_podman(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    podman = shutil.which("podman")
    if podman is None:
        pytest.skip("podman is not installed (scripts/setup.sh installs podman, buildah, skopeo)")
    monkeypatch.setenv("CONTAINERS_CONF", str(containers_conf(settings())))
    context = _context(tmp_path)
    missing = [
        image
        for image in (uvimage.tag(), qualified(api.plan(REPO / "examples" / EXAMPLE).builder_image))
        if _docker("image", "exists", image, client=podman).returncode != 0
    ]
    if missing:
        pytest.skip(f"podman has no {', '.join(missing)} (python -m sandbox up imports them)")
    tag = "localhost/dockwright-it/uv-standin:podman"
    built = _docker("build", "--network", "host", "-t", tag, str(context), client=podman)
    assert built.returncode == 0, built.stderr[-3000:]
    ran = _docker("run", "--rm", "--network", "host", tag, "/opt/venv/bin/python", "-c", CHECK, client=podman)
    _docker("image", "rm", tag, client=podman)
    assert (ran.returncode, ran.stdout.strip()) == (0, "x86_64 flask"), ran.stderr[-2000:]
