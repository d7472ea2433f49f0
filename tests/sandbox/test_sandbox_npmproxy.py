"""The sandbox's npm registry proxy: which paths it forwards, its token check, the tarball URLs it
rewrites to itself, and that it serves a second request from its cache (no network: a fake upstream)."""

from __future__ import annotations

import json
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from sandbox import npmproxy

PUBLIC = "https://registry.npmjs.org/"


@pytest.mark.parametrize(
    ("path", "url"),
    [
        ("/left-pad", PUBLIC + "left-pad"),
        ("/@scope%2fthing", PUBLIC + "@scope%2fthing"),
        ("/@scope/thing", PUBLIC + "@scope%2fthing"),
        ("/left-pad/-/left-pad-1.3.0.tgz", PUBLIC + "left-pad/-/left-pad-1.3.0.tgz"),
        ("/@scope/thing/-/thing-2.0.0.tgz", PUBLIC + "@scope/thing/-/thing-2.0.0.tgz"),
        ("/left-pad/1.3.0", None),
        ("/../etc/passwd", None),
        ("/-/whoami", None),
        ("/left-pad/-/../x.tgz", None),
    ],
)
def test_only_metadata_and_tarballs_are_forwarded(path: str, url: str | None) -> None:
    assert npmproxy.upstream_url(path) == url


def test_the_token_is_asked_as_bearer_or_basic_password() -> None:
    assert npmproxy.authorised("Bearer t0k", "t0k")
    assert npmproxy.authorised("Basic " + __import__("base64").b64encode(b"me:t0k").decode(), "t0k")
    assert not npmproxy.authorised("", "t0k") and not npmproxy.authorised("Bearer other", "t0k")
    assert not npmproxy.authorised("Basic !!!", "t0k")


def test_the_npmrc_names_the_registry_and_its_token() -> None:
    text = npmproxy.npmrc_text("http://127.0.0.1:3145/", "t0k")
    assert text.splitlines() == [
        "registry=http://127.0.0.1:3145/",
        "//127.0.0.1:3145/:_authToken=t0k",
        "always-auth=true",
    ]


@pytest.fixture
def proxy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[str, list[str]]]:
    asked: list[str] = []
    metadata = {
        "name": "tiny",
        "versions": {"1.0.0": {"dist": {"tarball": PUBLIC + "tiny/-/tiny-1.0.0.tgz"}}},
    }

    def fetch(url: str, accept: str) -> bytes:
        asked.append(url)
        if url.endswith(".tgz"):
            return b"tarball bytes"
        if url.endswith("/tiny"):
            return json.dumps(metadata).encode()
        raise urllib.error.HTTPError(url, 404, "Not Found", {}, None)  # type: ignore[arg-type]

    monkeypatch.setattr(npmproxy, "fetch", fetch)
    server = npmproxy.make_server(0, tmp_path, "t0k")
    port = server.server_address[1]
    server.RequestHandlerClass.own = f"http://127.0.0.1:{port}/"  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{port}/", asked
    server.shutdown()
    server.server_close()


def _get(url: str, token: str = "t0k") -> tuple[int, bytes]:
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"})
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return int(response.status), bytes(response.read())
    except urllib.error.HTTPError as error:
        return error.code, b""


def test_metadata_points_at_the_proxy_and_answers_come_from_the_cache(proxy: tuple[str, list[str]]) -> None:
    own, asked = proxy
    assert _get(own, token="")[0] == 200, "the probe needs no token"
    assert _get(own + "tiny", token="wrong")[0] == 401
    status, body = _get(own + "tiny")
    assert status == 200
    assert json.loads(body)["versions"]["1.0.0"]["dist"]["tarball"] == own + "tiny/-/tiny-1.0.0.tgz"
    assert _get(own + "tiny/-/tiny-1.0.0.tgz") == (200, b"tarball bytes")
    assert _get(own + "tiny")[0] == 200 and _get(own + "tiny/-/tiny-1.0.0.tgz")[0] == 200
    assert asked == [PUBLIC + "tiny", PUBLIC + "tiny/-/tiny-1.0.0.tgz"], "each fetched once"
    assert _get(own + "missing")[0] == 404
