"""Benchmark: dockwright's Dockerfile against the docker-init shape and the tutorial shape, one run.

Each example is built three ways in the sandbox, on the same base image as dockwright's plan:

- ``dockwright``: what ``dockwright init`` writes, built by ``dockwright build`` (the CLI, timed whole:
  planning included; this checkout installed into a venv of the run's own first, as users install it,
  unless ``--from-source``). Its cold build takes the plan kept by the build before it, as the first
  build after ``dockwright init`` takes init's (docker init's own planning is not timed either); the
  "cold, planning afresh" column plans with no earlier plan at all (``--fresh-plan``, nothing built
  ahead), as a checkout's first build without init. The warm rebuild after an edit starts the last
  plan's build beside the planning, as every later build does (:mod:`dockwright.build_ahead`). It
  keeps the trimmed runtime's root stage as a local image per base (``dockwright-root:...``,
  :mod:`dockwright.engine.root_image`): built once before the timed rounds, as docker init's shape
  pulls its base once, and reused by every build after, ``--no-cache`` ones too.
- ``dw-docker-build``: the same Dockerfile under plain ``docker build`` (the root built in the file).
- ``docker-init``: the shape ``docker init`` documents for Python, rebuilt from its structure (not
  copied): one stage, ``ENV PYTHONDONTWRITEBYTECODE/PYTHONUNBUFFERED``, ``adduser`` UID 10001, ``pip
  install -r`` with a pip cache mount and the requirements bind-mounted, ``USER``, ``COPY . .``.
  Projects that must be installed (a package's console script) also run ``pip install --no-deps .``
  as root before ``USER``; apps that compile get the compiler and headers installed with apt.
- ``tutorial``: ``COPY . .`` before ``pip install -r``, no cache mount, root. The sandbox has only the
  slim stand-in base, so it uses that instead of the full ``python:X.Y.Z`` image (its size column
  then understates the tutorial's real cost).

All three install the same hash-locked requirements (the example's, or the lock dockwright generates).
Printed per example and shape: bytes over the base, cold build (``--no-cache``: BuildKit then mounts
every ``type=cache`` mount empty, so pip's and uv's caches start empty for every shape alike; builds
without ``--no-cache`` keep their content, measured with ``du`` inside the RUN on Docker 26.1.5 /
BuildKit 0.13), warm rebuild after a one-line source edit, time to the first HTTP answer and ``docker
stop`` time (web apps), each as a ratio to docker-init's figure of the same run.

With ``--repeat N`` every example is built N times, the three shapes taking turns in each round,
and every timing printed is the median of the N rounds (bytes over base: the last round's).

``--published-base REGISTRY/NAME`` measures dockwright's runtime ``FROM`` a trimmed base published
with ``dockwright base build --push`` (``runtime-base = "image:REF@sha256:..."``): the base is built
and pushed once per example before the timed part, as a team publishes it once and every build pulls
it like the python image; bytes over base stay measured against the upstream python image.

Prints figures; asserts nothing. Usage: ``python bench/compare.py [--examples a,b] [--repeat 3]``
with the sandbox up (``eval "$(python -m sandbox env)"``). ``--host URL`` runs every engine call
against another daemon (``DOCKER_HOST``), e.g. the sandbox's dockerd with the containerd image store,
``--host "$DOCKWRIGHT_SANDBOX_CONTAINERD_HOST"``: there an export compresses every new layer (the
classic store keeps them uncompressed), and image sizes are the store's own figures. The line above
the table names the daemon and its store.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
# the sandbox's client (`python -m sandbox env` exports DOCKWRIGHT_DOCKER), else Debian's, else PATH's
DOCKER = os.environ.get("DOCKWRIGHT_DOCKER") or (
    "/usr/bin/docker" if Path("/usr/bin/docker").exists() else (shutil.which("docker") or "docker")
)
DEFAULT_EXAMPLES = ("flask-requirements", "cli-setuptools", "fastapi-uv", "psycopg2-source")
KINDS = {
    "flask-requirements": "requirements",
    "cli-setuptools": "package",
    "fastapi-uv": "uv",
    "psycopg2-source": "C extension",
}
SHAPES = ("dockwright", "dw-docker-build", "docker-init", "tutorial")


@dataclass
class Figures:
    over_base: int = 0
    cold: float = 0.0
    cold_fresh: float | None = None  # dockwright build only: --fresh-plan, no earlier plan to start from
    warm: float = 0.0
    first_http: float | None = None
    stop: float | None = None


def _docker(*args: str, timeout: float = 1800) -> subprocess.CompletedProcess[str]:
    return subprocess.run([DOCKER, *args], capture_output=True, text=True, timeout=timeout, check=False)


def _store() -> str:
    """Which daemon and image store the run measures (the line printed above the table)."""
    info = _docker("info", "--format", "{{.ServerVersion}} {{.Driver}} {{json .DriverStatus}}").stdout.strip()
    version, _, rest = info.partition(" ")
    driver, _, status = rest.partition(" ")
    store = "containerd" if "io.containerd.snapshotter" in status else "classic"
    where = os.environ.get("DOCKER_HOST") or "default socket"
    return f"engine: Docker {version} at {where}, {store} image store ({driver})"


def _size(ref: str) -> int:
    return int(json.loads(_docker("image", "inspect", ref).stdout)[0]["Size"])


def _build(path: Path, tag: str, *, no_cache: bool) -> float:
    args = ["build", "--network", "host", "-q", "-t", tag, *(["--no-cache"] if no_cache else []), "."]
    start = time.perf_counter()
    done = subprocess.run(
        [DOCKER, *args], cwd=path, capture_output=True, text=True, env={**os.environ, "DOCKER_BUILDKIT": "1"}
    )
    seconds = time.perf_counter() - start
    if done.returncode:
        raise RuntimeError(f"{tag}: build failed: {done.stderr.strip()[-1500:]}")
    return seconds


# how the bench runs dockwright: this checkout's source under this interpreter until main() installs it
DOCKWRIGHT = [sys.executable, "-m", "dockwright"]
DOCKWRIGHT_ENV = {"PYTHONPATH": str(REPO / "src")}
DAEMON_ENV: dict[str, str] = {}  # DOCKWRIGHT_DAEMON and the run's own socket folder (main)


def install_dockwright(scratch: Path) -> None:
    """This checkout installed into a venv of the run's own (not editable, bytecode compiled, as pipx or
    ``uv tool install`` leave it), its console script run from then on: under this interpreter every
    run would also time the machine's own site-packages start-up (here a .pth that imports certifi,
    bench/audit_vs_dive.py)."""
    from audit_vs_dive import installed_runner

    from dockwright.bundled_uv import find_uv

    runner = installed_runner(REPO, scratch / "dockwright-venv", find_uv())
    DOCKWRIGHT[:] = list(runner.command)
    DOCKWRIGHT_ENV.clear()
    print(f"<!-- dockwright: {runner.label} -->", flush=True)


def _dockwright_build(path: Path, tag: str, *, no_cache: bool, fresh: bool = False) -> float:
    """``dockwright build`` as a user runs it (this checkout's package), timed whole: the client is the
    ``docker`` first on PATH, as a user's is (``DOCKWRIGHT_DOCKER`` names a client dockwright cannot
    tell talks to the default socket, so every image question would go through a CLI process)."""
    args = ["build", str(path), "--tag", tag, "--network", "host", "--progress", "plain", "--no-syntax"]
    env = _dockwright_env()
    env["PATH"] = os.pathsep.join([str(Path(DOCKER).parent), env.get("PATH", "")])
    if fresh:  # a checkout's first build without init: no plan kept, none to build ahead from
        env["DOCKWRIGHT_BUILD_AHEAD"] = "off"
    start = time.perf_counter()
    done = subprocess.run(
        [*DOCKWRIGHT, *args, *(["--no-cache"] if no_cache else []), *(["--fresh-plan"] if fresh else [])],
        cwd=path,
        capture_output=True,
        text=True,
        env=env,
    )
    seconds = time.perf_counter() - start
    if done.returncode:
        raise RuntimeError(f"{tag}: dockwright build failed: {(done.stdout + done.stderr).strip()[-1500:]}")
    return seconds


def _dockwright_env() -> dict[str, str]:
    """The environment dockwright runs in: this one's, less a named client and this checkout's path,
    with the install's and the daemon's variables."""
    env = {k: v for k, v in os.environ.items() if k not in ("DOCKWRIGHT_DOCKER", "PYTHONPATH")}
    env.update(DOCKWRIGHT_ENV)
    env.update(DAEMON_ENV)
    return env


def _edit_source(path: Path) -> None:
    """One line appended to the app's first Python module (tests left alone)."""
    sources = sorted(p for p in path.rglob("*.py") if "tests" not in p.parts and p.name != "setup.py")
    target = sources[0]
    target.write_text(target.read_text() + f"\n# bench edit {uuid.uuid4()}\n")


