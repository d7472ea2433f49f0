"""PodmanEngine: the Engine protocol over the Podman CLI (Buildah builds), beside DockerEngine.

What differs from Docker, and why this module does it:

- ``podman build`` writes OCI images by default, and the OCI image config has no healthcheck field:
  a Dockerfile's ``HEALTHCHECK`` is silently dropped. Every build passes ``--format docker``.
- BuildKit reads ``Dockerfile.dockerignore`` beside the Dockerfile; Buildah 1.28 does not, so a
  sibling ignore file is passed as ``--ignorefile``.
- Several platforms (a manifest list) and buildx ``--output`` are BuildKit features dockwright does
  not drive through Podman: refused up front with the fix (``--engine docker``).
- Podman runs health probes from systemd timers; where there is no systemd (containers, most CI) the
  status stays ``starting`` for ever. :meth:`PodmanEngine.container_inspect` runs ``podman healthcheck
  run`` itself while the status is ``starting``, so a container's health moves as it does under Docker.
- ``podman run`` reads ``containers.conf``; machines whose kernel refuses the default rlimits need
  ``default_ulimits = []`` there (the test sandbox provides one through ``CONTAINERS_CONF``).
"""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import IO, Any

from dockwright.engine.base import BuildRequest, BuildStep, Image, RunResult
from dockwright.engine.docker import ProcessStream, _log_path, failure_message
from dockwright.engine.podman_progress import PodmanProgressReader
from dockwright.errors import EngineError

INSTALL_HINT = "install podman (Debian/Ubuntu: apt-get install podman) or use --engine docker"


def find_podman() -> str:
    """The podman executable: ``DOCKWRIGHT_PODMAN``, else ``podman`` on PATH; EngineError naming the fix."""
    name = os.environ.get("DOCKWRIGHT_PODMAN") or "podman"
    path = shutil.which(name) if "/" not in name else (name if Path(name).exists() else None)
    if not path:
        raise EngineError(f"podman not found ({name}): {INSTALL_HINT}")
    return path


def build_command(podman: str, request: BuildRequest) -> list[str]:
    """The exact ``podman build`` command for a request (printed by ``build``, tested offline)."""
    if len(request.platforms) > 1:
        raise EngineError(
            "several platforms in one image index are built with docker buildx here: use --engine docker "
            "(or build each --platform with podman and join them with `podman manifest`)"
        )
    if request.output:
        raise EngineError(
            "--output is a BuildKit (docker buildx) option: use --engine docker, or build with podman "
            "and `podman push` / `podman save` the result"
        )
    if request.reproducible:  # measured on podman 4.3.1 with --timestamp and --omit-history
        raise EngineError(
            "--reproducible: podman's docker-format config records the build container's id and hostname, "
            "so digests never repeat (the OCI format would, but drops HEALTHCHECK): use --engine docker"
        )
    # --format docker: the OCI config has no healthcheck field, so OCI would drop the HEALTHCHECK
    argv = [podman, "build", "--format", "docker", "--file", request.dockerfile, "--tag", request.tag]
    ignore = Path(request.dockerfile + ".dockerignore")
    if ignore.is_file():
        argv += ["--ignorefile", str(ignore)]
    for name, value in request.build_args:
        argv += ["--build-arg", f"{name}={value}"]
    for secret_id, source in request.secrets:
        argv += ["--secret", f"id={secret_id},src={source}"]
    for key, value in request.labels:
        argv += ["--label", f"{key}={value}"]
    if request.platforms:
        argv += ["--platform", request.platforms[0]]
    if request.target:
        argv += ["--target", request.target]
    if request.network:
        argv += ["--network", request.network]
    if request.no_cache:
        argv.append("--no-cache")
    return [*argv, request.context]


def _history_row(row: Mapping[str, Any]) -> dict[str, Any]:
    """A ``podman history`` row with Docker's keys (CreatedBy, Created, Size)."""
    return {
        "CreatedBy": row.get("CreatedBy") or row.get("created_by") or "",
        "Created": row.get("Created") or row.get("created") or "",
        "Size": row.get("Size", row.get("size", 0)),
        "Comment": row.get("Comment") or row.get("comment") or "",
    }


