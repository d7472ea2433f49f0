"""Benchmark: `dockwright audit` time vs `docker save` time for the same image, and peak memory.

Makes two local images from random files (no registry): ~30 MB and ~150 MB, several layers each
(``docker import`` for the first layer, the classic builder's COPY for the next ones), then for each:
the time of ``docker save`` streamed to nowhere, the time of a full audit (which reads the same
stream), their ratio (target <= 2x), and the audit's peak memory (tracemalloc peak of Python
allocations, and the process's peak RSS growth) — which should stay flat as the image grows.

Prints figures; asserts nothing. Usage: ``python bench/audit_bench.py [--keep]``.
"""

from __future__ import annotations

import io
import json
import os
import resource
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
import tracemalloc
from pathlib import Path
from typing import IO, Any

DOCKER = os.environ.get("DOCKWRIGHT_DOCKER") or (
    "/usr/bin/docker" if Path("/usr/bin/docker").exists() else (shutil.which("docker") or "docker")
)


class _CliEngine:
    """Stand-in used only while ``dockwright.engine.docker`` is not there: inspect and save via the CLI."""

    def inspect_image(self, ref: str) -> dict[str, Any]:
        done = subprocess.run([DOCKER, "image", "inspect", ref], capture_output=True, text=True, check=False)
        if done.returncode:
            from dockwright.errors import EngineError

            raise EngineError(done.stderr.strip().splitlines()[-1])
        data: dict[str, Any] = json.loads(done.stdout)[0]
        return data

    def history(self, ref: str) -> list[dict[str, Any]]:
        return []

    def save(self, ref: str) -> IO[bytes]:
        proc = subprocess.Popen([DOCKER, "save", ref], stdout=subprocess.PIPE)
        assert proc.stdout is not None
        return proc.stdout


def _engine() -> Any:
    try:
        from dockwright.engine.docker import DockerEngine
    except ImportError:
        print("note: dockwright.engine.docker missing; using the bench's CLI stand-in", file=sys.stderr)
        return _CliEngine()
    return DockerEngine()


def _random_tree(root: Path, total: int, file_size: int, prefix: str) -> None:
    root.mkdir(parents=True, exist_ok=True)
    for i in range(max(1, total // file_size)):
        sub = root / f"{prefix}{i // 100:03d}"
        sub.mkdir(exist_ok=True)
        (sub / f"f{i:05d}.bin").write_bytes(os.urandom(file_size))
    for i in range(2000):  # many small files too (the per-file cost)
        sub = root / f"{prefix}small{i // 200:02d}"
        sub.mkdir(exist_ok=True)
        (sub / f"m{i:05d}.py").write_bytes(b"x = 1\n" * 20)


def make_image(tag: str, megabytes: int, work: Path) -> None:
    first = work / f"{tag}-l1"
    _random_tree(first / "data", megabytes * 600_000, 256_000, "a")
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as tar:
        tar.add(first, arcname=".")
    subprocess.run(
        [DOCKER, "import", "--change", "USER 10001", "-", f"{tag}-base"],
        input=buffer.getvalue(),
        check=True,
        capture_output=True,
    )
    context = work / f"{tag}-ctx"
    _random_tree(context / "more", megabytes * 400_000, 512_000, "b")
    (context / "Dockerfile").write_text(f"FROM {tag}-base\nCOPY more /more\nCOPY more/b000 /data/a000\n")
    env = {**os.environ, "DOCKER_BUILDKIT": "0"}
    subprocess.run([DOCKER, "build", "-q", "-t", tag, str(context)], check=True, capture_output=True, env=env)


def time_save(ref: str) -> tuple[float, int]:
    start = time.perf_counter()
    proc = subprocess.Popen([DOCKER, "save", ref], stdout=subprocess.PIPE)
    assert proc.stdout is not None
    total = 0
    while chunk := proc.stdout.read(1 << 20):
        total += len(chunk)
    proc.wait()
    return time.perf_counter() - start, total


def time_audit(ref: str) -> tuple[float, int, int, Any]:
    from dockwright import api

    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.perf_counter()
    report = api.audit(ref, engine=_engine())
    seconds = time.perf_counter() - start  # timed without tracemalloc, which slows allocations
    rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    tracemalloc.start()
    api.audit(ref, engine=_engine())
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return seconds, peak, (rss_after - rss_before) * 1024, report


def main() -> int:
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--keep", action="store_true", help="keep the benchmark images afterwards")
    keep = parser.parse_args().keep
    tags = {30: "dockwright-bench-audit:30mb", 150: "dockwright-bench-audit:150mb"}
    with tempfile.TemporaryDirectory(prefix="dw-audit-bench-") as tmp:
        for mb, tag in tags.items():
            if subprocess.run([DOCKER, "image", "inspect", tag], capture_output=True, check=False).returncode:
                print(f"making {tag} ...", file=sys.stderr)
                make_image(tag, mb, Path(tmp))
    print(
        f"{'image':34} {'save s':>7} {'audit s':>8} {'ratio':>6} "
        f"{'py peak MB':>10} {'rss +MB':>8} {'files':>6}"
    )
    for tag in tags.values():
        time_save(tag)  # warm the page cache so both runs read the same way
        save_s, nbytes = time_save(tag)
        audit_s, peak, rss, report = time_audit(tag)
        print(
            f"{tag:34} {save_s:7.2f} {audit_s:8.2f} {audit_s / save_s:6.2f} "
            f"{peak / 1e6:10.1f} {rss / 1e6:8.1f}"
            f" {report.image.files:6d}   (save stream {nbytes / 1e6:.0f} MB,"
            f" {len(report.layers)} layers, wasted {report.image.wasted_bytes / 1e6:.1f} MB)"
        )
    print("target: audit <= 2x docker save; peak memory flat (not proportional to image size)")
    if not keep:
        for tag in tags.values():
            subprocess.run([DOCKER, "rmi", "-f", tag, f"{tag}-base"], capture_output=True, check=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
