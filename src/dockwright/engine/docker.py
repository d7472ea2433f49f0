"""DockerEngine: the Engine protocol over the Docker CLI (verbs shared with Podman: ``cli_engine``).

Builds need BuildKit, which the Docker SDK does not drive, so everything goes through the CLI:
``docker buildx build --load`` when buildx is installed, else a classic client with
``DOCKER_BUILDKIT=1`` (e.g. Debian's ``/usr/bin/docker``). JSON outputs are parsed here and nowhere else.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dockwright.engine.base import BuildRequest, Image
from dockwright.engine.cli_engine import CliEngine
from dockwright.engine.progress import ProgressReader
from dockwright.errors import EngineError

CANDIDATES = ("docker", "/usr/bin/docker")


@dataclass(frozen=True)
class Client:
    """A Docker CLI and how it builds with BuildKit."""

    path: str
    buildx: bool

    def build_prefix(self, load: bool = True) -> list[str]:
        if not self.buildx:
            return [self.path, "build"]
        return [self.path, "buildx", "build", *(["--load"] if load else [])]

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


def _needs_buildx(request: BuildRequest) -> str | None:
    """The first requested feature a classic client (``docker build``) lacks, else None."""
    wanted = (
        (len(request.platforms) > 1, "several platforms"),
        (bool(request.output), "--output"),
        (request.push, "--push"),
        (bool(request.cache_to), "--cache-to"),
        (bool(request.builder), "--builder"),
        (request.reproducible, "--reproducible"),
    )
    return next((what for needed, what in wanted if needed), None)


def build_command(client: Client, request: BuildRequest) -> list[str]:
    """The exact build command for a request (printed by ``build --dry-run``, tested offline)."""
    missing = _needs_buildx(request)
    if missing and not client.buildx:
        raise EngineError(
            f"{missing} needs docker buildx, which {client.path} lacks: install docker-buildx "
            "(Debian/Ubuntu package) or Docker's buildx plugin"
        )
    if len(request.platforms) > 1 and not (request.output or request.push):
        raise EngineError(
            "a multi-platform image cannot be loaded into the engine's image store: give --output "
            "type=registry or --push (push to the tag's registry) or --output type=oci,dest=FILE.tar"
        )
    output = request.output
    if request.reproducible:
        if not (request.push or output):
            raise EngineError(
                "--reproducible needs --push or --output type=oci,dest=FILE.tar: BuildKit rewrites layer "
                "timestamps only when it exports the image (an image loaded into Docker's store keeps them)"
            )
        # the exporter clamps every file's mtime to SOURCE_DATE_EPOCH (BuildKit >= 0.13)
        output = (
            f"{output},rewrite-timestamp=true"
            if output
            else (f"type=image,name={request.tag},push=true,rewrite-timestamp=true")
        )
    if client.buildx:
        argv = [client.path, "buildx", "build"]
        if request.builder:
            argv += ["--builder", request.builder]
        if request.push and not request.reproducible:
            argv.append("--push")
        elif output is None:
            argv.append("--load")
        if request.reproducible:
            argv.append("--provenance=false")  # the attestation records build time and host
    else:
        argv = client.build_prefix()
    argv += ["--progress", "plain", "--file", request.dockerfile]
    if not (request.reproducible and request.push):  # there the name is in --output (--tag would unpack)
        argv += ["--tag", request.tag]
    if output:
        argv += ["--output", output]
    for spec in request.cache_from:
        argv += ["--cache-from", spec]
    for spec in request.cache_to:
        argv += ["--cache-to", spec]
    for name, value in request.build_args:
        argv += ["--build-arg", f"{name}={value}"]
    for secret_id, source in request.secrets:
        argv += ["--secret", f"id={secret_id},src={source}"]
    for spec in request.secret_specs:
        argv += ["--secret", spec]
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


_REFUSED = "the registry refused the credentials: docker login REGISTRY with valid ones"

# What the engine says when a build fails for a reason the user fixes outside the Dockerfile, and the fix
# (matched case-insensitively in the build's output, first match wins).
FAILURE_HINTS: tuple[tuple[str, str], ...] = (
    (
        "cache export is not supported for the docker driver",
        "--cache-to type=registry needs a builder that exports cache: use --cache-to type=inline "
        "(the cache travels in the pushed image), a docker-container/remote builder (--builder NAME), "
        "or turn on the containerd image store",
    ),
    (
        "docker exporter does not currently support exporting manifest lists",
        "several platforms cannot be loaded into this engine's image store: give --push or "
        "--output type=oci,dest=FILE.tar, or turn on the containerd image store",
    ),
    (
        "multi-platform build is not supported for the docker driver",
        "this builder cannot build several platforms: turn on the containerd image store or use a "
        "docker-container builder (--builder NAME)",
    ),
    (
        'conflicts with "unpack"',
        "the docker driver cannot rewrite timestamps while pushing: use --output type=oci,dest=FILE.tar "
        "(containerd image store) and push that, or a docker-container/remote builder (--builder NAME)",
    ),
    (
        "oci exporter is not supported for the docker driver",
        "Docker's classic image store cannot export OCI: turn on the containerd image store, or use a "
        "docker-container/remote builder (--builder NAME)",
    ),
    ("no basic auth credentials", "the registry wants credentials: docker login REGISTRY, then build again"),
    ("401 unauthorized", "the registry refused the credentials: docker login REGISTRY with valid ones"),
    (
        "authentication required",
        "the registry refused the credentials: docker login REGISTRY with valid ones",
    ),
    ("connect: connection refused", "the registry does not answer: check the tag's registry host and port"),
    ("no such host", "the registry's host name does not resolve: check the tag's registry"),
    ("no builder", "no buildx builder by that name: see `docker buildx ls`, or `docker buildx create`"),
    (
        "exec format error",
        "this host cannot run the target platform's binaries: install qemu-user-static and "
        "binfmt-support (or `docker run --privileged --rm tonistiigi/binfmt --install all`)",
    ),
)

# BuildKit goes on building after these; dockwright repeats them as warnings.
WARNING_MARKERS: tuple[tuple[str, str], ...] = (
    ("failed to configure registry cache importer", "--cache-from found no cache (built without it)"),
)


def failure_hint(text: str) -> str | None:
    """The fix for a known engine failure in ``text``, else None."""
    lowered = text.lower()
    return next((fix for marker, fix in FAILURE_HINTS if marker in lowered), None)


def build_warnings(text: str) -> tuple[str, ...]:
    """Warnings for problems BuildKit worked around (each line that shows one, once)."""
    found: list[str] = []
    for line in text.splitlines():
        for marker, what in WARNING_MARKERS:
            if marker in line and not any(line.split(marker, 1)[1].strip() in seen for seen in found):
                found.append(f"{what}: {line.split(marker, 1)[1].strip(' :')}")
    return tuple(found)


def failure_message(reader: ProgressReader, text: str, log_file: Path | None, lines: int = 20) -> str:
    """A failed build as one headline (the failing step and its error) followed by its last log lines."""
    headline = reader.headline()
    tail = reader.failure_tail(lines) if headline else text.splitlines()[-lines:]
    where = f" (full log: {log_file})" if log_file else ""
    hint = failure_hint("\n".join(line for line in text.splitlines()[-lines:] if "ERROR" in line))
    if hint:  # the engine, not the Dockerfile: one line that names the fix
        return f"build failed: {hint}{where}\n  {(text.strip().splitlines() or [''])[-1]}"
    first = f"build failed: {headline}{where}" if headline else f"build failed{where}"
    return "\n".join([first, *("  " + line for line in tail)])


class DockerEngine(CliEngine):
    """The Engine protocol over the Docker CLI."""

    name = "docker"

    def __init__(self, client: Client | None = None) -> None:
        self._client = client

    @property
    def client(self) -> Client:
        if self._client is None:
            self._client = find_client()
        return self._client

    @property
    def executable(self) -> str:
        return self.client.path

    def error_line(self, stderr: str) -> str:
        if "Cannot connect to the Docker daemon" in stderr:
            return "no Docker engine answers (is dockerd running?)"
        return super().error_line(stderr)

    def missing_image(self, ref: str, stderr: str) -> str | None:
        return f"no such image: {ref}" if "No such image" in stderr or "No such object" in stderr else None

    def ping(self) -> str:
        """The engine's version; EngineError (one line) when none answers."""
        done = self._cli("version", "--format", "{{.Server.Version}}", timeout=30, check=False)
        version = done.stdout.strip()
        if done.returncode != 0 or not version:
            detail = (done.stderr.strip().splitlines() or ["no answer"])[-1]
            raise EngineError(f"no Docker engine answers {self.client.path} ({detail})")
        return version

    def build_command(self, request: BuildRequest) -> list[str]:
        """The exact command :meth:`build` runs for ``request`` (without running anything else)."""
        return build_command(self.client, request)

    def progress_reader(self) -> ProgressReader:
        return ProgressReader()

    def build_env(self) -> Mapping[str, str]:
        return self.client.build_env()

    def build_failure(self, reader: ProgressReader, text: str, log_file: Path) -> str:
        return failure_message(reader, text, log_file)

    def built_image(
        self, request: BuildRequest, argv: list[str], reader: ProgressReader, text: str, log_file: Path
    ) -> Image:
        extra: dict[str, Any] = {"log_file": str(log_file), "command": argv, "warnings": build_warnings(text)}
        if request.output or request.push:  # exported or pushed; with --push the docker driver also loads
            stored = self._cli("image", "inspect", request.tag, check=False) if request.push else None
            info = json.loads(stored.stdout)[0] if stored is not None and stored.returncode == 0 else {}
            extra["output"] = request.output or "type=registry"
        else:
            info = self.inspect_image(request.tag)
        return Image(
            ref=request.tag,
            image_id=str(info.get("Id", "")),
            size=int(info.get("Size", 0)),
            cached_steps=tuple(reader.cached),
            log=text,
            extra=extra,
        )

    def history(self, ref: str) -> list[dict[str, Any]]:
        done = self._cli("history", "--no-trunc", "--format", "{{json .}}", ref)
        return [json.loads(line) for line in done.stdout.splitlines() if line.strip()]