def _first_http_and_stop(tag: str, port: int) -> tuple[float | None, float | None]:
    name = f"lean-bench-{uuid.uuid4().hex[:8]}"
    start = time.perf_counter()
    _docker("run", "-d", "--name", name, "--network", "host", tag)
    first: float | None = None
    try:
        while time.perf_counter() - start < 60:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=1).close()
                first = time.perf_counter() - start
                break
            except urllib.error.HTTPError:
                first = time.perf_counter() - start  # an HTTP answer, whatever its status
                break
            except OSError:
                time.sleep(0.05)
        stop_start = time.perf_counter()
        _docker("stop", name, timeout=60)
        stop = time.perf_counter() - stop_start
    finally:
        _docker("rm", "-f", name)
    return first, stop


def _docker_init(
    base: str, requirements: str, cmd: list[str], port: int | None, apt: list[str], package: bool
) -> str:
    lines = [
        f"FROM {base} AS base",
        "ENV PYTHONDONTWRITEBYTECODE=1",
        "ENV PYTHONUNBUFFERED=1",
        "WORKDIR /app",
        "ARG UID=10001",
        # docker init writes adduser; Debian trixie's slim images have no adduser, so useradd there
        'RUN if command -v adduser >/dev/null; then adduser --disabled-password --gecos "" '
        '--home "/nonexistent" --shell "/sbin/nologin" --no-create-home --uid "${UID}" appuser; '
        'else useradd --home-dir /nonexistent --shell /sbin/nologin --no-create-home --uid "${UID}" '
        "appuser; fi",
    ]
    if apt:
        lines.append(
            "RUN apt-get update && apt-get install -y --no-install-recommends "
            + " ".join(apt)
            + " && rm -rf /var/lib/apt/lists/*"
        )
    lines.append(
        "RUN --mount=type=cache,target=/root/.cache/pip "
        f"--mount=type=bind,source={requirements},target={requirements} "
        f"python -m pip install -r {requirements}"
    )
    if package:
        lines += [
            "COPY . .",
            "RUN --mount=type=cache,target=/root/.cache/pip python -m pip install --no-deps .",
            "USER appuser",
        ]
    else:
        lines += ["USER appuser", "COPY . ."]
    if port is not None:
        lines.append(f"EXPOSE {port}")
    lines.append(f"CMD {json.dumps(cmd)}")
    return "\n".join(lines) + "\n"


