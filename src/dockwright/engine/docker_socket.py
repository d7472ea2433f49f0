"""``docker save`` read straight from the Docker Engine API's unix socket, when the CLI would use it.

The CLI's ``save`` copies the daemon's stream through a second process and a 64 kB pipe; reading
``GET /images/get`` from the socket skips both (it is what dive does). The socket is the one the CLI
talks to: ``DOCKER_HOST=unix://...``, else the current context's (``DOCKER_CONTEXT``, else
``currentContext`` in ``$DOCKER_CONFIG/config.json``; its endpoint in ``contexts/meta``), else the
default socket. Anything else (ssh://, tcp://, no socket) returns None and the caller uses the CLI;
so does a daemon that does not know the image by the id the CLI reported (another daemon).
"""

from __future__ import annotations

import contextlib
import hashlib
import http.client
import json
import os
import socket
import urllib.parse
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from dockwright.errors import EngineError

DEFAULT_SOCKETS = ("/var/run/docker.sock", "/run/docker.sock")
CONNECT_TIMEOUT_S = 5.0


def _config_dir(environ: Mapping[str, str]) -> Path:
    return Path(environ.get("DOCKER_CONFIG") or Path.home() / ".docker")


def _read_json(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _unix_path(host: str) -> str | None:
    return host[len("unix://") :] if host.startswith("unix://") else None


def socket_path(environ: Mapping[str, str] | None = None) -> str | None:
    """The unix socket of the daemon the Docker CLI would talk to, or None (not a local socket)."""
    env = os.environ if environ is None else environ
    host = env.get("DOCKER_HOST", "")
    if host:
        return _unix_path(host)
    config = _config_dir(env)
    context = env.get("DOCKER_CONTEXT") or str(_read_json(config / "config.json").get("currentContext") or "")
    if context and context != "default":
        digest = hashlib.sha256(context.encode()).hexdigest()
        meta = _read_json(config / "contexts" / "meta" / digest / "meta.json")
        endpoint = (meta.get("Endpoints") or {}).get("docker") or {}
        return _unix_path(str(endpoint.get("Host") or ""))
    return next((path for path in DEFAULT_SOCKETS if Path(path).exists()), None)


class _UnixConnection(http.client.HTTPConnection):
    def __init__(self, path: str) -> None:
        super().__init__("docker", timeout=CONNECT_TIMEOUT_S)
        self._socket_path = path

    def connect(self) -> None:
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.settimeout(self.timeout)
        try:
            sock.connect(self._socket_path)
        except OSError:
            sock.close()
            raise
        self.sock = sock


class ResponseStream:
    """A streamed API response: ``read``/``close``; a cut stream is an EngineError."""

    def __init__(self, connection: http.client.HTTPConnection, response: http.client.HTTPResponse) -> None:
        self._connection = connection
        self._response = response

    def read(self, size: int = -1, /) -> bytes:
        try:
            data = self._response.read(size)
        except (http.client.HTTPException, OSError) as error:
            raise EngineError(f"docker save (engine API) stopped: {error!r}") from error
        if not data and self._response.length:  # fewer bytes than the Content-Length announced
            raise EngineError(f"docker save (engine API) stopped: {self._response.length} bytes missing")
        return data

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self._response.close()
            self._connection.close()


def _get(path: str, url: str) -> tuple[http.client.HTTPConnection, http.client.HTTPResponse]:
    connection = _UnixConnection(path)
    try:
        connection.request("GET", url)
        response = connection.getresponse()
    except (OSError, http.client.HTTPException):
        connection.close()
        raise
    return connection, response


def save_stream(ref: str, image_id: str, environ: Mapping[str, str] | None = None) -> ResponseStream | None:
    """``GET /images/get`` for ``ref`` when the local socket's daemon holds it as ``image_id``, else None."""
    path = socket_path(environ)
    if path is None or not image_id:
        return None
    name = urllib.parse.quote(ref, safe="/:@")
    try:
        connection, response = _get(path, f"/images/{name}/json")
        try:
            body = response.read()
        finally:
            connection.close()
        if response.status != 200 or json.loads(body).get("Id") != image_id:
            return None
        connection, response = _get(path, "/images/get?" + urllib.parse.urlencode({"names": ref}))
    except (OSError, http.client.HTTPException, ValueError, AttributeError):
        return None
    if response.status != 200:
        connection.close()
        return None
    if connection.sock is not None:
        connection.sock.settimeout(None)  # a large save takes its time, like the CLI's
    return ResponseStream(connection, response)
