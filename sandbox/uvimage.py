"""A stand-in for ``ghcr.io/astral-sh/uv:<version>``, made from uv's PyPI wheels.

Generated Dockerfiles bind-mount uv from that image (``RUN --mount=type=bind,from=ghcr.io/astral-sh/uv:X,
source=/uv,target=/usr/local/bin/uv``, uv's own Docker guide), and no registry is reachable here. The
real image is ``FROM scratch`` with the static ``/uv`` and ``/uvx`` at its root, ``WORKDIR /io`` and
``ENTRYPOINT ["/uv"]``; uv's musllinux wheels on PyPI ship the same two static binaries
(``uv-X.data/scripts/``; the manylinux x86_64 wheel's are linked against glibc, so they would run in
a Debian builder but not in an Alpine one), so the stand-in is those two files in a one-layer image,
per architecture.

The version is the ``uv==`` pin of src/dockwright/plan/data/support/tools-uv.txt, the file the
product's uv comes from too (one source of truth); the wheels are the ones ``sandbox up`` downloads
into the PyPI index for that file (x86_64 always, aarch64 with the multi-arch leg), checked against
its hashes: ``sandbox up`` downloads them on the host into their own folder (not the index: no
build installs them as packages).
"""

from __future__ import annotations

import hashlib
import io
import re
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

from sandbox.config import REPO, Settings, log

TOOLS = REPO / "src" / "dockwright" / "plan" / "data" / "support" / "tools-uv.txt"
REPOSITORY = "ghcr.io/astral-sh/uv"
CHANGES = ("WORKDIR /io", 'ENTRYPOINT ["/uv"]')
MACHINES = {"amd64": "x86_64", "arm64": "aarch64"}  # Debian/OCI architecture -> wheel platform tag
PROGRAMS = ("uv", "uvx")


def pinned(tools: Path = TOOLS) -> tuple[str, frozenset[str]]:
    """The ``uv==`` version ``tools`` pins and the sha256 hashes it allows."""
    text = tools.read_text()
    match = re.search(r"^uv==([^\s\\;]+)", text, re.MULTILINE)
    if match is None:
        raise SystemExit(f"sandbox: {tools} pins no uv== version")
    return match.group(1), frozenset(re.findall(r"--hash=sha256:([0-9a-f]{64})", text))


def tag(tools: Path = TOOLS) -> str:
    return f"{REPOSITORY}:{pinned(tools)[0]}"


def wheel(settings: Settings, arch: str, tools: Path = TOOLS) -> Path:
    """The musllinux (static) wheel of the pinned uv for ``arch``, downloaded once, hash-checked."""
    version, hashes = pinned(tools)
    machine = MACHINES[arch]
    folder = settings.cache / "uv-wheels"
    pattern = f"uv-{version}-py3-none-*musllinux_1_1_{machine}*.whl"
    if not sorted(folder.glob(pattern)):
        log(f"images: downloading uv {version}'s static musllinux {machine} wheel")
        pip = [sys.executable, "-m", "pip", "download", "--quiet", "--disable-pip-version-check"]
        only = ["--no-deps", "--only-binary=:all:", f"--platform=musllinux_1_1_{machine}"]
        subprocess.run([*pip, *only, f"uv=={version}", "-d", str(folder)], check=True)
    found = sorted(folder.glob(pattern))
    if not found:
        raise SystemExit(f"sandbox: pip downloaded no uv {version} musllinux {machine} wheel into {folder}")
    digest = hashlib.sha256(found[0].read_bytes()).hexdigest()
    if digest not in hashes:
        raise SystemExit(f"sandbox: {found[0].name}: sha256 {digest} is none of {TOOLS.name}'s hashes")
    return found[0]


def write_root(wheel_path: Path, out: Path) -> None:
    """``out``: a tar of ``/uv`` and ``/uvx`` from the wheel (root-owned, 0755, fixed mtime)."""
    version = wheel_path.name.split("-")[1]
    partial = out.with_suffix(".partial")
    with zipfile.ZipFile(wheel_path) as archive, tarfile.open(partial, "w") as root:
        for program in PROGRAMS:
            data = archive.read(f"uv-{version}.data/scripts/{program}")
            entry = tarfile.TarInfo(program)
            entry.size, entry.mode, entry.mtime = len(data), 0o755, 0
            root.addfile(entry, io.BytesIO(data))
    partial.rename(out)


def make_root(settings: Settings, arch: str, out: Path) -> None:
    """The stand-in's root filesystem for ``arch`` (``images.Recipe.maker``)."""
    source = wheel(settings, arch)
    write_root(source, out)
    log(f"images: {tag()} ({arch}) is a stand-in made from the PyPI wheel {source.name} (/uv, /uvx)")


def recipe_key(tools: Path = TOOLS) -> str:
    """What the stand-in is made from: the pin (version and hashes) and this module's code."""
    code = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:16]
    version, hashes = pinned(tools)
    return f"uv-wheel:{version}:{','.join(sorted(hashes))}:{code}"