def _tutorial(
    base: str, requirements: str, cmd: list[str], port: int | None, apt: list[str], package: bool
) -> str:
    lines = [f"FROM {base}", "WORKDIR /app"]
    if apt:
        lines.append(f"RUN apt-get update && apt-get install -y {' '.join(apt)}")
    lines += [
        "COPY . .",
        f"RUN pip install -r {requirements}" + (" && pip install --no-deps ." if package else ""),
    ]
    if port is not None:
        lines.append(f"EXPOSE {port}")
    lines.append(f"CMD {json.dumps(cmd)}")
    return "\n".join(lines) + "\n"


def published_base(path: Path, repository: str) -> str:
    """``image:REF@sha256:...`` of the project's trimmed base, built and pushed (not timed)."""
    from dockwright import api

    built = api.base_build(path, tag=repository, push=True, network="host")
    return f"image:{built.reference}"


def measure(
    example: str,
    scratch: Path,
    options: dict[str, Any],
    tag_prefix: str,
    repeat: int = 1,
    published: str | None = None,
) -> dict[str, Figures]:
    """Each shape built ``repeat`` times, the shapes taking turns within every round (a shared,
    noisy machine then slows them alike); each timing is the median of its rounds."""
    from dockwright import api

    dw = scratch / example / "dockwright"
    shutil.copytree(REPO / "examples" / example, dw)
    if published:
        options = {**options, "runtime_base": published_base(dw, published)}
    api.init(dw, syntax_directive=False, **options)
    plan = api.plan(dw, syntax_directive=False, **options)
    # the upstream python image: docker init's FROM, and what bytes over base are measured against
    base = plan.builder_image if published else plan.base_image
    cmd = list(plan.cmd)
    port = plan.expose
    apt = [a.name for a in (*plan.builder_apt, *plan.runtime_apt) if a.name != "tini"]
    package = plan.app_install == "wheel"
    requirements = plan.lock.path if not plan.lock.empty else None
    web = port is not None and plan.facts.app.kind.value == "web"
    paths: dict[str, Path] = {"dockwright": dw, "dw-docker-build": scratch / example / "dw-docker-build"}
    shutil.copytree(dw, paths["dw-docker-build"])  # the same files, built by plain `docker build`
    for shape in ("docker-init", "tutorial"):
        path = paths[shape] = scratch / example / shape
        shutil.copytree(REPO / "examples" / example, path)
        if requirements and not (path / requirements).exists():
            shutil.copy2(dw / requirements, path / requirements)
        write = _docker_init if shape == "docker-init" else _tutorial
        (path / "Dockerfile").write_text(write(base, requirements or "/dev/null", cmd, port, apt, package))
        (path / ".dockerignore").write_text(".git\n**/__pycache__\n.venv\n")
    # the kept root image, made once per base before the timed part (docker init's base is pulled once)
    first = _dockwright_build(dw, f"{tag_prefix}/{example}-dockwright:latest", no_cache=False)
    print(
        f"<!-- {example}: first `dockwright build` (root image made if missing) {first:.1f} s -->", flush=True
    )
    runs: dict[str, list[Figures]] = {shape: [] for shape in SHAPES}
    for _ in range(repeat):
        for shape in SHAPES:
            path = paths[shape]
            tag = f"{tag_prefix}/{example}-{shape}:latest"
            build = _dockwright_build if shape == "dockwright" else _build
            figures = Figures()
            if shape == "dockwright":  # planning included, as a first build without init plans
                figures.cold_fresh = _dockwright_build(path, tag, no_cache=True, fresh=True)
            figures.cold = build(path, tag, no_cache=True)
            figures.over_base = _size(tag) - _size(base)
            _edit_source(path)
            figures.warm = build(path, tag, no_cache=False)
            if web:
                figures.first_http, figures.stop = _first_http_and_stop(tag, port or 0)
            runs[shape].append(figures)
    return {shape: _median(figures) for shape, figures in runs.items()}


