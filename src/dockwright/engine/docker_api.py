"""Docker's Engine API on its local unix socket, for the two reads an audit starts with: the image's
inspect and its save.

Through the CLI each read starts a Go program (40-50 ms before it even connects), and the save's
bytes cross a second process and a pipe: ~0.1 CPU second per 137 MB on the two cores the engine's
own export needs at the same time. dive reads the socket too. The request is written here by hand
(one line and two headers); its status line and headers are read by :class:`Answer` (HTTP/1.0's
part of RFC 9112: status line, header lines, then a body of ``Content-Length`` bytes or up to the
close). ``http.client`` read them before: its import (with ``ssl`` and ``email.parser``) took ~14 ms
of every build's engine warm-up and of every audit, for three lines of parsing.

Requests are HTTP/1.0: the daemon then sends the save's body as it is, ended by closing the
connection, instead of in 32 kB chunks (their framing, parsed in Python, cost as much CPU as the
CLI's relay); an answer that is chunked all the same is refused as a malformed one. A cut is still
seen: a docker-archive ends with two zero blocks, and a stream that ends otherwise is an error
(:class:`SaveStream`).

The save's socket is not read in the audit's process: the daemon keeps at most ~224 kB in flight on
a unix socket, and a reading thread that waits for the interpreter's lock (the tar walk holds it)
stalls the export every time (streamlit-app's cold audit: 6.2 s against 5.1 s through the CLI). A
child process (:mod:`dockwright.engine.save_relay`, ``splice`` into a 1 MiB pipe) reads it, as the
CLI did, without the CLI's start and copies.

The socket is used only where the CLI would talk to that same socket: no client named by
``DOCKWRIGHT_DOCKER`` (that client is run, as it says), ``DOCKER_HOST`` unset or ``unix://``, and no
Docker context chosen (``DOCKER_CONTEXT``, or ``currentContext`` in the client's ``config.json``).
A socket that cannot be reached (absent, refused, no permission) is :class:`Unreachable`: the
engine then runs the CLI, whose error is the one the user knows.
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any
from urllib.parse import quote

from dockwright.engine.api_socket import DEFAULT_SOCKET, local_socket, save_target, send_request
from dockwright.errors import EngineError

if TYPE_CHECKING:
    import _socket

__all__ = ["DEFAULT_SOCKET", "DockerApi", "SaveStream", "Unreachable", "local_socket"]

READ_BUFFER = 1 << 20  # bytes the response's reader asks the socket for at a time
INSPECT_TIMEOUT = 120.0  # as the CLI's inspect (cli_engine.CliEngine._cli)


class Unreachable(Exception):  # noqa: N818 - reads as what the socket is
    """The socket does not take the request: the caller runs the CLI instead."""


class _SocketFile:
    """What an :class:`Answer` reads through: the socket behind a 1 MiB buffer (its own
    ``makefile`` buffers 8 kB, one system call, and one wait for the interpreter's lock, per piece)."""

    def __init__(self, sock: socket.socket) -> None:
        self._sock = sock

    def makefile(self, mode: str) -> Any:
        return self._sock.makefile("rb", buffering=READ_BUFFER)

    def failure(self) -> str | None:
        return None

    def close(self) -> None:
        self._sock.close()


MAX_LINE = 65536  # bytes of a status or header line (http.client's limit too)
MAX_HEADERS = 100


class MalformedAnswer(ValueError):  # noqa: N818 - reads as what the answer is
    """An answer that is not HTTP/1.x as the daemon sends it."""


class Answer:
    """An HTTP/1.x answer to a request sent as HTTP/1.0: its ``status`` and ``headers`` (names in lower
    case) read at once, then its body through :meth:`read`, ``Content-Length`` bytes when the daemon
    says how many, else up to the close."""

    def __init__(self, source: _SocketFile | _Relay) -> None:
        self._file = source.makefile("rb")
        line = self._file.readline(MAX_LINE + 1)
        version, _, rest = line.partition(b" ")
        code = rest[:3]
        if not version.startswith(b"HTTP/1.") or len(code) != 3 or not code.isdigit():
            raise MalformedAnswer(f"not an HTTP answer: {line[:60]!r}")
        self.status = int(code)
        self.headers: dict[str, str] = {}
        for _ in range(MAX_HEADERS + 1):
            header = self._file.readline(MAX_LINE + 1)
            if header in (b"\r\n", b"\n", b""):
                break
            name, colon, value = header.decode("latin-1").partition(":")
            if not colon or len(header) > MAX_LINE:
                raise MalformedAnswer(f"a malformed header line: {header[:60]!r}")
            self.headers[name.strip().lower()] = value.strip()
        else:
            raise MalformedAnswer(f"more than {MAX_HEADERS} header lines")
        if "chunked" in self.headers.get("transfer-encoding", "").lower():
            raise MalformedAnswer("a chunked answer to an HTTP/1.0 request")
        length = self.headers.get("content-length", "")
        self._left: int | None = int(length) if length.isdigit() else None

    def read(self, size: int | None = None) -> bytes:
        """Up to ``size`` bytes of the body (all of it when None), fewer only at its end."""
        if self._left is not None:
            size = self._left if size is None else min(size, self._left)
        data: bytes = self._file.read() if size is None else self._file.read(size)
        if self._left is not None:
            self._left -= len(data)
            if size and not data:
                raise MalformedAnswer(f"the body ended {self._left} bytes early")
        return data

    def close(self) -> None:
        self._file.close()


def split_reference(ref: str) -> tuple[str, str]:
    """(repository, tag) of an image reference (``registry:5000/app:1.0`` → ``registry:5000/app``,
    ``1.0``); the tag "" when the reference names none."""
    name, _, tag = ref.rpartition(":")
    if not name or "/" in tag or "@" in ref:
        return ref, ""
    return name, tag


def _message(body: bytes) -> str:
    """The daemon's error message (``{"message": ...}``), else the body's first line."""
    with contextlib.suppress(ValueError, AttributeError):
        return str(json.loads(body)["message"])
    text = body.decode("utf-8", "replace").strip()
    return (text.splitlines() or ["(no message)"])[0]


class DockerApi:
    """GET requests to the Engine API on one unix socket (one connection per request)."""

    def __init__(self, path: str) -> None:
        self.path = path

    def _request(self, target: str, timeout: float | None, method: str = "GET") -> socket.socket:
        """A connection that has sent ``METHOD target``; Unreachable when the socket refuses it."""
        try:
            sent = send_request(self.path, method, target, timeout)
        except OSError as error:
            raise Unreachable(f"{self.path}: {error.strerror or error}") from error
        return _wrapped(sent)

    def _exchange(self, method: str, target: str, what: str) -> tuple[int, bytes]:
        """(status, body) of a request without a body; ``what`` names it in errors."""
        sock = self._request(target, INSPECT_TIMEOUT, method)
        try:
            response = Answer(_SocketFile(sock))
            return response.status, response.read()
        except (OSError, MalformedAnswer) as error:
            raise EngineError(f"{what}: the engine's answer was cut ({error})") from error
        finally:
            sock.close()

    def get_json(self, target: str, what: str) -> tuple[int, Any]:
        """(status, decoded body) of ``GET target``; ``what`` names the request in errors."""
        status, body = self._exchange("GET", target, what)
        if status != 200:
            return status, _message(body)
        try:
            return status, json.loads(body)
        except ValueError as error:
            raise EngineError(f"{what}: the engine answered {body[:80]!r}") from error

    def send(self, method: str, target: str, what: str) -> tuple[int, str]:
        """(status, the daemon's message or "") of a request without a body (``POST``, ``DELETE``)."""
        status, body = self._exchange(method, target, what)
        return status, "" if 200 <= status < 300 else _message(body)

    def tag(self, image: str, ref: str) -> tuple[int, str]:
        """``POST /images/IMAGE/tag``: ``ref`` (``repository[:tag]``) names ``image`` too."""
        repository, tag = split_reference(ref)
        query = f"repo={quote(repository, safe='')}" + (f"&tag={quote(tag, safe='')}" if tag else "")
        return self.send("POST", f"/images/{quote(image, safe='/:@')}/tag?{query}", "docker tag")

    def untag(self, ref: str) -> tuple[int, str]:
        """``DELETE /images/REF?noprune=1``: the name goes; the image too when no other name is left."""
        return self.send("DELETE", f"/images/{quote(ref, safe='/:@')}?noprune=1", "docker image rm")

    def inspect_image(self, ref: str) -> tuple[int, Any]:
        """``GET /images/REF/json``: (200, the inspect document) or (status, the daemon's message)."""
        return self.get_json(f"/images/{quote(ref, safe='/:@')}/json", "docker image inspect")

    def save(self, ref: str) -> SaveStream:
        """``GET /images/get?names=REF``, sent now: the engine prepares the export while the caller
        goes on; the stream waits for the answer on its first read. The answer is read by a relay
        process when one starts (see the module's notes), else from the socket here."""
        return self.save_answer(self._request(save_target(ref), None), ref)

    @staticmethod
    def save_answer(sent: socket.socket | _socket.socket, ref: str) -> SaveStream:
        """The answer to ``GET save_target(ref)``, already sent on ``sent`` (its timeout None); the
        stream owns the connection."""
        sock = _wrapped(sent)
        relay = _Relay.start(sock)
        if relay is None:
            return SaveStream(_SocketFile(sock), f"docker save {ref}")
        sock.close()  # the relay holds its own copy
        return SaveStream(relay, f"docker save {ref}")


def _wrapped(sent: socket.socket | _socket.socket) -> socket.socket:
    """A connection from :func:`dockwright.engine.api_socket.send_get` as a ``socket.socket``."""
    if isinstance(sent, socket.socket):
        return sent
    timeout = sent.gettimeout()
    sock = socket.socket(fileno=sent.detach())
    sock.settimeout(timeout)
    return sock


class _Relay:
    """The save's answer through :mod:`dockwright.engine.save_relay` and its stdout pipe."""

    def __init__(self, process: subprocess.Popen[bytes], output: IO[bytes], errors: IO[bytes]) -> None:
        self._process = process
        self._output = output
        self._errors = errors

    @classmethod
    def start(cls, sock: socket.socket) -> _Relay | None:
        """The relay reading ``sock``, or None where it cannot run (a frozen executable, the
        package inside an archive, no process to start)."""
        from dockwright.engine import save_relay
        from dockwright.engine.cli_engine import widen_pipe

        script = Path(save_relay.__file__)
        if getattr(sys, "frozen", False) or not script.is_file():
            return None
        read_end, write_end = os.pipe()
        output = os.fdopen(read_end, "rb", buffering=0)  # owned and closed by this relay
        # widened before the relay writes: Linux holds the pipe's lock while a splice from a socket
        # waits for data, so a resize after the relay started waited for the export's first byte
        widen_pipe(output)
        errors = tempfile.TemporaryFile()  # noqa: SIM115 - owned and closed by this relay
        try:
            process = subprocess.Popen(
                [sys.executable, "-I", "-S", str(script), str(sock.fileno())],
                stdin=subprocess.DEVNULL,
                stdout=write_end,
                stderr=errors,
                pass_fds=(sock.fileno(),),
            )
        except OSError:
            output.close()
            errors.close()
            return None
        finally:
            os.close(write_end)
        return cls(process, output, errors)

    def makefile(self, mode: str) -> Any:
        return open(self._output.fileno(), "rb", buffering=READ_BUFFER, closefd=False)

    def failure(self) -> str | None:
        """At the end of its output: why the relay failed, else None."""
        if self._process.wait() == 0:
            return None
        self._errors.seek(0)
        lines = self._errors.read().decode("utf-8", "replace").strip().splitlines()
        return (lines or [f"exit code {self._process.returncode}"])[-1]

    def close(self) -> None:
        if self._process.poll() is None:
            self._process.kill()
        self._process.wait()
        self._output.close()
        self._errors.close()


END_OF_ARCHIVE = bytes(1024)  # a tar archive's last two blocks


class SaveStream:
    """The body of a save as a ``read(size)`` source (see :class:`dockwright.engine.readahead.ReadAhead`).

    The first read waits for the status line: an error status becomes an EngineError with the
    daemon's message, as the CLI would print it. The body ends when the daemon closes the
    connection, also when it stops early (an export that fails half-way): a body whose last 1,024
    bytes are not the archive's end-of-archive blocks is an EngineError too."""

    def __init__(self, source: _SocketFile | _Relay, what: str) -> None:
        self._source = source
        self._what = what
        self._response: Answer | None = None
        self._tail = b""  # the body's last bytes so far (up to 1,024)

    def read(self, size: int = -1, /) -> bytes:
        try:
            if self._response is None:
                self._response = Answer(self._source)
                if self._response.status != 200:
                    message = _message(self._response.read())
                    raise EngineError(f"{self._what} failed: Error response from daemon: {message}")
            data = self._response.read(size if size >= 0 else None)
        except (OSError, MalformedAnswer) as error:
            raise EngineError(f"{self._what} failed: the engine's stream was cut ({error})") from error
        if data:
            self._tail = data[-1024:] if len(data) >= 1024 else (self._tail + data)[-1024:]
            return data
        failure = self._source.failure()
        if failure is not None:
            raise EngineError(f"{self._what} failed: {failure}")
        if self._tail != END_OF_ARCHIVE:
            raise EngineError(f"{self._what} failed: the engine's stream ended before the archive did")
        return data

    def close(self) -> None:
        """Close the connection (early: the engine stops the export)."""
        if self._response is not None:
            self._response.close()
        self._source.close()