class PodmanEngine:
    """The Engine protocol over the Podman CLI (daemonless; rootless when run by a non-root user)."""

    name = "podman"

    def __init__(self, path: str | None = None, *, probe_interval: float = 1.0) -> None:
        self._path = path
        self._probe_interval = probe_interval
        self._probed: dict[str, float] = {}

    @property
    def path(self) -> str:
        if self._path is None:
            self._path = find_podman()
        return self._path

    def _cli(self, *args: str, timeout: float = 120, check: bool = True) -> subprocess.CompletedProcess[str]:
        try:
            done = subprocess.run(
                [self.path, *args], capture_output=True, text=True, timeout=timeout, check=False
            )
        except subprocess.TimeoutExpired as error:
            raise EngineError(f"podman {args[0]} did not answer within {timeout:.0f} s") from error
        except OSError as error:
            raise EngineError(f"cannot run {self.path}: {error.strerror or error}") from error
        if check and done.returncode != 0:
            raise EngineError(f"podman {args[0]}: {_last_error(done.stderr)}")
        return done

    def ping(self) -> str:
        """Podman's version; EngineError (one line) when it cannot run."""
        done = self._cli("version", "--format", "{{.Client.Version}}", timeout=30, check=False)
        version = done.stdout.strip()
        if done.returncode != 0 or not version:
            raise EngineError(f"podman does not answer ({_last_error(done.stderr)}); {INSTALL_HINT}")
        return version

    def build_command(self, request: BuildRequest) -> list[str]:
        return build_command(self.path, request)

    def build(self, request: BuildRequest, on_step: Callable[[BuildStep], None] | None = None) -> Image:
        argv = build_command(self.path, request)
        self.ping()
        reader = PodmanProgressReader()
        log_lines: list[str] = []
        log_file = _log_path(request.tag)
        try:
            with (
                log_file.open("w", encoding="utf-8") as log,
                subprocess.Popen(
                    argv,
                    stdout=subprocess.PIPE,
                    stderr=subprocess.STDOUT,
                    stdin=subprocess.DEVNULL,
                    text=True,
                    encoding="utf-8",
                    errors="replace",
                ) as process,
            ):
                assert process.stdout is not None
                for line in process.stdout:
                    log.write(line)
                    log.flush()
                    log_lines.append(line)
                    for event in reader.feed(line):
                        if on_step:
                            on_step(event)
                code = process.wait()
        except OSError as error:
            raise EngineError(f"cannot run {argv[0]}: {error.strerror or error}") from error
        text = "".join(log_lines)
        if code != 0:
            raise EngineError(failure_message(reader, text, log_file))
        info = self.inspect_image(request.tag)
        return Image(
            ref=request.tag,
            image_id=str(info.get("Id", "")),
            size=int(info.get("Size", 0)),
            cached_steps=tuple(reader.cached),
            log=text,
            extra={"log_file": str(log_file), "command": argv, "engine": "podman"},
        )

    def inspect_image(self, ref: str) -> dict[str, Any]:
        done = self._cli("image", "inspect", ref, check=False)
        if done.returncode != 0:
            if "image not known" in done.stderr or "no such image" in done.stderr.lower():
                raise EngineError(f"no such image in podman's store: {ref}")
            raise EngineError(f"podman image inspect: {_last_error(done.stderr)}")
        data: list[dict[str, Any]] = json.loads(done.stdout)
        return data[0]

    def history(self, ref: str) -> list[dict[str, Any]]:
        done = self._cli("history", "--no-trunc", "--format", "json", ref)
        rows = json.loads(done.stdout or "[]")
        return [_history_row(row) for row in rows if isinstance(row, dict)]

    def save(self, ref: str) -> IO[bytes]:
        """``podman save --format docker-archive`` streamed from its pipe (never written to disk)."""
        self.inspect_image(ref)
        errors = tempfile.TemporaryFile()  # noqa: SIM115 - owned and closed by ProcessStream
        try:
            process = subprocess.Popen(
                [self.path, "save", "--format", "docker-archive", ref],
                stdout=subprocess.PIPE,
                stderr=errors,
                stdin=subprocess.DEVNULL,
            )
        except OSError as error:
            errors.close()
            raise EngineError(f"cannot run {self.path}: {error.strerror or error}") from error
        return io.BufferedReader(ProcessStream(process, errors, f"podman save {ref}"), 1 << 16)

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
        stderr = _without_systemd_noise(done.stderr)
        if done.returncode != 0 and "error setting rlimit" in stderr:
            stderr = RLIMIT_HINT + "\n" + stderr
        return RunResult(done.returncode, done.stdout, stderr)

    def container_inspect(self, name: str) -> dict[str, Any]:
        data: list[dict[str, Any]] = json.loads(self._cli("container", "inspect", name).stdout)
        state = data[0].get("State") or {}
        health = state.get("Health") or state.get("Healthcheck") or {}
        if state.get("Running") and health.get("Status") == "starting" and self._probe_due(name):
            # no systemd timer runs the probe here: run it once, as the timer would, then read again
            self._cli("healthcheck", "run", name, check=False, timeout=60)
            data = json.loads(self._cli("container", "inspect", name).stdout)
        return data[0]

    def _probe_due(self, name: str) -> bool:
        now = time.monotonic()
        if now - self._probed.get(name, -1e9) < self._probe_interval:
            return False
        self._probed[name] = now
        return True

    def stop(self, name: str, timeout: int = 10) -> float:
        started = time.monotonic()
        self._cli("stop", "--time", str(timeout), name, timeout=timeout + 60)
        return time.monotonic() - started

    def remove(self, name: str) -> None:
        self._cli("rm", "-f", name, check=False)
        self._probed.pop(name, None)

    def logs(self, name: str) -> str:
        done = self._cli("logs", name, check=False)
        return done.stdout + done.stderr


def _without_systemd_noise(stderr: str) -> str:
    """Podman's complaints that it cannot reach systemd for health timers (handled by inspect)."""
    return "".join(
        line for line in stderr.splitlines(keepends=True) if "unable to get systemd connection" not in line
    )


RLIMIT_HINT = (
    "podman cannot apply its default rlimits on this machine: set `default_ulimits = []` under "
    "[containers] in containers.conf (or point CONTAINERS_CONF at a file that does)"
)


def _last_error(stderr: str) -> str:
    lines = _without_systemd_noise(stderr).strip().splitlines()
    message = (lines or ["(no output)"])[-1]
    if "error setting rlimit" in message:
        return RLIMIT_HINT
    return message.removeprefix("Error: ").strip()
