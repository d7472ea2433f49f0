"""A throwaway CNCF distribution registry (Debian's ``docker-registry``) for tests, and a tiny pusher.

``start_registry(folder, auth=...)`` serves on a random loopback port with a temporary config (no TLS:
loopback only, as the Docker engine allows); ``auth=("user", "password")`` adds htpasswd basic auth.
``push_image``/``push_index`` upload crafted layers, configs, manifests and indexes over the API.
"""

from __future__ import annotations

import base64
import hashlib
import json
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json"
OCI_INDEX = "application/vnd.oci.image.index.v1+json"


@dataclass
class Registry:
    host: str  # "127.0.0.1:PORT"
    process: subprocess.Popen[bytes]
    auth: tuple[str, str] | None = None

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def _request(
        self, method: str, url: str, data: bytes | None = None, headers: dict[str, str] | None = None
    ) -> Any:
        headers = dict(headers or {})
        if self.auth:
            headers["Authorization"] = "Basic " + base64.b64encode(":".join(self.auth).encode()).decode()
        if not url.startswith("http"):
            url = f"http://{self.host}{url}"
        request = urllib.request.Request(url, data=data, method=method, headers=headers)
        return urllib.request.urlopen(request, timeout=30)

    def put_blob(self, repository: str, data: bytes) -> str:
        digest = "sha256:" + hashlib.sha256(data).hexdigest()
        with self._request("POST", f"/v2/{repository}/blobs/uploads/", b"") as response:
            location = response.headers["Location"]
        separator = "&" if "?" in location else "?"
        with self._request(
            "PUT",
            f"{location}{separator}digest={digest}",
            data,
            {"Content-Type": "application/octet-stream"},
        ):
            pass
        return digest

    def put_manifest(self, repository: str, reference: str, document: dict[str, Any], media: str) -> str:
        body = json.dumps(document).encode()
        with self._request("PUT", f"/v2/{repository}/manifests/{reference}", body, {"Content-Type": media}):
            pass
        return "sha256:" + hashlib.sha256(body).hexdigest()

    def push_image(
        self, repository: str, tag: str | None, layers: Sequence[bytes], config: dict[str, Any]
    ) -> tuple[str, int]:
        """Push an OCI image (uncompressed tar layers); (manifest digest, manifest size)."""
        layer_refs = [
            {
                "mediaType": "application/vnd.oci.image.layer.v1.tar",
                "digest": self.put_blob(repository, b),
                "size": len(b),
            }
            for b in layers
        ]
        config_bytes = json.dumps(config).encode()
        manifest = {
            "schemaVersion": 2,
            "mediaType": OCI_MANIFEST,
            "config": {
                "mediaType": "application/vnd.oci.image.config.v1+json",
                "digest": self.put_blob(repository, config_bytes),
                "size": len(config_bytes),
            },
            "layers": layer_refs,
        }
        body = json.dumps(manifest).encode()
        digest = "sha256:" + hashlib.sha256(body).hexdigest()
        self.put_manifest(repository, tag or digest, manifest, OCI_MANIFEST)
        return digest, len(body)

    def push_index(
        self, repository: str, tag: str, manifests: Sequence[tuple[str, int, dict[str, str]]]
    ) -> None:
        index = {
            "schemaVersion": 2,
            "mediaType": OCI_INDEX,
            "manifests": [
                {"mediaType": OCI_MANIFEST, "digest": d, "size": n, "platform": platform}
                for d, n, platform in manifests
            ],
        }
        self.put_manifest(repository, tag, index, OCI_INDEX)


def registry_binary() -> str | None:
    return shutil.which("docker-registry")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start_registry(folder: Path, auth: tuple[str, str] | None = None) -> Registry:
    binary = registry_binary()
    assert binary is not None
    folder.mkdir(parents=True, exist_ok=True)
    port = _free_port()
    auth_block = ""
    if auth:
        hashed = subprocess.run(
            ["htpasswd", "-Bbn", auth[0], auth[1]], capture_output=True, text=True, check=True
        ).stdout
        (folder / "htpasswd").write_text(hashed)
        auth_block = f"auth:\n  htpasswd:\n    realm: dockwright-test\n    path: {folder / 'htpasswd'}\n"
    (folder / "config.yml").write_text(
        "version: 0.1\nlog:\n  level: warn\n"
        f"storage:\n  filesystem:\n    rootdirectory: {folder / 'data'}\n"
        f"http:\n  addr: 127.0.0.1:{port}\n{auth_block}"
    )
    log = (folder / "registry.log").open("wb")
    process = subprocess.Popen([binary, "serve", str(folder / "config.yml")], stdout=log, stderr=log)
    registry = Registry(f"127.0.0.1:{port}", process, auth)
    deadline = time.monotonic() + 20
    while True:
        try:
            urllib.request.urlopen(f"http://{registry.host}/v2/", timeout=2).close()
            return registry
        except urllib.error.HTTPError:
            return registry  # 401: up, asking for credentials
        except OSError:
            if time.monotonic() > deadline or process.poll() is not None:
                registry.stop()
                raise RuntimeError(
                    f"docker-registry did not start: {(folder / 'registry.log').read_text()[-500:]}"
                ) from None
            time.sleep(0.1)
