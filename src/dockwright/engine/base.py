"""The Engine protocol and the values it hands back (no Docker import here)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import IO, Any, Protocol


@dataclass(frozen=True)
class BuildRequest:
    """Everything a BuildKit build needs; made from a BuildPlan by ``api.build``."""

    context: str  # absolute path of the build context
    dockerfile: str  # absolute path of the Dockerfile
    tag: str
    build_args: tuple[tuple[str, str], ...] = ()
    # BuildKit secrets as (id, source file path) — never ARG/ENV, so nothing lands in a layer.
    secrets: tuple[tuple[str, str], ...] = ()
    target: str | None = None
    platforms: tuple[str, ...] = ()
    no_cache: bool = False
    network: str | None = None  # e.g. "host" for the offline sandbox
    labels: tuple[tuple[str, str], ...] = ()
    # buildx --output (e.g. "type=registry", "type=oci,dest=app.tar"); None = load into the engine
    output: str | None = None
    push: bool = False  # push the tag to its registry (buildx --push)
    cache_from: tuple[str, ...] = ()  # buildx --cache-from specs, e.g. "type=registry,ref=REG/app:cache"
    cache_to: tuple[str, ...] = ()  # buildx --cache-to specs, e.g. "type=inline"
    builder: str | None = None  # a buildx builder by name (docker-container, kubernetes, remote driver)
    # user --secret specs passed through as given ("id=NAME,src=PATH" or "id=NAME,env=VAR")
    secret_specs: tuple[str, ...] = ()
    # BuildKit ssh forwards ("default" = the agent at SSH_AUTH_SOCK): a git source over ssh:// uses it
    ssh: tuple[str, ...] = ()
    # rewrite layer timestamps to SOURCE_DATE_EPOCH on export, no provenance attestation (reproducible digest)
    reproducible: bool = False
    # buildx --build-context NAME=VALUE (e.g. ("root", "docker-image://dockwright-root:...")): a stage of
    # that name is taken from VALUE instead of built
    build_contexts: tuple[tuple[str, str], ...] = ()
    # the engine may keep the runtime's root stage as a local image (dockwright.engine.root_image)
    reuse_root: bool = False


@dataclass(frozen=True)
class BuildStep:
    """One progress event of a build: a step's id, its name, and its state."""

    step_id: str
    name: str
    state: str  # "started" | "cached" | "done" | "error" | "log"
    text: str = ""


@dataclass(frozen=True)
class Image:
    """A built image, as the engine reports it."""

    ref: str  # the tag asked for
    image_id: str  # "sha256:..."
    size: int  # bytes
    cached_steps: tuple[str, ...] = ()  # names of steps BuildKit reported CACHED
    log: str = ""  # the full build log
    extra: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class RunResult:
    exit_code: int
    stdout: str
    stderr: str


class Engine(Protocol):
    """What dockwright needs from a container engine."""

    def build_command(self, request: BuildRequest) -> list[str]:
        """The exact command :meth:`build` would run (``build --dry-run`` prints it)."""
        ...

    def build(self, request: BuildRequest, on_step: Callable[[BuildStep], None] | None = None) -> Image: ...

    def inspect_image(self, ref: str) -> dict[str, Any]:
        """``docker image inspect`` of one image (the raw dict)."""
        ...

    def history(self, ref: str) -> list[dict[str, Any]]:
        """``docker history`` rows, newest first, as the engine reports them."""
        ...

    def save(self, ref: str) -> IO[bytes]:
        """A stream of ``docker save`` output (an OCI/docker-archive tar), never written to disk."""
        ...

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
    ) -> RunResult: ...

    def container_inspect(self, name: str) -> dict[str, Any]: ...

    def stop(self, name: str, timeout: int = 10) -> float:
        """Stop a container; return the seconds ``docker stop`` took."""
        ...

    def remove(self, name: str) -> None: ...

    def logs(self, name: str) -> str: ...
