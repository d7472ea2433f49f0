"""DockerEngine's inspect and save over the Engine API's unix socket, against a scripted daemon: which
socket is used (and when the CLI is run instead), the daemon's errors as the CLI words them, and a
save stream that ends early."""

from __future__ import annotations

import contextlib
import io
import json
import shutil
import socket
import stat
import struct
import tarfile
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from dockwright.engine import docker_api
from dockwright.engine.docker import DockerEngine
from dockwright.engine.docker_api import DEFAULT_SOCKET, local_socket
from dockwright.errors import EngineError

INSPECT = {"Id": "sha256:" + "ab" * 32, "Size": 42, "RootFS": {"Layers": []}}


def archive() -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as tar:
        data = b"[]"
        member = tarfile.TarInfo("manifest.json")
        member.size = len(data)
        tar.addfile(member, io.BytesIO(data))
    return buffer.getvalue()  # ends with the two zero blocks (and tarfile's record padding)


class Daemon:
    """A unix socket answering canned HTTP/1.0 responses by request target; records request lines."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.answers: dict[str, tuple[int, bytes]] = {}
        self.requests: list[str] = []
        self.peers: list[int] = []  # each request's sender (its process id, SO_PEERCRED)
        self._server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self._server.bind(path)
        self._server.listen(8)
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self._server.accept()
            except OSError:
                return
            with conn:
                request = b""
                while b"\r\n\r\n" not in request:
                    data = conn.recv(4096)
                    if not data:
                        break
                    request += data
                line = request.split(b"\r\n", 1)[0].decode()
                credentials = conn.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, struct.calcsize("3i"))
                self.peers.append(struct.unpack("3i", credentials)[0])
                self.requests.append(line)
                status, body = self.answers.get(line.split()[1], (404, b'{"message":"page not found"}'))
                head = f"HTTP/1.0 {status} X\r\nContent-Type: application/octet-stream\r\n\r\n"
                # a client that stops reading early (a check that needs no more of the save) hangs up
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                    conn.sendall(head.encode() + body)

    def close(self) -> None:
        """Stop serving, then free the socket: closed while the thread was between two accepts, its
        descriptor could go to the next test's daemon, whose connections this thread then answered."""
        with contextlib.suppress(OSError):
            self._server.shutdown(socket.SHUT_RDWR)  # wakes a waiting accept (Linux): the thread ends
        self._thread.join(timeout=10)
        self._server.close()


@pytest.fixture
def daemon(monkeypatch: pytest.MonkeyPatch) -> Iterator[Daemon]:
    folder = tempfile.mkdtemp(prefix="dw-api-", dir="/tmp")  # a socket path must stay short
    served = Daemon(f"{folder}/docker.sock")
    monkeypatch.delenv("DOCKWRIGHT_DOCKER", raising=False)
    monkeypatch.delenv("DOCKER_CONTEXT", raising=False)
    monkeypatch.setenv("DOCKER_HOST", f"unix://{served.path}")
    monkeypatch.setenv("PATH", folder)  # no docker CLI to fall back to: the socket must answer
    try:
        yield served
    finally:
        served.close()
        shutil.rmtree(folder, ignore_errors=True)


def test_the_socket_is_the_one_the_cli_would_use(tmp_path: Path) -> None:
    config = tmp_path / "config.json"
    config.write_text(json.dumps({"auths": {}}))
    plain = {"DOCKER_CONFIG": str(tmp_path)}
    assert local_socket(plain) == DEFAULT_SOCKET
    assert local_socket({**plain, "DOCKER_HOST": "unix:///run/user/1000/docker.sock"}) == (
        "/run/user/1000/docker.sock"
    )
    assert local_socket({**plain, "DOCKER_HOST": "tcp://10.0.0.2:2376"}) is None
    assert local_socket({**plain, "DOCKER_HOST": "ssh://me@build"}) is None
    assert local_socket({**plain, "DOCKWRIGHT_DOCKER": "/opt/docker"}) is None  # that client runs
    assert local_socket({**plain, "DOCKER_CONTEXT": "remote"}) is None
    assert local_socket({**plain, "DOCKER_CONTEXT": "default"}) == DEFAULT_SOCKET
    config.write_text(json.dumps({"currentContext": "rootless"}))
    assert local_socket(plain) is None
    config.write_text(json.dumps({"currentContext": "default"}))
    assert local_socket(plain) == DEFAULT_SOCKET


