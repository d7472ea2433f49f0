"""Where the sandbox keeps things and which ports it serves on (overridable by environment)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Suite:
    """A Debian release the stand-ins are made from, and the CPython its ``python3`` package is.

    Every ``python:X.Y.Z-slim-<suite>`` stand-in runs that interpreter, whatever X.Y the tag names:
    Debian packages one CPython per release (bookworm 3.11, trixie 3.13) and no registry this machine
    reaches ships another one (see README, "Test sandbox").
    """

    name: str
    python: str  # "3.13"
    glibc_minor: int  # 41 for glibc 2.41
    distroless: str  # "debian13"


SUITES: dict[str, Suite] = {
    "bookworm": Suite("bookworm", "3.11", 36, "debian12"),
    "trixie": Suite("trixie", "3.13", 41, "debian13"),
}


def suite_of(image: str) -> Suite | None:
    """The suite an image name is built on: ``python:3.14.4-slim-trixie``, ``.../cc-debian13:nonroot``."""
    for suite in SUITES.values():
        if f"-{suite.name}" in image or f"-{suite.distroless}" in image:
            return suite
    return None


@dataclass(frozen=True)
class Settings:
    cache: Path
    pypi_port: int
    deb_port: int  # bookworm's mirror (the first one, kept where it was)
    trixie_port: int = 3143
    registry_port: int = 3150
    registry_auth_port: int = 3151
    private_index_port: int = 3144  # the second index, with basic auth (sandbox/privateindex.py)
    npm_port: int = 3145  # the npm registry proxy, with a token (sandbox/npmproxy.py)

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

    def debs_of(self, suite: Suite) -> Path:
        # one directory and one server per suite: dpkg-scanpackages indexes a tree recursively, so a
        # suite nested in another's directory would leak its packages into that index
        return self.debs if suite.name == "bookworm" else self.cache / f"debian-{suite.name}"

    def port_of(self, suite: Suite) -> int:
        return self.deb_port if suite.name == "bookworm" else self.trixie_port

    def deb_url_of(self, suite: Suite) -> str:
        return f"http://127.0.0.1:{self.port_of(suite)}/"

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
    def private_index(self) -> Path:
        return self.cache / "private-index"

    def private_index_url(self, folder: str = "simple") -> str:
        return f"http://127.0.0.1:{self.private_index_port}/{folder}/"

    @property
    def npm(self) -> Path:
        """The npm proxy's cache (metadata, tarballs) and the npmrc the tests pass as a secret."""
        return self.cache / "npm"

    @property
    def npm_registry_url(self) -> str:
        return f"http://127.0.0.1:{self.npm_port}/"

    @property
    def npmrc(self) -> Path:
        return self.npm / "npmrc"

    @property
    def deb_url(self) -> str:
        return f"http://127.0.0.1:{self.deb_port}/"


def settings() -> Settings:
    cache = Path(os.environ.get("DOCKWRIGHT_SANDBOX_CACHE", Path.home() / ".cache" / "dockwright-sandbox"))
    return Settings(
        cache=cache,
        pypi_port=int(os.environ.get("DOCKWRIGHT_SANDBOX_PYPI_PORT", "3141")),
        deb_port=int(os.environ.get("DOCKWRIGHT_SANDBOX_DEB_PORT", "3142")),
        trixie_port=int(os.environ.get("DOCKWRIGHT_SANDBOX_DEB_TRIXIE_PORT", "3143")),
        registry_port=int(os.environ.get("DOCKWRIGHT_SANDBOX_REGISTRY_PORT", "3150")),
        registry_auth_port=int(os.environ.get("DOCKWRIGHT_SANDBOX_REGISTRY_AUTH_PORT", "3151")),
        private_index_port=int(os.environ.get("DOCKWRIGHT_SANDBOX_PRIVATE_INDEX_PORT", "3144")),
        npm_port=int(os.environ.get("DOCKWRIGHT_SANDBOX_NPM_PORT", "3145")),
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
