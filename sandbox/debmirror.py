"""Flat Debian repositories, one per suite, holding the .deb closure of every package a generated
Dockerfile may install on that suite's images."""

from __future__ import annotations

import gzip
import hashlib
import shutil
import subprocess
import tempfile
from datetime import datetime, timezone
from pathlib import Path

from sandbox.config import Settings, Suite, log

# The stand-in python image's own packages: apt inside a build resolves on top of them.
IMAGE_PACKAGES = ("python3", "python3-pip", "python3-venv", "ca-certificates")


def _stamp(packages: list[str]) -> str:
    return hashlib.sha256("\n".join(packages).encode()).hexdigest()


def ensure_mirror(settings: Settings, suite: Suite, packages: set[str]) -> Path:
    """Download the closure with mmdebstrap (kept .debs), then write Packages(.gz) and Release."""
    wanted = sorted(packages | set(IMAGE_PACKAGES))
    root = settings.debs_of(suite)
    stamp = root / ".stamp"
    what = f"debian mirror ({suite.name})"
    if stamp.exists() and stamp.read_text() == _stamp(wanted):
        log(f"{what}: cached ({len(list(root.glob('*.deb')))} packages)")
        return root
    log(f"{what}: downloading the closure of {len(wanted)} packages with mmdebstrap")
    with tempfile.TemporaryDirectory(prefix="dw-debs-") as scratch:
        subprocess.run(
            [
                "mmdebstrap",
                "--variant=minbase",
                "--include=" + ",".join(wanted),
                # keep every downloaded .deb instead of unlinking or cleaning them
                "--skip=essential/unlink,cleanup/apt/cache",
                f"--customize-hook=sync-out /var/cache/apt/archives {scratch}",
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
    _index(root)
    stamp.write_text(_stamp(wanted))
    log(f"{what}: {len(list(root.glob('*.deb')))} packages")
    return root


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