@pytest.mark.parametrize("relay", [True, False])
def test_inspect_and_save_read_the_socket(
    daemon: Daemon, relay: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The save's answer comes through the relay process, or from the socket itself where no relay
    can start (a frozen executable)."""
    if not relay:
        monkeypatch.setattr(docker_api._Relay, "start", classmethod(lambda cls, sock: None))
    daemon.answers["/images/team/app:1/json"] = (200, json.dumps(INSPECT).encode())
    daemon.answers["/images/get?names=team%2Fapp%3A1"] = (200, archive())
    engine = DockerEngine()
    assert engine.inspect_image("team/app:1") == INSPECT
    stream = engine.save("team/app:1")
    try:
        with tarfile.open(fileobj=stream, mode="r|") as tar:
            assert [m.name for m in tar] == ["manifest.json"]
        while stream.read(1 << 16):
            pass  # to the end: the stream checks it
    finally:
        stream.close()
    assert daemon.requests == [
        "GET /images/team/app:1/json HTTP/1.0",
        "GET /images/get?names=team%2Fapp%3A1 HTTP/1.0",
    ]


def test_a_missing_image_is_one_line_as_from_the_cli(daemon: Daemon) -> None:
    daemon.answers["/images/gone:1/json"] = (404, b'{"message":"No such image: gone:1"}')
    with pytest.raises(EngineError, match=r"^no such image: gone:1$"):
        DockerEngine().inspect_image("gone:1")
    daemon.answers["/images/odd:1/json"] = (500, b'{"message":"store is locked"}')
    with pytest.raises(EngineError, match=r"^docker image inspect: store is locked$"):
        DockerEngine().inspect_image("odd:1")


def test_a_failed_or_cut_save_is_an_engine_error(daemon: Daemon) -> None:
    daemon.answers["/images/get?names=a%3A1"] = (500, b'{"message":"layer vanished"}')
    failing = DockerEngine().save("a:1")
    with pytest.raises(
        EngineError, match=r"^docker save a:1 failed: Error response from daemon: layer vanished$"
    ):
        failing.read()
    failing.close()
    whole = archive()
    daemon.answers["/images/get?names=b%3A1"] = (200, whole[:1536])  # the daemon stopped half-way
    cut = DockerEngine().save("b:1")
    with pytest.raises(EngineError, match=r"^docker save b:1 failed: the engine's stream ended before"):
        while cut.read(1 << 16):
            pass
    cut.close()


def test_an_unreachable_socket_runs_the_cli(
    daemon: Daemon, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cli = Path(daemon.path).parent / "docker"
    cli.write_text(f"#!/bin/sh\necho '{json.dumps([INSPECT])}'\n")
    cli.chmod(cli.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("DOCKER_HOST", f"unix://{tmp_path}/absent.sock")
    engine = DockerEngine()
    assert engine.inspect_image("team/app:1") == INSPECT
    assert daemon.requests == []


def test_the_engine_version_and_platform_are_asked_of_the_socket_once(daemon: Daemon) -> None:
    """``ping`` and ``native_platform`` (asked before every build) read ``GET /version``: no ``docker
    version`` process starts (PATH holds no CLI here), and one request answers both."""
    version = {"Version": "26.1.5", "Os": "linux", "Arch": "arm64", "ApiVersion": "1.45"}
    daemon.answers["/version"] = (200, json.dumps(version).encode())
    engine = DockerEngine()
    assert engine.ping() == "26.1.5"
    assert engine.native_platform() == "linux/arm64"
    assert daemon.requests == ["GET /version HTTP/1.0"]


def test_a_version_the_socket_does_not_give_is_asked_of_the_cli(daemon: Daemon) -> None:
    cli = Path(daemon.path).parent / "docker"
    cli.write_text("#!/bin/sh\necho '25.0.3 linux/amd64'\n")
    cli.chmod(cli.stat().st_mode | stat.S_IEXEC)
    daemon.answers["/version"] = (500, b'{"message":"busy"}')
    engine = DockerEngine()
    assert engine.ping() == "25.0.3"
    assert engine.native_platform() == "linux/amd64"


class _Bytes:
    """An answer's bytes as the socket file an Answer reads."""

    def __init__(self, data: bytes) -> None:
        self.data = data

    def makefile(self, mode: str) -> Any:
        import io

        return io.BufferedReader(io.BytesIO(self.data))  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("data", "status", "body"),
    [
        (b"HTTP/1.0 200 OK\r\nContent-Type: application/json\r\n\r\n{}", 200, b"{}"),
        (b"HTTP/1.1 404 Not Found\r\nContent-Length: 5\r\n\r\nabcdefgh", 404, b"abcde"),
        (b"HTTP/1.1 201 Created\r\nContent-Length: 0\r\n\r\n", 201, b""),
        (b"HTTP/1.1 200 OK\nServer: Docker\n\nbare line ends", 200, b"bare line ends"),
    ],
)
def test_an_answer_is_its_status_headers_and_body(data: bytes, status: int, body: bytes) -> None:
    from dockwright.engine.docker_api import Answer

    answer = Answer(_Bytes(data))  # type: ignore[arg-type]
    assert answer.status == status and answer.read() == body


@pytest.mark.parametrize(
    "data",
    [
        b"SSH-2.0-OpenSSH\r\n",
        b"HTTP/1.1 2x0 OK\r\n\r\n",
        b"HTTP/1.1 200 OK\r\nno colon here\r\n\r\n",
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n",
        b"HTTP/1.1 200 OK\r\n" + b"X-A: b\r\n" * 101 + b"\r\n",
        b"HTTP/1.1 200 OK\r\nX-Long: " + b"a" * 70000 + b"\r\n\r\n",
    ],
)
def test_a_malformed_answer_is_refused(data: bytes) -> None:
    from dockwright.engine.docker_api import Answer, MalformedAnswer

    with pytest.raises(MalformedAnswer):
        Answer(_Bytes(data))  # type: ignore[arg-type]


def test_a_body_shorter_than_its_length_is_cut() -> None:
    from dockwright.engine.docker_api import Answer, MalformedAnswer

    answer = Answer(_Bytes(b"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc"))  # type: ignore[arg-type]
    assert answer.read(3) == b"abc"
    with pytest.raises(MalformedAnswer, match="7 bytes early"):
        answer.read(4)


def test_a_build_never_imports_http_client() -> None:
    """The engine's warm-up and image questions read the Engine API without http.client (~14 ms)."""
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from dockwright.engine import docker_api\n"
        "from dockwright.engine.docker import DockerEngine\n"
        "print('http.client' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"
