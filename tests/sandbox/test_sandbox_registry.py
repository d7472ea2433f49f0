"""The stand-ins in the open registry follow the local ones: a tag is pushed when it is missing or the
registry's image differs (stale), skipped when it is the same, and a multi-arch index is left alone."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from sandbox import registry

REG = "127.0.0.1:3150"


def test_only_missing_and_stale_stand_ins_are_pushed() -> None:
    local = {
        "python:3.14.4-slim-trixie": "sha256:new",
        "python:3.13.13-slim-trixie": "sha256:same",
        "gcr.io/distroless/cc-debian13:nonroot": "sha256:cc",
        "python:3.11.15-slim-trixie": "sha256:amd64-only",
    }
    holds = {
        "python:3.14.4-slim-trixie": "sha256:old",
        "python:3.13.13-slim-trixie": "sha256:same",
        "python:3.11.15-slim-trixie": registry.INDEX,
    }
    pushed = registry.to_push(list(local), local, holds.get, REG)
    assert [(tag, target) for tag, target, _ in pushed] == [
        ("python:3.14.4-slim-trixie", f"{REG}/python:3.14.4-slim-trixie"),
        ("gcr.io/distroless/cc-debian13:nonroot", f"{REG}/distroless/cc-debian13:nonroot"),
    ]
    assert "stale" in pushed[0][2] and pushed[1][2] == "new"
    # nothing changed: nothing pushed (a second `up` is quick)
    after = {registry.registry_path(tag): digest for tag, digest in local.items()}
    assert registry.to_push(list(local), local, after.get, REG) == []


@pytest.fixture
def fake_registry() -> Iterator[str]:
    manifests = {
        "/v2/python/manifests/3.14.4-slim-trixie": {"config": {"digest": "sha256:abc"}, "layers": []},
        "/v2/python/manifests/3.11.15-slim-trixie": {"manifests": [{"digest": "sha256:a"}]},
        "/v2/distroless/cc-debian13/manifests/nonroot": {"config": {"digest": "sha256:cc"}},
    }

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = json.dumps(manifests[self.path]).encode() if self.path in manifests else b""
            self.send_response(200 if body else 404)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *_args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_what_the_registry_holds(fake_registry: str) -> None:
    assert registry.held(fake_registry, "python:3.14.4-slim-trixie") == "sha256:abc"
    assert registry.held(fake_registry, "python:3.11.15-slim-trixie") == registry.INDEX
    assert registry.held(fake_registry, "distroless/cc-debian13:nonroot") == "sha256:cc"
    assert registry.held(fake_registry, "python:3.12.1-slim-trixie") is None


def test_registry_path_drops_the_host() -> None:
    assert registry.registry_path("gcr.io/distroless/cc-debian13:nonroot") == "distroless/cc-debian13:nonroot"
    assert registry.registry_path("python:3.14.4-slim-trixie") == "python:3.14.4-slim-trixie"
    assert registry.registry_path("ghcr.io/astral-sh/uv:0.13.9") == "astral-sh/uv:0.13.9"
