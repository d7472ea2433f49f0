"""Bearer-token auth (Docker Hub, GHCR, ...): a fake registry answers 401 with a ``Bearer realm=...``
challenge; the client fetches a token from the realm with the Docker config's credentials and retries.
Also: a blob that does not match its digest is refused, and a credential helper is asked."""

from __future__ import annotations

import base64
import hashlib
import json
import stat
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar

import pytest
from audit_images import Img, _config_doc, app_layer, base_layer, layer_tar

from dockwright import api
from dockwright.engine.registry import credentials, parse_reference
from dockwright.errors import EngineError

TOKEN = "t0ken"


def _digest(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()


class FakeRegistry(BaseHTTPRequestHandler):
    blobs: ClassVar[dict[str, bytes]] = {}
    manifests: ClassVar[dict[str, bytes]] = {}
    corrupt: ClassVar[set[str]] = set()

    def log_message(self, *args: Any) -> None:
        pass

    def _send(self, code: int, body: bytes = b"", headers: dict[str, str] | None = None) -> None:
        self.send_response(code)
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        host = self.headers["Host"]
        if self.path.startswith("/token"):
            expected = "Basic " + base64.b64encode(b"alice:pw").decode()
            if (
                "scope=repository%3Aapp%3Apull" not in self.path
                or self.headers.get("Authorization") != expected
            ):
                self._send(401)
                return
            self._send(200, json.dumps({"token": TOKEN}).encode())
            return
        if self.headers.get("Authorization") != f"Bearer {TOKEN}":
            challenge = f'Bearer realm="http://{host}/token",service="fake",scope="repository:app:pull"'
            self._send(401, b"{}", {"WWW-Authenticate": challenge})
            return
        if self.path == "/v2/":
            self._send(200, b"{}")
        elif self.path.startswith("/v2/app/manifests/"):
            body = self.manifests.get(self.path.rsplit("/", 1)[1])
            media = "application/vnd.oci.image.manifest.v1+json"
            self._send(200, body, {"Content-Type": media}) if body else self._send(404)
        elif self.path.startswith("/v2/app/blobs/"):
            digest = self.path.rsplit("/", 1)[1]
            body = self.blobs.get(digest)
            if body is not None and digest in self.corrupt:
                body = body[:-1] + b"\x01"
            self._send(200, body) if body is not None else self._send(404)
        else:
            self._send(404)


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    img = Img([base_layer(), app_layer()])
    tars = [layer_tar(entries) for entries in img.layers]
    config = _config_doc(img, [_digest(t) for t in tars])
    FakeRegistry.blobs = {_digest(b): b for b in (*tars, config)}
    manifest = {
        "schemaVersion": 2,
        "mediaType": "application/vnd.oci.image.manifest.v1+json",
        "config": {
            "mediaType": "application/vnd.oci.image.config.v1+json",
            "digest": _digest(config),
            "size": len(config),
        },
        "layers": [
            {"mediaType": "application/vnd.oci.image.layer.v1.tar", "digest": _digest(t), "size": len(t)}
            for t in tars
        ],
    }
    FakeRegistry.manifests = {"1": json.dumps(manifest).encode()}
    FakeRegistry.corrupt = set()
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), FakeRegistry)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


@pytest.fixture
def docker_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("DOCKER_CONFIG", str(tmp_path))
    monkeypatch.setattr("dockwright.audit.checks.base.shutil.which", lambda _: None)
    return tmp_path


def test_bearer_token_from_the_realm(server: str, docker_config: Path) -> None:
    with pytest.raises(EngineError, match="needs credentials"):
        api.audit_registry(f"{server}/app:1")
    auth = base64.b64encode(b"alice:pw").decode()
    (docker_config / "config.json").write_text(json.dumps({"auths": {server: {"auth": auth}}}))
    (report,) = api.audit_registry(f"{server}/app:1")
    assert report.image.files > 5 and not report.failed


def test_a_blob_that_does_not_match_its_digest_is_refused(server: str, docker_config: Path) -> None:
    auth = base64.b64encode(b"alice:pw").decode()
    (docker_config / "config.json").write_text(json.dumps({"auths": {server: {"auth": auth}}}))
    layer = json.loads(FakeRegistry.manifests["1"])["layers"][1]["digest"]
    FakeRegistry.corrupt = {layer}
    try:
        with pytest.raises(EngineError, match="does not match its digest"):
            api.audit_registry(f"{server}/app:1")
    finally:
        FakeRegistry.corrupt = set()


def test_credential_helper(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    helper = tmp_path / "bin" / "docker-credential-fake"
    helper.parent.mkdir()
    helper.write_text(
        f"#!{sys.executable}\nimport json, sys\nhost = sys.stdin.read().strip()\n"
        "print(json.dumps({'Username': 'bob', 'Secret': 'from-helper:' + host}))\n"
    )
    helper.chmod(helper.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("PATH", f"{helper.parent}:/usr/bin:/bin")
    (tmp_path / "config.json").write_text(json.dumps({"credHelpers": {"ghcr.io": "fake"}}))
    assert credentials("ghcr.io", {"DOCKER_CONFIG": str(tmp_path)}) == ("bob", "from-helper:ghcr.io")
    (tmp_path / "config.json").write_text(json.dumps({"credsStore": "absent"}))
    with pytest.raises(EngineError, match="docker-credential-absent is not on PATH"):
        credentials("ghcr.io", {"DOCKER_CONFIG": str(tmp_path)})


@pytest.mark.parametrize("ref", ["app:1", "ubuntu", "127.0.0.1:5000/App:1"])
def test_not_a_registry_reference(ref: str) -> None:
    with pytest.raises(EngineError, match="is not a registry reference"):
        parse_reference(ref)


def test_reference_parts() -> None:
    ref = parse_reference("ghcr.io/org/team/app@sha256:" + "a" * 64)
    assert (ref.host, ref.repository, ref.reference) == ("ghcr.io", "org/team/app", "sha256:" + "a" * 64)
    assert parse_reference("docker.io/library/python:3.12").host == "registry-1.docker.io"
