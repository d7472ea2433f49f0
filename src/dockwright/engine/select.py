"""Which engine a verb uses: ``--engine docker|podman``, ``DOCKWRIGHT_ENGINE``, else auto-detected.

Auto-detection prefers Docker when a Docker daemon is configured (``DOCKER_HOST``, or its socket
exists: the default users expect), else Podman when it is installed (daemonless: installed is enough),
else Docker when it answers anyway. A daemon that is there is not pinged: one that answers slowly on a
busy machine must not switch engines. Nothing here runs a build.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from dockwright.engine.base import Engine
from dockwright.errors import ConfigError, EngineError

ENGINES = ("docker", "podman")
DOCKER_SOCKETS = ("/var/run/docker.sock", "/run/docker.sock")


def engine_named(name: str | None = None) -> Engine:
    """The engine called ``name`` ("docker", "podman", "auto" or None = auto-detect)."""
    from dockwright.engine.docker import DockerEngine

    given = name or os.environ.get("DOCKWRIGHT_ENGINE")
    choice = (given or "auto").strip().lower()
    if choice == "docker":
        return DockerEngine()
    if choice not in ("podman", "auto"):
        source = "" if name else " (DOCKWRIGHT_ENGINE)"
        raise ConfigError(f"unknown engine {given!r}{source}: choose one of {', '.join(ENGINES)} (or auto)")
    if choice == "auto" and docker_daemon_configured():
        return DockerEngine()
    from dockwright.engine.podman import PodmanEngine, find_podman  # not loaded when Docker is used

    if choice == "podman":
        return PodmanEngine()
    try:
        return PodmanEngine(find_podman())
    except EngineError as podman_error:
        docker = DockerEngine()
        try:
            docker.ping()
        except EngineError as docker_error:
            raise EngineError(
                f"no container engine: {docker_error}; {podman_error}. Start dockerd, or install podman "
                "(apt-get install podman), or name one with --engine docker|podman"
            ) from docker_error
        return docker


def docker_daemon_configured(environ: Mapping[str, str] | None = None) -> bool:
    """Docker is the user's engine: ``DOCKER_HOST`` is set or the daemon's socket exists."""
    environ = os.environ if environ is None else environ
    if environ.get("DOCKER_HOST"):
        return True
    return any(Path(path).exists() for path in DOCKER_SOCKETS)


def engine_name(engine: Engine) -> str:
    """ "docker", "podman", or the class name of another Engine (e.g. a test's fake)."""
    from dockwright.engine.docker import DockerEngine
    from dockwright.engine.podman import PodmanEngine

    if isinstance(engine, PodmanEngine):
        return "podman"
    if isinstance(engine, DockerEngine):
        return "docker"
    return type(engine).__name__
