"""A caching npm registry proxy on 127.0.0.1, for the frontend stages' installs.

Containers here reach no npm registry; the host does (verified TLS). This server answers what an npm
client asks a registry for, the way a company's mirror (Verdaccio, Artifactory, Nexus) does:

- ``GET /<name>`` and ``GET /@scope%2f<name>``: the package's metadata (the abbreviated form when the
  client asks for ``application/vnd.npm.install-v1+json``), fetched from the public registry once and
  kept, with every ``https://registry.npmjs.org/`` tarball URL rewritten to this server;
- ``GET /<name>/-/<file>.tgz``: the tarball, fetched once and kept (its integrity is the client's to
  check against the lockfile).

Like a private registry it answers 401 without ``Authorization: Bearer <token>`` (or basic auth with
that token as the password): a build that installs through it proves the ``.npmrc`` BuildKit secret
reached the package manager. The upstream is always fetched with certificate checks on.

``python sandbox/npmproxy.py PORT CACHE_DIR TOKEN`` serves on 127.0.0.1:PORT. Standard library only:
it runs as a script, as sandbox/privateindex.py does.
"""

from __future__ import annotations

import base64
import hashlib
import http.server
import os
import sys
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

UPSTREAM = "https://registry.npmjs.org/"
TOKEN = "sandbox-npm-token"  # the token the sandbox's npmrc gives; not a secret of anything real
CORGI = "application/vnd.npm.install-v1+json"


def upstream_url(path: str) -> str | None:
    """The public registry's URL for a request path, or None for a path no install asks for."""
    parts = urllib.parse.urlsplit(path)
    name = urllib.parse.unquote(parts.path.lstrip("/"))
    if not name or ".." in name.split("/") or name.startswith("-/"):
        return None
    if "/-/" in name:  # a tarball: <name>/-/<file>.tgz, <@scope/name>/-/<file>.tgz
        package, file = name.split("/-/", 1)
        if "/" in file or not file.endswith(".tgz"):
            return None
        return UPSTREAM + urllib.parse.quote(package, safe="@/") + "/-/" + urllib.parse.quote(file)
    if name.count("/") > (1 if name.startswith("@") else 0):
        return None  # dist-tags, versions by path, ...: not needed by an install from a lockfile
    return UPSTREAM + urllib.parse.quote(name, safe="@/").replace("/", "%2f")


def rewrite(body: bytes, own: str) -> bytes:
    """Metadata with the public registry's tarball URLs pointing at this server (``own``, ending in /)."""
    return body.replace(UPSTREAM.encode(), own.encode())


def authorised(header: str, token: str) -> bool:
    if header == f"Bearer {token}":
        return True
    if header.startswith("Basic "):
        try:
            decoded = base64.b64decode(header[6:]).decode()
        except ValueError:
            return False
        return decoded.partition(":")[2] == token
    return False


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "dockwright-sandbox-npm"
    disable_nagle_algorithm = True
    cache = Path()
    token = TOKEN
    own = ""

    def log_message(self, format: str, *args: object) -> None:
        sys.stderr.write(f"{self.address_string()} {format % args}\n")

    def _answer(self, status: int, body: bytes, kind: str = "application/json", head: bool = False) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        if status == 401:
            self.send_header("WWW-Authenticate", 'Bearer realm="dockwright sandbox npm"')
        self.end_headers()
        if not head:
            self.wfile.write(body)

    def do_HEAD(self) -> None:
        self.do_GET(head=True)

    def do_GET(self, head: bool = False) -> None:
        if self.path in ("/", "/-/ping"):
            self._answer(200, b"{}", head=head)  # the probe; `npm ping`
            return
        if not authorised(self.headers.get("Authorization", ""), self.token):
            self._answer(401, b'{"error":"authentication required"}', head=head)
            return
        url = upstream_url(self.path)
        if url is None:
            self._answer(404, b'{"error":"not found"}', head=head)
            return
        tarball = "/-/" in url[len(UPSTREAM) :]
        corgi = not tarball and CORGI in self.headers.get("Accept", "")
        key = hashlib.sha256(f"{url} {corgi}".encode()).hexdigest()
        stored = self.cache / ("tarballs" if tarball else "metadata") / key
        if not stored.is_file():
            try:
                body = fetch(url, CORGI if corgi else "application/json")
            except urllib.error.HTTPError as error:
                self._answer(error.code, b'{"error":"upstream"}', head=head)
                return
            except OSError as error:
                self._answer(502, f'{{"error":"upstream: {error}"}}'.encode(), head=head)
                return
            store(stored, body)
        body = stored.read_bytes()
        if tarball:
            self._answer(200, body, "application/octet-stream", head=head)
        else:
            self._answer(200, rewrite(body, self.own), CORGI if corgi else "application/json", head=head)


def fetch(url: str, accept: str) -> bytes:
    """The upstream answer, over HTTPS with the default (verifying) TLS context."""
    request = urllib.request.Request(url, headers={"Accept": accept, "User-Agent": "dockwright-sandbox"})
    with urllib.request.urlopen(request, timeout=60) as response:
        return bytes(response.read())


def store(path: Path, body: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    scratch = path.with_name(f".{path.name}.{os.getpid()}")
    scratch.write_bytes(body)
    scratch.replace(path)


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128


def make_server(port: int, cache: Path, token: str) -> Server:
    own = f"http://127.0.0.1:{port}/"
    handler = type("NpmHandler", (Handler,), {"cache": cache, "token": token, "own": own})
    return Server(("127.0.0.1", port), handler)


def npmrc_text(registry: str, token: str) -> str:
    """The .npmrc a user of a private registry has: the registry and its token (npm, pnpm, Yarn 1, bun
    read both; Yarn 1 sends the token on installs only with always-auth)."""
    host = registry.split("://", 1)[1]
    return f"registry={registry}\n//{host}:_authToken={token}\nalways-auth=true\n"


if __name__ == "__main__":
    make_server(int(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]).serve_forever()
