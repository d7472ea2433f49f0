"""Two local registries (Debian's ``docker-registry``, the CNCF distribution 2.8) on loopback.

- ``registry`` on 127.0.0.1:3150: no auth, as a CI cache or a private registry behind a VPN;
- ``registry-auth`` on 127.0.0.1:3151: htpasswd (bcrypt) auth with the test credentials below.

Both speak plain HTTP: Docker and BuildKit treat 127.0.0.0/8 as an insecure registry by default, so no
TLS setting is loosened anywhere. ``push_base_images`` pushes the stand-in base images to the open one,
so a Dockerfile can say ``FROM 127.0.0.1:3150/python:…`` and pull it as from a real registry.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import urllib.request
from collections.abc import Callable
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
    """Copy the stand-in base images into the open registry under the same names: a tag is pushed when
    the registry lacks it or holds another image than the local stand-in (a stale one), else skipped."""
    if not Path(REGISTRY).exists() or not tags:
        return
    registry = f"127.0.0.1:{settings.registry_port}"
    for tag, target, why in to_push(tags, local_ids(tags), lambda path: held(registry, path), registry):
        subprocess.run([docker_client(), "tag", tag, target], check=True)
        subprocess.run([docker_client(), "push", "--quiet", target], check=True, stdout=subprocess.DEVNULL)
        log(f"registry: pushed {target} ({why})")


INDEX = "index"  # what :func:`held` says of a multi-platform tag
_ACCEPT = ", ".join(
    (
        "application/vnd.docker.distribution.manifest.v2+json",
        "application/vnd.oci.image.manifest.v1+json",
        "application/vnd.docker.distribution.manifest.list.v2+json",
        "application/vnd.oci.image.index.v1+json",
    )
)


def registry_path(tag: str) -> str:
    """``gcr.io/distroless/cc-debian13:nonroot`` -> ``distroless/cc-debian13:nonroot`` (the host dropped)."""
    first, _, rest = tag.partition("/")
    return rest if rest and ("." in first or ":" in first) else tag


def to_push(
    tags: list[str], local: dict[str, str], registry_holds: Callable[[str], str | None], registry: str
) -> list[tuple[str, str, str]]:
    """(local tag, registry reference, why) of each stand-in to push. ``local``: the local image id (its
    config digest) per tag; ``registry_holds(path)``: the config digest the registry's tag points to,
    :data:`INDEX` for a multi-platform index (made by the multi-arch leg, which keeps it current: left
    alone), None when absent."""
    out = []
    for tag in tags:
        path = registry_path(tag)
        found = registry_holds(path)
        if found == INDEX or (found is not None and found == local.get(tag)):
            continue
        why = (
            "new"
            if found is None
            else f"the registry's {found[:19]} is stale, the stand-in is {local.get(tag, '?')[:19]}"
        )
        out.append((tag, f"{registry}/{path}", why))
    return out


def local_ids(tags: list[str]) -> dict[str, str]:
    """The engine's image id (config digest) of each tag, in one ``docker image inspect``."""
    done = subprocess.run(
        [docker_client(), "image", "inspect", "--format", "{{.Id}}", *tags], capture_output=True, text=True
    )
    ids = done.stdout.split()
    return dict(zip(tags, ids, strict=True)) if done.returncode == 0 and len(ids) == len(tags) else {}


def held(registry: str, path: str, timeout: float = 10.0) -> str | None:
    """The config digest the registry's ``path`` (``name:tag``) points to, :data:`INDEX` for a
    multi-platform index, None when the tag is absent or cannot be read (pushing then tells)."""
    name, _, tag = path.rpartition(":")
    request = urllib.request.Request(
        f"http://{registry}/v2/{name}/manifests/{tag}", headers={"Accept": _ACCEPT}
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            manifest = json.loads(response.read())
    except (OSError, ValueError):  # HTTP 404 (URLError/HTTPError are OSErrors) or not JSON
        return None
    if "manifests" in manifest:
        return INDEX
    digest = (manifest.get("config") or {}).get("digest")
    return str(digest) if digest else None
