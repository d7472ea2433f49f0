"""Which engine a verb uses: ``--engine docker|podman``, ``DOCKWRIGHT_ENGINE``, else the first that answers.

Auto-detection prefers Docker when its engine answers (the default users expect), else Podman when it
is installed (daemonless: installed is enough). Nothing here runs a build.
"""

from __future__ import annotations

import os

from dockwright.engine.base import Engine
from dockwright.errors import ConfigError, EngineError

ENGINES = ("docker", "podman")


def engine_named(name: str | None = None) -> Engine:
    """The engine called ``name`` ("docker", "podman", "auto" or None = auto-detect)."""
    from dockwright.engine.docker import DockerEngine
    from dockwright.engine.podman import PodmanEngine, find_podman

    choice = (name or os.environ.get("DOCKWRIGHT_ENGINE") or "auto").strip().lower()
    if choice == "docker":
        return DockerEngine()
    if choice == "podman":
        return PodmanEngine()
    if choice != "auto":
        raise ConfigError(f"unknown engine {name!r}: choose one of {', '.join(ENGINES)} (or auto)")
    docker = DockerEngine()
    try:
        docker.ping()
        return docker
    except EngineError as docker_error:
        try:
            return PodmanEngine(find_podman())
        except EngineError:
            raise EngineError(
                f"no container engine: {docker_error}; and podman is not installed. Start dockerd, or "
                "install podman (apt-get install podman), or name one with --engine docker|podman"
            ) from docker_error


def engine_name(engine: Engine) -> str:
    """ "docker", "podman", or the class name of another Engine (e.g. a test's fake)."""
    from dockwright.engine.docker import DockerEngine
    from dockwright.engine.podman import PodmanEngine

    if isinstance(engine, PodmanEngine):
        return "podman"
    if isinstance(engine, DockerEngine):
        return "docker"
    return type(engine).__name__
