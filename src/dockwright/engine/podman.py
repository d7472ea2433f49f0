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

import json
import os
import shutil
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from dockwright.engine.base import BuildRequest, Image
from dockwright.engine.cli_engine import CliEngine
from dockwright.engine.docker import failure_message
from dockwright.engine.podman_progress import PodmanProgressReader
from dockwright.engine.progress import ProgressReader
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
    for forward in request.ssh:
        argv += ["--ssh", forward]
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


class PodmanEngine(CliEngine):
    """The Engine protocol over the Podman CLI (daemonless; rootless when run by a non-root user)."""

    name = "podman"
    save_args = ("save", "--format", "docker-archive")

    def __init__(self, path: str | None = None, *, probe_interval: float = 1.0) -> None:
        super().__init__()
        self._path = path
        self._probe_interval = probe_interval
        self._probed: dict[str, float] = {}

    @property
    def path(self) -> str:
        if self._path is None:
            self._path = find_podman()
        return self._path

    @property
    def executable(self) -> str:
        return self.path

    def error_line(self, stderr: str) -> str:
        return _last_error(stderr)

    def missing_image(self, ref: str, stderr: str) -> str | None:
        if "image not known" in stderr or "no such image" in stderr.lower():
            return f"no such image in podman's store: {ref}"
        return None

    def ping(self) -> str:
        """Podman's version; EngineError (one line) when it cannot run."""
        done = self._cli("version", "--format", "{{.Client.Version}}", timeout=30, check=False)
        version = done.stdout.strip()
        if done.returncode != 0 or not version:
            raise EngineError(f"podman does not answer ({_last_error(done.stderr)}); {INSTALL_HINT}")
        return version

    def build_command(self, request: BuildRequest) -> list[str]:
        return build_command(self.path, request)

    def progress_reader(self) -> ProgressReader:
        return PodmanProgressReader()

    def build_failure(self, reader: ProgressReader, text: str, log_file: Path) -> str:
        return failure_message(reader, text, log_file)

    def built_image(
        self, request: BuildRequest, argv: list[str], reader: ProgressReader, text: str, log_file: Path
    ) -> Image:
        info = self.inspect_image(request.tag)
        return Image(
            ref=request.tag,
            image_id=str(info.get("Id", "")),
            size=int(info.get("Size", 0)),
            cached_steps=tuple(reader.cached),
            log=text,
            extra={"log_file": str(log_file), "command": argv, "engine": "podman"},
        )

    def history(self, ref: str) -> list[dict[str, Any]]:
        done = self._cli("history", "--no-trunc", "--format", "json", ref)
        rows = json.loads(done.stdout or "[]")
        return [_history_row(row) for row in rows if isinstance(row, dict)]

    def run_stderr(self, exit_code: int, stderr: str) -> str:
        stderr = _without_noise(stderr)
        if exit_code != 0 and "error setting rlimit" in stderr:
            return RLIMIT_HINT + "\n" + stderr
        return stderr

    def container_inspect(self, name: str) -> dict[str, Any]:
        data = super().container_inspect(name)
        state = data.get("State") or {}
        health = state.get("Health") or state.get("Healthcheck") or {}
        if state.get("Running") and health.get("Status") == "starting" and self._probe_due(name):
            # no systemd timer runs the probe here: run it once, as the timer would, then read again
            self._cli("healthcheck", "run", name, check=False, timeout=60)
            data = super().container_inspect(name)
        return data

    def _probe_due(self, name: str) -> bool:
        now = time.monotonic()
        if now - self._probed.get(name, -1e9) < self._probe_interval:
            return False
        self._probed[name] = now
        return True

    def remove(self, name: str) -> None:
        super().remove(name)
        self._probed.pop(name, None)


# Warnings Podman prints on every call where they apply, none of them about the command at hand:
# no systemd for health timers (container_inspect runs the probe), and a rootless Podman in a container
# whose "/" is not a shared mount (it only matters for mount propagation, which dockwright never asks).
NOISE = ("unable to get systemd connection", "is not a shared mount")


def _without_noise(stderr: str) -> str:
    """Podman's stderr without the :data:`NOISE` lines."""
    return "".join(line for line in stderr.splitlines(keepends=True) if not any(n in line for n in NOISE))


RLIMIT_HINT = (
    "podman cannot apply its default rlimits on this machine: set `default_ulimits = []` under "
    "[containers] in containers.conf (or point CONTAINERS_CONF at a file that does)"
)


def _last_error(stderr: str) -> str:
    lines = _without_noise(stderr).strip().splitlines()
    message = (lines or ["(no output)"])[-1]
    if "error setting rlimit" in message:
        return RLIMIT_HINT
    return message.removeprefix("Error: ").strip()
