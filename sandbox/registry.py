"""Two local registries (Debian's ``docker-registry``, the CNCF distribution 2.8) on loopback.

- ``registry`` on 127.0.0.1:3150: no auth, as a CI cache or a private registry behind a VPN;
- ``registry-auth`` on 127.0.0.1:3151: htpasswd (bcrypt) auth with the test credentials below.

Both speak plain HTTP: Docker and BuildKit treat 127.0.0.0/8 as an insecure registry by default, so no
TLS setting is loosened anywhere. ``push_base_images`` pushes the stand-in base images to the open one,
so a Dockerfile can say ``FROM 127.0.0.1:3150/python:…`` and pull it as from a real registry.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from sandbox.config import Settings, docker_client, log

USER = "dockwright"
PASSWORD = "sandbox-test-password"
REGISTRY = "/usr/bin/docker-registry"


def _config(settings: Settings, name: str, port: int) -> Path:
    root = settings.cache / "registry" / name
    (root / "storage").mkdir(parents=True, exist_ok=True)
    lines = [
        "version: 0.1",
        "log:",
        "  level: warn",
        "storage:",
        "  filesystem:",
        f"    rootdirectory: {root / 'storage'}",
        "  delete:",
        "    enabled: true",
        "http:",
        f"  addr: 127.0.0.1:{port}",
    ]
    if name == "registry-auth":
        htpasswd = root / "htpasswd"
        if not htpasswd.exists():
            # the registry accepts only bcrypt lines (htpasswd -B, apache2-utils)
            line = subprocess.run(
                ["htpasswd", "-nbB", USER, PASSWORD], check=True, capture_output=True, text=True
            )
            htpasswd.write_text(line.stdout.strip() + "\n")
        lines += ["auth:", "  htpasswd:", "    realm: dockwright-sandbox", f"    path: {htpasswd}"]
    config = root / "config.yml"
    config.write_text("\n".join(lines) + "\n")
    return config


def ensure_registries(settings: Settings) -> list[str]:
    """Start the two registries unless they answer; the names of those this call started."""
    from sandbox import services

    if not Path(REGISTRY).exists() or shutil.which("htpasswd") is None:
        log("registries: left out (apt-get install docker-registry apache2-utils); the registry tests skip")
        return []
    started = []
    for name, port in (("registry", settings.registry_port), ("registry-auth", settings.registry_auth_port)):
        config = _config(settings, name, port)
        # /v2/ answers 200 without auth and 401 with it: both mean "serving"
        if services.ensure_process(
            settings,
            name,
            [REGISTRY, "serve", str(config)],
            f"http://127.0.0.1:{port}/v2/",
            accept=(200, 401),
        ):
            started.append(name)
    return started


def push_base_images(settings: Settings, tags: list[str]) -> None:
    """Copy the stand-in base images into the open registry under the same names (skips what is there)."""
    if not Path(REGISTRY).exists():
        return
    for tag in tags:
        first, _, rest = tag.partition("/")
        path = rest if rest and ("." in first or ":" in first) else tag  # drop gcr.io, keep distroless/…
        target = f"127.0.0.1:{settings.registry_port}/{path}"
        if _in_registry(target):
            continue
        subprocess.run([docker_client(), "tag", tag, target], check=True)
        subprocess.run([docker_client(), "push", "--quiet", target], check=True, stdout=subprocess.DEVNULL)
        log(f"registry: pushed {target}")


def _in_registry(ref: str) -> bool:
    done = subprocess.run(
        [docker_client(), "manifest", "inspect", "--insecure", ref],
        capture_output=True,
        env={**os.environ, "DOCKER_CLI_EXPERIMENTAL": "enabled"},
    )
    return done.returncode == 0
