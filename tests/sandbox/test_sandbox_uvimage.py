"""The ``ghcr.io/astral-sh/uv`` stand-in: its version is tools-uv.txt's pin, its root the wheel's two binaries."""

from __future__ import annotations

import hashlib
import re
import tarfile
import zipfile
from pathlib import Path

import pytest
from sandbox.config import Settings
from sandbox.inputs import _needs_of

from sandbox import images, uvimage

REPO = Path(__file__).resolve().parents[2]
TOOLS = REPO / "src" / "dockwright" / "plan" / "data" / "support" / "tools-uv.txt"


def test_the_version_and_hashes_are_tools_uv_txts() -> None:
    text = TOOLS.read_text()
    version = re.search(r"^uv==(\S+)", text, re.MULTILINE)
    assert version is not None
    pinned, hashes = uvimage.pinned()
    assert pinned == version.group(1)
    assert hashes == set(re.findall(r"sha256:([0-9a-f]{64})", text)) and hashes
    assert uvimage.tag() == f"ghcr.io/astral-sh/uv:{pinned}"


def test_the_recipe_follows_the_pin(tmp_path: Path) -> None:
    tools = tmp_path / "tools-uv.txt"
    tools.write_text("uv==9.8.7 \\\n    --hash=sha256:" + "a" * 64 + "\n")
    assert uvimage.pinned(tools) == ("9.8.7", frozenset({"a" * 64}))
    assert uvimage.tag(tools) == "ghcr.io/astral-sh/uv:9.8.7"
    assert uvimage.recipe_key(tools) != uvimage.recipe_key()  # another pin, another image
    settings = Settings(cache=tmp_path, pypi_port=3141, deb_port=3142)
    [recipe] = images.recipes_for({uvimage.tag()}, settings)
    assert recipe.tags == ((uvimage.tag(), ("WORKDIR /io", 'ENTRYPOINT ["/uv"]')),)
    assert recipe.maker is not None and recipe.mmdebstrap == ()


def _fake_wheel(folder: Path, version: str, machine: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"uv-{version}-py3-none-musllinux_1_1_{machine}.whl"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(f"uv-{version}.data/scripts/uv", b"\x7fELF uv")
        archive.writestr(f"uv-{version}.data/scripts/uvx", b"\x7fELF uvx")
        archive.writestr(f"uv-{version}.dist-info/METADATA", b"Name: uv\n")
    return path


def test_the_root_holds_uv_and_uvx_from_the_hash_checked_wheel(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = Settings(cache=tmp_path, pypi_port=3141, deb_port=3142)
    wheel = _fake_wheel(tmp_path / "uv-wheels", "9.8.7", "aarch64")
    downloads: list[list[str]] = []
    monkeypatch.setattr(uvimage.subprocess, "run", lambda argv, check: downloads.append(argv))
    tools = tmp_path / "tools-uv.txt"
    tools.write_text(f"uv==9.8.7 --hash=sha256:{hashlib.sha256(wheel.read_bytes()).hexdigest()}\n")
    assert uvimage.wheel(settings, "arm64", tools) == wheel
    assert downloads == []  # already there: no download
    with pytest.raises(SystemExit, match=r"no uv 9\.8\.7 musllinux x86_64 wheel"):
        uvimage.wheel(settings, "amd64", tools)
    assert "--platform=musllinux_1_1_x86_64" in downloads[0] and "uv==9.8.7" in downloads[0]
    out = tmp_path / "root.tar"
    uvimage.write_root(wheel, out)
    with tarfile.open(out) as root:
        members = {m.name: m for m in root.getmembers()}
        assert set(members) == {"uv", "uvx"}
        assert all(m.mode == 0o755 and m.uid == 0 and m.mtime == 0 for m in members.values())
        reader = root.extractfile("uvx")
        assert reader is not None and reader.read() == b"\x7fELF uvx"
    tools.write_text("uv==9.8.7 --hash=sha256:" + "0" * 64 + "\n")
    with pytest.raises(SystemExit, match="none of"):
        uvimage.wheel(settings, "arm64", tools)


def test_images_a_run_mount_names_are_needed() -> None:
    dockerfile = (
        "FROM python:3.13-slim-trixie AS builder\n"
        "RUN --mount=type=cache,target=/root/.cache/uv \\\n"
        "    --mount=type=bind,from=ghcr.io/astral-sh/uv:0.13.9,source=/uv,target=/usr/local/bin/uv \\\n"
        "    uv pip install -r requirements.txt\n"
        "FROM builder AS test\n"
        "RUN --mount=from=builder,source=/x,target=/y true\n"
    )
    found, _ = _needs_of(dockerfile)
    assert found == {"python:3.13-slim-trixie", "ghcr.io/astral-sh/uv:0.13.9"}


def test_packages_a_dockerfile_downloads_are_needed_like_installed_ones() -> None:
    # the tini stage unpacks Debian's .deb: the mirror must hold it for every architecture built
    dockerfile = (
        "FROM python:3.13-slim-trixie AS tini\n"
        "RUN apt-get update && apt-get download tini && dpkg-deb -x tini_*.deb /tini\n"
        "FROM python:3.13-slim-trixie\n"
        "RUN apt-get update && apt-get install -y --no-install-recommends libpq5\n"
    )
    _, packages = _needs_of(dockerfile)
    assert packages == {"tini", "libpq5"}
