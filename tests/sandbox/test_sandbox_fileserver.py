"""The index/mirror file server speaks HTTP/1.1 as real indexes do: keep-alive, lengths, ranges, 404."""

from __future__ import annotations

import http.client
import os
import socket
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sandbox.config import Settings
from sandbox.fileserver import _byte_span, make_server

from sandbox import privateindex, services


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[int, Path]]:
    (tmp_path / "simple" / "flask").mkdir(parents=True)
    (tmp_path / "simple" / "flask" / "index.html").write_text('<a href="../../files/f.whl">f.whl</a>\n')
    (tmp_path / "files").mkdir()
    (tmp_path / "files" / "f.whl").write_bytes(bytes(range(256)) * 40)
    server = make_server(0, tmp_path)  # an ephemeral port
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[1], tmp_path
    finally:
        server.shutdown()
        server.server_close()


def test_two_requests_share_one_connection_with_exact_lengths(served: tuple[int, Path]) -> None:
    port, root = served
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request("GET", "/simple/flask/")
    page = connection.getresponse()
    assert page.version == 11
    body = page.read()
    assert body == (root / "simple" / "flask" / "index.html").read_bytes()
    assert int(page.headers["Content-Length"]) == len(body)
    socket_before = connection.sock
    connection.request("GET", "/files/f.whl")
    wheel = connection.getresponse()
    data = wheel.read()
    assert connection.sock is socket_before  # the same connection: kept alive
    assert data == (root / "files" / "f.whl").read_bytes()
    assert int(wheel.headers["Content-Length"]) == len(data) == 10240
    assert wheel.headers["Accept-Ranges"] == "bytes"
    # pip's HTTP cache keeps only what a Cache-Control header lets it: a file for good (PyPI's lifetime),
    # a page until it changes (revalidated every time: files are added under a running engine)
    assert wheel.headers["Cache-Control"] == "max-age=365000000, immutable, public"
    assert page.headers["Cache-Control"] == "max-age=0, must-revalidate, public"
    assert page.headers["Last-Modified"]
    connection.close()


def test_missing_file_is_404_and_the_connection_stays_usable(served: tuple[int, Path]) -> None:
    port, _ = served
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request("GET", "/simple/nothing-here/")
    missing = connection.getresponse()
    body = missing.read()
    assert missing.status == 404
    assert int(missing.headers["Content-Length"]) == len(body)
    connection.request("HEAD", "/files/f.whl")
    head = connection.getresponse()
    head.read()
    assert (head.status, head.headers["Content-Length"]) == (200, "10240")
    connection.close()


def test_byte_ranges_are_answered_206(served: tuple[int, Path]) -> None:
    port, root = served
    data = (root / "files" / "f.whl").read_bytes()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    for header, expected in (("bytes=10-19", data[10:20]), ("bytes=-100", data[-100:])):
        connection.request("GET", "/files/f.whl", headers={"Range": header})
        part = connection.getresponse()
        assert (part.status, part.read()) == (206, expected)
        assert int(part.headers["Content-Length"]) == len(expected)
        assert part.headers["Content-Range"].endswith(f"/{len(data)}")
    connection.request("GET", "/files/f.whl", headers={"Range": "bytes=99999-"})
    beyond = connection.getresponse()
    beyond.read()
    assert (beyond.status, beyond.headers["Content-Range"]) == (416, f"bytes */{len(data)}")
    connection.close()


@pytest.mark.parametrize(
    ("header", "span"),
    [
        ("bytes=0-0", (0, 0)),
        ("bytes=5-", (5, 99)),
        ("bytes=-10", (90, 99)),
        ("bytes=90-500", (90, 99)),
        ("bytes=-500", (0, 99)),
        ("bytes=0-1,5-6", None),  # several ranges: the whole file instead
        ("bytes=7-3", None),
        ("items=0-3", None),
    ],
)
def test_byte_span(header: str, span: tuple[int, int] | None) -> None:
    assert _byte_span(header, 100) == span


