"""Where the sandbox keeps things and which ports it serves on (overridable by environment)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SUITE = "bookworm"


@dataclass(frozen=True)
class Settings:
    cache: Path
    pypi_port: int
    deb_port: int
    registry_port: int = 3150
    registry_auth_port: int = 3151

    @property
    def state(self) -> Path:
        return self.cache / "state"

    @property
    def wheels(self) -> Path:
        return self.cache / "pypi" / "files"

    @property
    def simple(self) -> Path:
        return self.cache / "pypi"

    @property
    def debs(self) -> Path:
        return self.cache / "debian"

    @property
    def engine(self) -> Path:
        """The trixie Docker engine: binaries, data and exec roots (see sandbox/engine.py)."""
        return self.cache / "engine"

    @property
    def docker_config(self) -> Path:
        """The client's DOCKER_CONFIG: cli-plugins/docker-buildx, and logins to the sandbox registries."""
        return self.engine / "docker-config"

    @property
    def pypi_url(self) -> str:
        return f"http://127.0.0.1:{self.pypi_port}/simple/"

    @property
    def deb_url(self) -> str:
        return f"http://127.0.0.1:{self.deb_port}/"


def settings() -> Settings:
    cache = Path(os.environ.get("DOCKWRIGHT_SANDBOX_CACHE", Path.home() / ".cache" / "dockwright-sandbox"))
    return Settings(
        cache=cache,
        pypi_port=int(os.environ.get("DOCKWRIGHT_SANDBOX_PYPI_PORT", "3141")),
        deb_port=int(os.environ.get("DOCKWRIGHT_SANDBOX_DEB_PORT", "3142")),
        registry_port=int(os.environ.get("DOCKWRIGHT_SANDBOX_REGISTRY_PORT", "3150")),
        registry_auth_port=int(os.environ.get("DOCKWRIGHT_SANDBOX_REGISTRY_AUTH_PORT", "3151")),
    )


def docker_client() -> str:
    """The client the sandbox and tests use: DOCKWRIGHT_DOCKER, else the sandbox's Docker 26, else the host's.

    The sandbox's own client needs ``DOCKER_CONFIG`` (its buildx plugin): :func:`client_environment` sets it.
    """
    chosen = os.environ.get("DOCKWRIGHT_DOCKER")
    if chosen:
        return chosen
    own = settings().engine / "root" / "usr" / "bin" / "docker"
    if os.environ.get("DOCKWRIGHT_SANDBOX_ENGINE", "trixie") == "trixie" and own.exists():
        return str(own)
    return "/usr/bin/docker"


def client_environment() -> None:
    """Let this process's docker calls find the sandbox client's buildx plugin (as ``sandbox env`` does)."""
    if docker_client().startswith(str(settings().engine)):
        os.environ.setdefault("DOCKER_CONFIG", str(settings().docker_config))


DOCKER = docker_client()


def log(message: str) -> None:
    print(f"[sandbox] {message}", flush=True)