def _median(runs: list[Figures]) -> Figures:
    def middle(values: list[float | None]) -> float | None:
        known = [v for v in values if v is not None]
        return statistics.median(known) if known else None

    return Figures(
        over_base=runs[-1].over_base,
        cold=statistics.median(f.cold for f in runs),
        cold_fresh=middle([f.cold_fresh for f in runs]),
        warm=statistics.median(f.warm for f in runs),
        first_http=middle([f.first_http for f in runs]),
        stop=middle([f.stop for f in runs]),
    )


def _ratio(value: float | None, reference: float | None) -> str:
    if value is None or not reference:
        return "-"
    return f"{value / reference:.2f}x"


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", default=",".join(DEFAULT_EXAMPLES))
    parser.add_argument("--bytecode", choices=("compile", "none"), help="dockwright's bytecode policy")
    parser.add_argument("--repeat", type=int, default=1, help="rounds per example; timings are medians")
    parser.add_argument("--tag-prefix", default="lean-bench", help="image names (runs side by side need two)")
    parser.add_argument(
        "--published-base",
        metavar="REGISTRY/NAME",
        help="dockwright's runtime FROM its trimmed base pushed there first (runtime-base = image:REF), "
        "e.g. 127.0.0.1:3150/lean-bench/python-trimmed",
    )
    parser.add_argument(
        "--host",
        help="engine socket for every docker call (DOCKER_HOST), e.g. $DOCKWRIGHT_SANDBOX_CONTAINERD_HOST "
        "for the sandbox's containerd image store",
    )
    parser.add_argument(
        "--daemon",
        choices=("on", "off"),
        default="on",
        help="dockwright's daemon (DOCKWRIGHT_DAEMON): on, as users run it, every command after the "
        "first served by a warm process (started before the timed part); off: each a process of its own",
    )
    parser.add_argument(
        "--from-source",
        action="store_true",
        help="run `python -m dockwright` from this checkout's src under this interpreter instead of "
        "installing the checkout into a venv first (the default: what users run)",
    )
    args = parser.parse_args(argv)
    options: dict[str, Any] = {"bytecode": args.bytecode} if args.bytecode else {}
    if args.host:
        os.environ["DOCKER_HOST"] = args.host  # the docker CLI of every call below reads it
    print(_store() + "\n")
    print(
        "| example (kind) | shape | bytes over base | cold build | cold, planning afresh | warm rebuild "
        "| first HTTP | docker stop |"
    )
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    with tempfile.TemporaryDirectory(prefix="dockwright-compare-") as scratch:
        if not args.from_source:
            install_dockwright(Path(scratch))
        runtime = Path(scratch) / "run"
        runtime.mkdir(mode=0o700)
        DAEMON_ENV.update(DOCKWRIGHT_DAEMON=args.daemon, XDG_RUNTIME_DIR=str(runtime))
        print(f"<!-- dockwright daemon: {args.daemon} -->", flush=True)
        from audit_vs_dive import start_daemon, stop_daemon

        if args.daemon == "on":
            start_daemon(DOCKWRIGHT, _dockwright_env())
        try:
            _measure_all(args, Path(scratch), options)
        finally:
            stop_daemon(DOCKWRIGHT, _dockwright_env())
    return 0


def _measure_all(args: argparse.Namespace, scratch: Path, options: dict[str, Any]) -> None:
    for example in args.examples.split(","):
        figures = measure(example, scratch, options, args.tag_prefix, args.repeat, args.published_base)
        ref = figures["docker-init"]
        for shape in SHAPES:
            f = figures[shape]
            http = f"{f.first_http:.2f} s" if f.first_http is not None else "-"
            stop = f"{f.stop:.2f} s" if f.stop is not None else "-"
            fresh = f"{f.cold_fresh:.1f} s" if f.cold_fresh is not None else "-"
            print(
                f"| {example} ({KINDS.get(example, '?')}) | {shape} "
                f"| {f.over_base / 1e6:.1f} MB ({_ratio(f.over_base, ref.over_base)}) "
                f"| {f.cold:.1f} s ({_ratio(f.cold, ref.cold)}) "
                f"| {fresh} ({_ratio(f.cold_fresh, ref.cold)}) "
                f"| {f.warm:.2f} s ({_ratio(f.warm, ref.warm)}) "
                f"| {http} ({_ratio(f.first_http, ref.first_http)}) "
                f"| {stop} ({_ratio(f.stop, ref.stop)}) |",
                flush=True,
            )


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
