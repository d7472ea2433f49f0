"""``docker save`` from the daemon's socket: which socket, and only for the image the CLI inspected."""

from __future__ import annotations

import hashlib
import http.server
import json
import socketserver
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from dockwright.engine.docker_socket import save_stream, socket_path
from dockwright.errors import EngineError


def test_socket_path_follows_docker_host_and_contexts(tmp_path: Path) -> None:
    assert socket_path({"DOCKER_HOST": "unix:///run/user/1000/docker.sock"}) == "/run/user/1000/docker.sock"
    assert socket_path({"DOCKER_HOST": "ssh://me@host"}) is None
    assert socket_path({"DOCKER_HOST": "tcp://127.0.0.1:2375"}) is None
    config = tmp_path / "docker"
    meta = config / "contexts" / "meta" / hashlib.sha256(b"rootless").hexdigest()
    meta.mkdir(parents=True)
    (meta / "meta.json").write_text(
        json.dumps({"Name": "rootless", "Endpoints": {"docker": {"Host": "unix:///tmp/rootless.sock"}}})
    )
    (config / "config.json").write_text(json.dumps({"currentContext": "rootless"}))
    assert socket_path({"DOCKER_CONFIG": str(config)}) == "/tmp/rootless.sock"
    assert socket_path({"DOCKER_CONFIG": str(config), "DOCKER_CONTEXT": "missing"}) is None


class _Handler(http.server.BaseHTTPRequestHandler):
    image_id = "sha256:" + "ab" * 32
    archive = b"tar bytes " * 50_000
    cut = False
    chunked = False

    def do_GET(self) -> None:
        if self.path == "/images/demo:1/json":
            self._reply(200, json.dumps({"Id": self.image_id}).encode())
        elif self.path == "/images/get?names=demo%3A1" and self.chunked:  # what dockerd sends
            self.send_response(200)
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            for start in range(0, len(self.archive), 65536):
                chunk = self.archive[start : start + 65536]
                self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
                if self.cut:
                    return  # no last chunk
            self.wfile.write(b"0\r\n\r\n")
        elif self.path == "/images/get?names=demo%3A1":
            self.send_response(200)
            self.send_header("Content-Length", str(len(self.archive)))
            self.end_headers()
            self.wfile.write(self.archive[: len(self.archive) // 2] if self.cut else self.archive)
        else:
            self._reply(404, b'{"message": "No such image"}')

    def _reply(self, status: int, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        return


class _UnixServer(socketserver.ThreadingMixIn, socketserver.UnixStreamServer):
    daemon_threads = True


@pytest.fixture
def daemon(tmp_path: Path) -> Iterator[str]:
    path = str(tmp_path / "d.sock")
    server = _UnixServer(path, _Handler)
    # http.server wants a (host, port) client address; a unix peer has none
    server.get_request = lambda: (server.socket.accept()[0], ("local", 0))  # type: ignore[method-assign]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield path
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize("chunked", [False, True])
def test_save_streams_from_the_socket_when_the_daemon_holds_that_image(
    daemon: str, monkeypatch: pytest.MonkeyPatch, chunked: bool
) -> None:
    monkeypatch.setattr(_Handler, "chunked", chunked)
    env = {"DOCKER_HOST": f"unix://{daemon}"}
    stream = save_stream("demo:1", _Handler.image_id, env)
    assert stream is not None
    data = b"".join(iter(lambda: stream.read(65536), b""))
    stream.close()
    assert data == _Handler.archive
    assert save_stream("demo:1", "sha256:" + "cd" * 32, env) is None, "another daemon's image: the CLI"
    assert save_stream("other:1", _Handler.image_id, env) is None
    assert save_stream("demo:1", _Handler.image_id, {"DOCKER_HOST": "unix:///nonexistent.sock"}) is None


@pytest.mark.parametrize("chunked", [False, True])
def test_a_cut_save_is_an_engine_error(daemon: str, monkeypatch: pytest.MonkeyPatch, chunked: bool) -> None:
    monkeypatch.setattr(_Handler, "cut", True)
    monkeypatch.setattr(_Handler, "chunked", chunked)
    stream = save_stream("demo:1", _Handler.image_id, {"DOCKER_HOST": f"unix://{daemon}"})
    assert stream is not None
    with pytest.raises(EngineError, match="stopped"):
        while stream.read(65536):
            pass
    stream.close()
