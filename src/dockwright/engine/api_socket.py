"""The Engine API's local unix socket: which one the ``docker`` CLI would talk to, and a request sent
on it, with nothing imported but ``os`` and ``_socket``.

``dockwright audit IMAGE`` sends the image's save from here before anything else loads
(:func:`dockwright.audit.prefetch.start_early`): Docker writes the whole export before its first
byte, so every millisecond before the request adds to the audit's time, and the ``socket`` module
alone (``enum``, ``selectors``) took 11-22 ms to import on the shared 2-core machine, ``json``,
``pathlib`` and ``typing`` as much again (so paths are ``os.path``'s here). The answers are read by
:mod:`dockwright.engine.docker_api`, which loads meanwhile.
"""

# ruff: noqa: PTH111, PTH118, PTH123 - os.path and open(), not pathlib: see the module's notes

from __future__ import annotations

import _socket
import os

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping

DEFAULT_SOCKET = "/var/run/docker.sock"
CONNECT_TIMEOUT = 5.0
# what urllib.parse.quote(text, safe="") leaves as it is (RFC 3986's unreserved characters)
_UNRESERVED = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-~")


def save_target(ref: str) -> str:
    """The request target of an image's save (``docker save REF``): ``/images/get?names=`` and the
    name percent-encoded as ``urllib.parse.quote(ref, safe="")`` writes it (UnicodeEncodeError for
    a name that is not UTF-8), without loading ``urllib``."""
    encoded = "".join(chr(byte) if byte in _UNRESERVED else f"%{byte:02X}" for byte in ref.encode("utf-8"))
    return f"/images/get?names={encoded}"


def _context_chosen(environ: Mapping[str, str]) -> bool:
    """A Docker context other than ``default`` is selected (its endpoint is the CLI's to resolve)."""
    chosen = environ.get("DOCKER_CONTEXT", "")
    if chosen:
        return chosen != "default"
    folder = environ.get("DOCKER_CONFIG") or os.path.join(os.path.expanduser("~"), ".docker")
    try:
        with open(os.path.join(folder, "config.json"), "rb") as handle:
            raw = handle.read()
    except OSError:
        return False
    if b"currentContext" not in raw:
        return False  # the key's name, as the CLI writes it: no need to load json to know
    import json

    try:
        config = json.loads(raw.decode("utf-8"))
    except ValueError:  # UnicodeDecodeError included
        return False
    current = config.get("currentContext") if isinstance(config, dict) else None
    return bool(current) and current != "default"


def local_socket(environ: Mapping[str, str] | None = None) -> str | None:
    """The unix socket the ``docker`` CLI would talk to, when reading it directly means the same
    daemon; else None (a named client, a TCP/SSH host, a context)."""
    environ = os.environ if environ is None else environ
    if environ.get("DOCKWRIGHT_DOCKER") or not hasattr(_socket, "AF_UNIX"):
        return None
    host = environ.get("DOCKER_HOST", "")
    if host:
        return host.removeprefix("unix://") if host.startswith("unix://") else None
    if _context_chosen(environ):
        return None
    return DEFAULT_SOCKET


def send_get(path: str, target: str, timeout: float | None) -> _socket.socket:
    """A connection to the socket at ``path`` that has sent ``GET target`` (HTTP/1.0: see
    :mod:`dockwright.engine.docker_api`), its timeout then set to ``timeout``. OSError when the
    socket refuses it (absent, refused, no permission); the caller closes what it gets."""
    return send_request(path, "GET", target, timeout)


def send_request(path: str, method: str, target: str, timeout: float | None) -> _socket.socket:
    """:func:`send_get` for another method without a body (``POST`` of a tag, ``DELETE`` of one)."""
    sock = _socket.socket(_socket.AF_UNIX, _socket.SOCK_STREAM)
    try:
        sock.settimeout(CONNECT_TIMEOUT)
        sock.connect(path)
        length = "Content-Length: 0\r\n" if method != "GET" else ""
        request = f"{method} {target} HTTP/1.0\r\nHost: docker\r\nUser-Agent: dockwright\r\n{length}\r\n"
        sock.sendall(request.encode("ascii"))
        sock.settimeout(timeout)
    except BaseException:
        sock.close()
        raise
    return sock
