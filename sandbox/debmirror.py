"""Flat Debian repositories, one per suite, holding the .deb closure of every package a generated
Dockerfile may install on that suite's images."""

from __future__ import annotations

import gzip
import hashlib
import shutil
import subprocess
import tempfile
from collections.abc import Set as AbstractSet
from datetime import datetime, timezone
from pathlib import Path

from sandbox.config import Settings, Suite, log

# The stand-in python image's own packages: apt inside a build resolves on top of them.
IMAGE_PACKAGES = ("python3", "python3-pip", "python3-venv", "ca-certificates")


def _stamp(packages: list[str]) -> str:
    return hashlib.sha256("\n".join(packages).encode()).hexdigest()


def ensure_mirror(
    settings: Settings, suite: Suite, packages: set[str], arm64: AbstractSet[str] = frozenset()
) -> Path:
    """Download the closure with mmdebstrap (kept .debs), then write Packages(.gz) and Release.

    ``arm64``: packages the multi-arch leg's arm64 builds install, fetched for arm64 into the same
    flat repository (apt picks its architecture from the index)."""
    wanted = sorted(packages | set(IMAGE_PACKAGES))
    root = settings.debs_of(suite)
    what = f"debian mirror ({suite.name})"
    changed = False
    # one stamp per architecture, so turning the multi-arch leg on or off never downloads amd64 again
    for arch, names in (("amd64", wanted), ("arm64", sorted(arm64 | set(IMAGE_PACKAGES)) if arm64 else [])):
        stamp = root / (".stamp" if arch == "amd64" else f".stamp-{arch}")
        if not names or (stamp.exists() and stamp.read_text() == _stamp(names)):
            continue
        # arm64: the extract variant runs no maintainer scripts, so nothing runs under emulation
        log(f"{what}: downloading the {arch} closure of {len(names)} packages with mmdebstrap")
        _download(root, suite, names, arch, "--variant=minbase" if arch == "amd64" else "--variant=extract")
        stamp.write_text(_stamp(names))
        changed = True
    if changed or not (root / "Release").exists():
        _index(root)
    log(f"{what}: {'updated' if changed else 'cached'} ({len(list(root.glob('*.deb')))} packages)")
    return root


def _download(root: Path, suite: Suite, wanted: list[str], arch: str, variant: str) -> None:
    with tempfile.TemporaryDirectory(prefix="dw-debs-") as scratch:
        subprocess.run(
            [
                "mmdebstrap",
                f"--arch={arch}",
                variant,
                "--include=" + ",".join(wanted),
                # keep every downloaded .deb instead of unlinking or cleaning them
                "--skip=essential/unlink,cleanup/apt/cache",
                # the extract variant installs nothing: its .debs are there right after extraction
                f"--{'extract' if variant == '--variant=extract' else 'customize'}-hook="
                f"sync-out /var/cache/apt/archives {scratch}",
                suite.name,
                "/dev/null",
            ],
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        root.mkdir(parents=True, exist_ok=True)
        for deb in Path(scratch).glob("*.deb"):
            shutil.copy2(deb, root / deb.name)


def _index(root: Path) -> None:
    packages = subprocess.run(
        ["dpkg-scanpackages", "--multiversion", ".", "/dev/null"],
        cwd=root,
        check=True,
        capture_output=True,
    ).stdout
    (root / "Packages").write_bytes(packages)
    (root / "Packages.gz").write_bytes(gzip.compress(packages, mtime=0))
    lines = [
        "Origin: dockwright-sandbox",
        "Label: dockwright-sandbox",
        "Suite: sandbox",
        "Codename: sandbox",
        f"Date: {datetime.now(timezone.utc).strftime('%a, %d %b %Y %H:%M:%S UTC')}",
        "SHA256:",
    ]
    for name in ("Packages", "Packages.gz"):
        data = (root / name).read_bytes()
        lines.append(f" {hashlib.sha256(data).hexdigest()} {len(data)} {name}")
    (root / "Release").write_text("\n".join(lines) + "\n")
