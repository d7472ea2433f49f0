"""DockerEngine: the one place dockwright runs a container engine, through the Docker CLI.

Builds need BuildKit, which the Docker SDK does not drive, so everything goes through the CLI:
``docker buildx build --load`` when buildx is installed, else a classic client with
``DOCKER_BUILDKIT=1`` (e.g. Debian's ``/usr/bin/docker``). JSON outputs are parsed here and nowhere else.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from dockwright.engine.base import BuildRequest, BuildStep, Image, RunResult
from dockwright.engine.progress import ProgressReader
from dockwright.errors import EngineError

CANDIDATES = ("docker", "/usr/bin/docker")


@dataclass(frozen=True)
class Client:
    """A Docker CLI and how it builds with BuildKit."""

    path: str
    buildx: bool

    def build_prefix(self) -> list[str]:
        return [self.path, "buildx", "build", "--load"] if self.buildx else [self.path, "build"]

    def build_env(self) -> dict[str, str]:
        return {} if self.buildx else {"DOCKER_BUILDKIT": "1"}


def _runs(argv: list[str], env: Mapping[str, str] | None = None) -> bool:
    try:
        done = subprocess.run(argv, capture_output=True, timeout=30, env={**os.environ, **(env or {})})
    except (OSError, subprocess.TimeoutExpired):
        return False
    return done.returncode == 0


def find_client(candidates: Sequence[str] | None = None) -> Client:
    """The first client that can build with BuildKit: with buildx, or a classic one that accepts BuildKit.

    ``DOCKWRIGHT_DOCKER`` names the client to use. A classic client refuses ``DOCKER_BUILDKIT=1``
    when its BuildKit support was left out; ``build --help`` under that variable tells.
    """
    override = os.environ.get("DOCKWRIGHT_DOCKER")
    names = [override] if override else list(candidates or CANDIDATES)
    seen: set[str] = set()
    for name in names:
        path = shutil.which(name) if "/" not in name else (name if Path(name).exists() else None)
        if not path or os.path.realpath(path) in seen:
            continue
        seen.add(os.path.realpath(path))
        if _runs([path, "buildx", "version"]):
            return Client(path, buildx=True)
        if _runs([path, "build", "--help"], {"DOCKER_BUILDKIT": "1"}):
            return Client(path, buildx=False)
    tried = ", ".join(names)
    raise EngineError(f"no BuildKit-capable Docker client found (tried {tried}); install buildx or docker.io")


def build_command(client: Client, request: BuildRequest) -> list[str]:
    """The exact build command for a request (printed by ``build``, tested offline)."""
    if len(request.platforms) > 1 and not client.buildx:
        raise EngineError("building for several platforms needs docker buildx (this client has none)")
    argv = [*client.build_prefix(), "--progress", "plain", "--file", request.dockerfile, "--tag", request.tag]
    for name, value in request.build_args:
        argv += ["--build-arg", f"{name}={value}"]
    for secret_id, source in request.secrets:
        argv += ["--secret", f"id={secret_id},src={source}"]
    for key, value in request.labels:
        argv += ["--label", f"{key}={value}"]
    if request.platforms:
        argv += ["--platform", ",".join(request.platforms)]
    if request.target:
        argv += ["--target", request.target]
    if request.network:
        argv += ["--network", request.network]
    if request.no_cache:
        argv.append("--no-cache")
    return [*argv, request.context]


class DockerEngine:
    """The Engine protocol over the Docker CLI."""

    def __init__(self, client: Client | None = None) -> None:
        self._client = client

    @property
    def client(self) -> Client:
        if self._client is None:
            self._client = find_client()
        return self._client

    def _cli(self, *args: str, timeout: float = 120, check: bool = True) -> subprocess.CompletedProcess[str]:
        try:
            done = subprocess.run(
                [self.client.path, *args], capture_output=True, text=True, timeout=timeout, check=False
            )
        except subprocess.TimeoutExpired as error:
            raise EngineError(f"docker {args[0]} did not answer within {timeout:.0f} s") from error
        if check and done.returncode != 0:
            message = (done.stderr.strip().splitlines() or ["(no output)"])[-1]
            if "Cannot connect to the Docker daemon" in done.stderr:
                message = "no Docker engine answers (is dockerd running?)"
            raise EngineError(f"docker {args[0]}: {message}")
        return done

    def ping(self) -> str:
        """The engine's version; EngineError when none answers."""
        return self._cli("version", "--format", "{{.Server.Version}}", timeout=30).stdout.strip()

    def build(self, request: BuildRequest, on_step: Callable[[BuildStep], None] | None = None) -> Image:
        self.ping()
        argv = build_command(self.client, request)
        reader = ProgressReader()
        log_lines: list[str] = []
        log_file = Path(tempfile.mkstemp(prefix="dockwright-build-", suffix=".log")[1])
        env = {**os.environ, **self.client.build_env()}
        with (
            log_file.open("w") as log,
            subprocess.Popen(
                argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env
            ) as process,
        ):
            assert process.stdout is not None
            for line in process.stdout:
                log.write(line)
                log_lines.append(line)
                for event in reader.feed(line):
                    if on_step:
                        on_step(event)
            code = process.wait()
        text = "".join(log_lines)
        if code != 0:
            summary = reader.failure_summary() or "\n".join(text.splitlines()[-20:])
            raise EngineError(f"build failed (full log: {log_file})\n{summary}")
        info = self.inspect_image(request.tag)
        return Image(
            ref=request.tag,
            image_id=str(info.get("Id", "")),
            size=int(info.get("Size", 0)),
            cached_steps=tuple(reader.cached),
            log=text,
            extra={"log_file": str(log_file)},
        )

    def inspect_image(self, ref: str) -> dict[str, Any]:
        done = self._cli("image", "inspect", ref, check=False)
        if done.returncode != 0:
            if "No such image" in done.stderr or "No such object" in done.stderr:
                raise EngineError(f"no such image: {ref}")
            self._cli("image", "inspect", ref)  # raises with the engine's message
        data: list[dict[str, Any]] = json.loads(done.stdout)
        return data[0]

    def history(self, ref: str) -> list[dict[str, Any]]:
        done = self._cli("history", "--no-trunc", "--format", "{{json .}}", ref)
        return [json.loads(line) for line in done.stdout.splitlines() if line.strip()]

    def save(self, ref: str) -> IO[bytes]:
        self.inspect_image(ref)
        process = subprocess.Popen(
            [self.client.path, "save", ref], stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
        assert process.stdout is not None
        return process.stdout

    def run(
        self,
        ref: str,
        args: Sequence[str] = (),
        *,
        detach: bool = False,
        name: str | None = None,
        entrypoint: Sequence[str] | None = None,
        network: str | None = None,
        env: Mapping[str, str] | None = None,
        timeout: float | None = None,
    ) -> RunResult:
        argv = ["run"]
        argv += ["-d"] if detach else ["--rm"]
        if name:
            argv += ["--name", name]
        if network:
            argv += ["--network", network]
        for key, value in (env or {}).items():
            argv += ["--env", f"{key}={value}"]
        extra: list[str] = []
        if entrypoint:
            argv += ["--entrypoint", entrypoint[0]]
            extra = list(entrypoint[1:])
        done = self._cli(*argv, ref, *extra, *args, timeout=timeout or 300, check=False)
        return RunResult(done.returncode, done.stdout, done.stderr)

    def container_inspect(self, name: str) -> dict[str, Any]:
        data: list[dict[str, Any]] = json.loads(self._cli("container", "inspect", name).stdout)
        return data[0]

    def stop(self, name: str, timeout: int = 10) -> float:
        started = time.monotonic()
        self._cli("stop", "--time", str(timeout), name, timeout=timeout + 60)
        return time.monotonic() - started

    def remove(self, name: str) -> None:
        self._cli("rm", "-f", name, check=False)

    def logs(self, name: str) -> str:
        done = self._cli("logs", name, check=False)
        return done.stdout + done.stderr
