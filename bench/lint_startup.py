"""Start-up of `dockwright lint` on one file: what an editor or a pre-commit hook waits for.

    python bench/lint_startup.py [--runs 15]

Times, as separate processes (best and median of ``--runs``): the bare interpreter (``python -c pass``,
the floor nobody can go under), ``python -m dockwright --version`` (click and the CLI shell), and
``python -m dockwright lint Dockerfile`` on a small realistic Dockerfile in an empty folder. Also lists
the third-party packages the lint run imports (rich, packaging, jinja2 should not be among them).
A figure, not an assertion: the machine may be shared, so read the best run, and the CPU time (user +
system of the process), which a busy machine inflates least.
Target (issue #15): 0.15 s for the lint run on this class of machine.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

DOCKERFILE = """\
FROM python:3.12.8-slim-bookworm AS build
RUN --mount=type=cache,target=/root/.cache/pip pip wheel --wheel-dir /wheels -r requirements.txt
FROM python:3.12.8-slim-bookworm
ENV PYTHONUNBUFFERED=1
RUN apt-get update && apt-get install -y --no-install-recommends tini && rm -rf /var/lib/apt/lists/*
COPY --from=build /wheels /wheels
RUN pip install --no-cache-dir --no-index /wheels/*.whl
USER 10001:10001
ENTRYPOINT ["/usr/bin/tini", "--"]
CMD ["gunicorn", "app:app"]
"""


def _time(command: list[str], runs: int, env: dict[str, str], cwd: Path) -> tuple[float, float, float]:
    """Best and median wall time, and the best CPU time (user + system: less sensitive to a busy machine)."""
    times, cpu = [], []
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        subprocess.run(
            command, env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False
        )
        times.append(time.perf_counter() - start)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return min(times), statistics.median(times), min(cpu)


def _imports(env: dict[str, str], cwd: Path) -> tuple[int, list[str]]:
    """How many modules the lint run imports, and the third-party ones among them (a figure that does
    not depend on the machine's load)."""
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "dockwright", "lint", "Dockerfile"],
        env=env,
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
    )
    names = set()
    count = 0
    for line in done.stderr.splitlines():
        if not line.startswith("import time:") or "imported package" in line:
            continue
        count += 1
        name = line.rsplit("|", 1)[-1].strip()
        top = name.split(".")[0]
        skip = ("dockwright", "encodings", "site", "sitecustomize", "usercustomize", "_distutils_hack")
        if top.isidentifier() and top not in sys.stdlib_module_names and top not in skip:
            names.add(top)
    return count, sorted(names)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    src = Path(__file__).resolve().parent.parent / "src"
    env = {**os.environ, "PYTHONPATH": f"{src}{os.pathsep}{os.environ.get('PYTHONPATH', '')}"}
    # an installed dockwright has its bytecode compiled (pip does it); so does this run, in a scratch
    # cache, whatever PYTHONDONTWRITEBYTECODE says: compiling every module on every start is not start-up
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    # each command a process of its own, as documented: with the daemon on, the first run started one
    # (served runs are timed by bench/compare.py and bench/audit_vs_dive.py), which wrote its bytecode
    # into the scratch cache while it was being removed
    env["DOCKWRIGHT_DAEMON"] = "off"
    with tempfile.TemporaryDirectory() as folder, tempfile.TemporaryDirectory() as pycache:
        env["PYTHONPYCACHEPREFIX"] = pycache
        cwd = Path(folder)
        (cwd / "Dockerfile").write_text(DOCKERFILE)
        (cwd / ".dockerignore").write_text(".git\n.venv\nvenv\n__pycache__\n.env\n")
        rows = [
            ("python -c pass", [sys.executable, "-c", "pass"]),
            ("dockwright --version", [sys.executable, "-m", "dockwright", "--version"]),
            ("dockwright lint Dockerfile", [sys.executable, "-m", "dockwright", "lint", "Dockerfile"]),
        ]
        print(
            f"{'command':32} {'best':>8} {'median':>8} {'cpu':>8}   ({args.runs} runs, {os.cpu_count()} CPUs)"
        )
        for label, command in rows:
            _time(command, 1, env, cwd)  # warm-up: writes the bytecode cache
            best, median, cpu = _time(command, args.runs, env, cwd)
            print(f"{label:32} {best:7.3f}s {median:7.3f}s {cpu:7.3f}s")
        count, third_party = _imports(env, cwd)
        print(f"modules imported by the lint run: {count}; third-party: {', '.join(third_party) or 'none'}")


if __name__ == "__main__":
    main()
