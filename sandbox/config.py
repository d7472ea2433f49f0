"""Where the sandbox keeps things and which ports it serves on (overridable by environment)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DOCKER = os.environ.get("DOCKWRIGHT_DOCKER", "/usr/bin/docker")  # Debian's client: BuildKit built in
SUITE = "bookworm"


@dataclass(frozen=True)
class Settings:
    cache: Path
    pypi_port: int
    deb_port: int

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
    )


def log(message: str) -> None:
    print(f"[sandbox] {message}", flush=True)
