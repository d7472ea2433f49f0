"""Helpers of the integration tests: sandbox probe, docker calls, building each example once per session."""

from __future__ import annotations

import os
import shutil
import subprocess
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from dockwright import api
from dockwright.plan.model import BuildPlan

REPO = Path(__file__).resolve().parents[2]
DOCKER = "/usr/bin/docker"
PYPI = "http://127.0.0.1:3141/simple/"


def sandbox_missing() -> str | None:
    """Why the sandbox cannot serve builds, or None when it can."""
    if not Path(DOCKER).exists():
        return f"{DOCKER} not installed (apt-get install docker.io)"
    if subprocess.run([DOCKER, "info"], capture_output=True).returncode != 0:
        return "no Docker engine answers (python -m sandbox up)"
    try:
        urllib.request.urlopen(PYPI, timeout=2).close()
    except OSError:
        return "the sandbox's local PyPI index is not serving (python -m sandbox up)"
    return None


def docker(*args: str, check: bool = True, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run([DOCKER, *args], capture_output=True, text=True, check=check, timeout=timeout)


def build(context: Path, tag: str, *, target: str | None = None) -> str:
    """Build the project's Dockerfile with BuildKit; return the full build log."""
    plan = api.plan(context, syntax_directive=False)
    args = dict(plan.build_args) | {"REVISION": "0123abc", "CREATED": "2026-11-23T00:00:00Z"}
    command = [DOCKER, "build", "--network", "host", "--progress", "plain", "-t", tag]
    for key, value in args.items():
        command += ["--build-arg", f"{key}={value}"]
    if target:
        command += ["--target", target]
    done = subprocess.run(
        [*command, str(context)], capture_output=True, text=True, env={**os.environ, "DOCKER_BUILDKIT": "1"}
    )
    if done.returncode != 0:
        raise AssertionError(f"build of {context.name} failed:\n{done.stderr[-4000:]}")
    return done.stderr


@dataclass(frozen=True)
class Built:
    name: str
    path: Path
    tag: str
    plan: BuildPlan
    log: str


_BUILT: dict[str, Built] = {}


def built_example(name: str, workspace: Path) -> Built:
    """Copy, ``init --no-syntax`` and build one example (once per session)."""
    if name not in _BUILT:
        path = workspace / name
        shutil.copytree(REPO / "examples" / name, path)
        api.init(path, syntax_directive=False)
        tag = f"dockwright-it/{name}:test"
        _BUILT[name] = Built(name, path, tag, api.plan(path, syntax_directive=False), build(path, tag))
    return _BUILT[name]


def examples() -> list[str]:
    return sorted(p.name for p in (REPO / "examples").iterdir() if (p / "README.md").exists() and p.is_dir())


def cached_steps(log: str) -> list[str]:
    """Names of the steps BuildKit's plain progress reports as CACHED.

    Plain progress names a step once (``#N [stage i/n] ...``) and reports ``#N CACHED`` on a later line."""
    names: dict[str, str] = {}
    cached: list[str] = []
    for line in log.splitlines():
        step, _, rest = line.partition(" ")
        if not step.startswith("#"):
            continue
        if rest.startswith("[") and step not in names:
            names[step] = rest
        elif rest.strip() == "CACHED" and step in names:
            cached.append(names[step])
    return cached
