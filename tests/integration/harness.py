"""Helpers of the integration tests: sandbox probe, docker calls, building each example once per session."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sandbox.config import DOCKER, SUITES, settings
from sandbox.uvmirror import mirror_uv_lock

from dockwright import api
from dockwright.engine.base import Image
from dockwright.plan.model import BuildPlan
from sandbox import inputs, privateindex

REPO = Path(__file__).resolve().parents[2]
# Image names of the built examples; another prefix keeps runs that share one engine apart.
TAG_PREFIX = os.environ.get("DOCKWRIGHT_IT_PREFIX", "dockwright-it")
PYPI = settings().pypi_url
# What a user of examples/private-index exports (uv's variables): `dockwright build` turns them into the
# netrc BuildKit secret of the sandbox's private index.
for _name in ("DWLOCAL", "DWCPU"):
    os.environ.setdefault(f"UV_INDEX_{_name}_USERNAME", privateindex.USER)
    os.environ.setdefault(f"UV_INDEX_{_name}_PASSWORD", privateindex.PASSWORD)
DEBIANS = {name: settings().deb_url_of(suite) for name, suite in SUITES.items()}


def sandbox_missing() -> str | None:
    """Why the sandbox cannot serve builds, or None when it can."""
    if not Path(DOCKER).exists():
        return f"{DOCKER} not installed (python -m sandbox up installs Docker 26)"
    if subprocess.run([DOCKER, "info"], capture_output=True).returncode != 0:
        return "no Docker engine answers (python -m sandbox up)"
    servers = [(PYPI, "PyPI index")] + [(url + "Release", f"{n} Debian mirror") for n, url in DEBIANS.items()]
    servers.append((settings().private_index_url(), "private index"))
    for url, what in servers:
        try:
            urllib.request.urlopen(url, timeout=2).close()
        except urllib.error.HTTPError as error:
            if error.code != 401:  # the private index asks for its credentials
                return f"the sandbox's local {what} answered HTTP {error.code} at {url}"
        except OSError:
            return f"the sandbox's local {what} is not serving at {url} (python -m sandbox up)"
    base = api.plan(REPO / "examples" / "flask-requirements", syntax_directive=False).base_image
    if docker("image", "inspect", base, check=False).returncode != 0:
        return f"the sandbox's base image {base} is missing (python -m sandbox up)"
    return None


def docker(*args: str, check: bool = True, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run([DOCKER, *args], capture_output=True, text=True, check=check, timeout=timeout)


def image_id(ref: str) -> str | None:
    done = docker("image", "inspect", "-f", "{{.Id}}", ref, check=False)
    return done.stdout.strip() if done.returncode == 0 else None


@contextmanager
def replacing(tag: str) -> Iterator[None]:
    """Around a build under a fixed ``tag``: the image it replaces is removed, unless something else
    still names it. Otherwise every run (and every rebuild in a run) leaves the old image dangling."""
    before = image_id(tag)
    yield
    if before is None or before == image_id(tag):
        return
    names = docker("image", "inspect", "-f", "{{len .RepoTags}}", before, check=False)
    if names.returncode == 0 and names.stdout.strip() == "0":
        docker("image", "rm", before, check=False)


def build(context: Path, tag: str, *, target: str | None = None) -> Image:
    """Build the project through ``dockwright.api.build`` (the engine facade); the image it replaces
    under ``tag`` goes (:func:`replacing`)."""
    with replacing(tag):
        return api.build(context, tag=tag, target=target, network="host", syntax_directive=False)


def git_commit(path: Path) -> str:
    """Make ``path`` a git checkout with one commit, so the revision label has a real value."""
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.invalid"}
    env |= {"GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.invalid"}
    for argv in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "example"]):
        subprocess.run(["git", *argv], cwd=path, env=env, check=True, capture_output=True)
    out = subprocess.run(["git", "rev-parse", "HEAD"], cwd=path, capture_output=True, text=True, check=True)
    return out.stdout.strip()


@dataclass(frozen=True)
class Built:
    name: str
    path: Path
    tag: str
    plan: BuildPlan
    log: str


_BUILT: dict[str, Built] = {}
_FAILED: dict[str, Exception] = {}


def built_example(
    name: str, workspace: Path, strategy: str | None = None, runtime: str | None = None
) -> Built:
    """Copy, ``init --no-syntax [--strategy S] [--runtime R]`` and build one example (once per session)."""
    key = f"{name}@{strategy}" if strategy else name
    key += f"-{runtime}" if runtime else ""
    if key in _FAILED:  # the one build of the session failed: every test on it says why, not "File exists"
        raise _FAILED[key]
    if key not in _BUILT:
        try:
            _BUILT[key] = _build_example(key, name, workspace, strategy, runtime)
        except Exception as error:
            _FAILED[key] = error
            raise
    return _BUILT[key]


def _build_example(key: str, name: str, workspace: Path, strategy: str | None, runtime: str | None) -> Built:
    path = workspace / key
    shutil.copytree(REPO / "examples" / name, path)
    if strategy == "uv" or (strategy is None and api.plan(path, syntax_directive=False).strategy == "uv"):
        mirror_uv_lock(path)  # uv installs from the URLs in uv.lock: the sandbox index serves them
    # a lock init resolves (a server added for the start command) comes from the sandbox's index
    api.init(path, syntax_directive=False, strategy=strategy, runtime=runtime, index_url=PYPI)
    git_commit(path)
    tag = f"{TAG_PREFIX}/{key.replace('@', '-')}:test"
    plan = api.plan(path, syntax_directive=False, strategy=strategy, runtime=runtime)
    return Built(key, path, tag, plan, build(path, tag).log)


def examples() -> list[str]:
    return [p.name for p in inputs.examples()]  # a monorepo example's apps are tested on their own


# What each worker framework logs once it consumes its queues (the generic worker test waits for it).
WORKER_READY = {"celery": "ready", "rq": "Listening on"}


class RedisServer:
    """A Redis (Debian's redis-server, scripts/setup.sh installs it) on a free loopback port, started
    on first use and stopped at the end of the session: the RQ example's worker needs one to stay up."""

    def __init__(self) -> None:
        self.process: subprocess.Popen[bytes] | None = None
        self.url = ""

    def start(self) -> str:
        if self.process is None:
            program = shutil.which("redis-server")
            if program is None:
                raise RuntimeError("redis-server is not installed (scripts/setup.sh installs it)")
            with socket.socket() as probe:
                probe.bind(("127.0.0.1", 0))
                port = probe.getsockname()[1]
            argv = [program, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
            self.process = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            deadline = time.monotonic() + 20
            while time.monotonic() < deadline:
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=1).close()
                    break
                except OSError:
                    time.sleep(0.2)
            self.url = f"redis://127.0.0.1:{port}/0"
        return self.url

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=20)
            self.process = None


REDIS = RedisServer()


def service_env(built: Built) -> list[str]:
    """``--env`` options pointing the app's Redis variables (the plan's, and the app's own
    ``REDIS_URL``) at the session's Redis, as a user points them at theirs."""
    names = [e.name for e in built.plan.facts.app.env if e.value.startswith(("redis://", "rediss://"))]
    if not names:
        return []
    url = REDIS.start()
    return [f"--env={name}={url}" for name in (*names, "REDIS_URL")]