def test_the_private_index_keeps_the_connection_across_its_401(tmp_path: Path) -> None:
    root = privateindex.ensure_private_index(tmp_path)
    server = privateindex.make_server(0, root, "user", "secret")
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        connection = http.client.HTTPConnection("127.0.0.1", server.server_address[1], timeout=10)
        connection.request("GET", "/simple/")
        refused = connection.getresponse()
        refused.read()
        assert (refused.version, refused.status, refused.headers["Content-Length"]) == (11, 401, "0")
        sock = connection.sock
        connection.request("GET", "/simple/", headers={"Authorization": "Basic dXNlcjpzZWNyZXQ="})
        page = connection.getresponse()
        assert page.status == 200 and b"dwchain" in page.read()
        assert connection.sock is sock
        connection.close()
    finally:
        server.shutdown()
        server.server_close()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_up_replaces_an_older_ups_http10_server_in_place(tmp_path: Path) -> None:
    config = Settings(cache=tmp_path / "cache", pypi_port=_free_port(), deb_port=_free_port())
    (tmp_path / "simple").mkdir()
    (tmp_path / "simple" / "index.html").write_text("<html></html>\n")
    old = [sys.executable, "-m", "http.server", str(config.pypi_port), "--bind", "127.0.0.1"]
    services.start(config, "pypi-index", [*old, "--directory", str(tmp_path)], "pypi-index.log")
    url = f"http://127.0.0.1:{config.pypi_port}/simple/"
    try:
        for _ in range(100):
            if services._answers(url):
                break
            time.sleep(0.05)
        assert not services._speaks_http11(url)
        assert services.ensure_server(config, "pypi-index", tmp_path, config.pypi_port, "simple/")
        assert services._speaks_http11(url)
        # a second `up` keeps it
        assert not services.ensure_server(config, "pypi-index", tmp_path, config.pypi_port, "simple/")
    finally:
        services.stop(config, "pypi-index")


def test_an_unchanged_page_is_revalidated_with_a_304(served: tuple[int, Path]) -> None:
    port, root = served
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request("GET", "/simple/flask/")
    page = connection.getresponse()
    page.read()
    connection.request("GET", "/simple/flask/", headers={"If-Modified-Since": page.headers["Last-Modified"]})
    again = connection.getresponse()
    assert (again.status, again.read()) == (304, b"")
    assert again.headers["Cache-Control"] == "max-age=0, must-revalidate, public"
    connection.request("GET", "/files/f.whl")  # the connection is still usable after the 304
    assert connection.getresponse().read() == (root / "files" / "f.whl").read_bytes()
    connection.close()


def _demo_wheel(folder: Path, version: str) -> None:
    import zipfile

    with zipfile.ZipFile(folder / f"demo-{version}-py3-none-any.whl", "w") as wheel:
        wheel.writestr("demo/__init__.py", "")
        info = f"demo-{version}.dist-info"
        wheel.writestr(f"{info}/METADATA", f"Metadata-Version: 2.1\nName: demo\nVersion: {version}\n\n")
        wheel.writestr(
            f"{info}/WHEEL", "Wheel-Version: 1.0\nGenerator: t\nRoot-Is-Purelib: true\nTag: py3-none-any\n"
        )
        wheel.writestr(f"{info}/RECORD", "")


def test_uv_with_a_warm_cache_sees_a_wheel_added_to_the_index(tmp_path: Path) -> None:
    """What `sandbox up` does under the shared engine's uv cache mounts: a page cached for 600 s (PyPI's
    lifetime) hid the new wheel; revalidated, it is resolved at once."""
    import subprocess

    from dockwright.bundled_uv import find_uv
    from sandbox import pypi

    uv = find_uv()
    if uv is None:
        pytest.skip("no uv on this machine")
    files = tmp_path / "files"
    files.mkdir()
    _demo_wheel(files, "1.0")
    pypi.write_simple_pages(tmp_path, files)
    server = make_server(0, tmp_path)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    index = f"http://127.0.0.1:{server.server_address[1]}/simple"
    argv = [uv, "pip", "compile", "-", "--index-url", index, "--cache-dir", str(tmp_path / "cache")]
    argv += ["--no-header", "--quiet", "--python-version", "3.11"]

    def resolved() -> str:
        done = subprocess.run(argv, input="demo\n", capture_output=True, text=True, timeout=120, check=True)
        return done.stdout.strip()

    try:
        assert resolved() == "demo==1.0"
        page = tmp_path / "simple" / "demo" / "index.html"
        _demo_wheel(files, "2.0")
        pypi.write_simple_pages(tmp_path, files)
        stamp = page.stat().st_mtime + 2  # Last-Modified has whole seconds: the page is newer
        os.utime(page, (stamp, stamp))
        assert resolved() == "demo==2.0"
    finally:
        server.shutdown()
        server.server_close()
