"""The static file server behind the sandbox's PyPI index and Debian mirrors.

``python -m http.server`` speaks HTTP/1.0 and serves one request at a time: every request costs a new
connection and waits for the one before it. Real indexes and mirrors (PyPI's CDN, deb.debian.org)
keep connections alive and answer in parallel, and installers are written for that: uv resolving nine
hash-locked flask packages spent 1.03 s against ``http.server`` and 61 ms against this server. A
sandbox that slows one installer more than another distorts every comparison made in it.

This one is ``http.server``'s file handler with HTTP/1.1 keep-alive (every answer has its
Content-Length), one thread per connection, single byte ranges (``Range: bytes=a-b``, answered 206 as
real indexes do; uv reads wheel metadata that way), the file body sent with ``sendfile``, and a quiet
log: only failed requests (4xx, 5xx) are written.

``python sandbox/fileserver.py PORT DIRECTORY`` serves DIRECTORY on 127.0.0.1:PORT. Standard library
only: it runs as a script, as sandbox/privateindex.py does.
"""

from __future__ import annotations

import http.server
import os
import re
import sys
from functools import partial
from pathlib import Path
from typing import BinaryIO

_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")
LIFETIME_FILE = "max-age=365000000, immutable, public"
# PyPI's index pages live 600 s (`max-age=600, public`): a release adds files rarely, and an older page
# still resolves. The sandbox's pages change under caches that outlive a session (BuildKit's uv and
# pip cache mounts on the shared engine) whenever `sandbox up` adds files, and a page 10 minutes old
# then hides the wheel just added. So a cache revalidates them every time: Last-Modified and a 304
# when unchanged, one round trip on loopback.
LIFETIME_PAGE = "max-age=0, must-revalidate, public"


class Handler(http.server.SimpleHTTPRequestHandler):
    """Files and directory pages of ``directory``, HTTP/1.1 keep-alive, single byte ranges."""

    protocol_version = "HTTP/1.1"
    server_version = "dockwright-sandbox"
    # headers and body leave in separate writes: without TCP_NODELAY the body waits for the client's
    # delayed ACK of the headers (40 ms per request on a kept-alive connection)
    disable_nagle_algorithm = True
    _span: tuple[int, int] | None = None  # the byte range being answered (first, last), if any
    _file = False  # whether the answer is a file's (it then says Accept-Ranges)
    _page = False  # whether it is a directory's index.html

    def send_head(self) -> BinaryIO | None:
        path = Path(self.translate_path(self.path))
        self._span, self._file = None, path.is_file()
        self._page = path.is_dir() and (path / "index.html").is_file()
        wanted = self.headers.get("Range")
        if wanted is None or not path.is_file():
            return super().send_head()
        size = path.stat().st_size
        span = _byte_span(wanted, size)
        if span is None:  # a form this server does not answer (several ranges): the whole file, as allowed
            return super().send_head()
        first, last = span
        if first >= size:
            self.send_response(416)
            self.send_header("Content-Range", f"bytes */{size}")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return None
        source = path.open("rb")
        source.seek(first)
        self._span = span
        self.send_response(206)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Range", f"bytes {first}-{last}/{size}")
        self.send_header("Content-Length", str(last - first + 1))
        self.end_headers()
        return source

    def end_headers(self) -> None:
        if self._file:
            self.send_header("Accept-Ranges", "bytes")
        if self._file or self._page:
            # a distribution never changes (PyPI's lifetime); an index page may (see LIFETIME_PAGE).
            # pip's HTTP cache keeps only what a Cache-Control header lets it
            immutable = self.path.endswith((".whl", ".tar.gz", ".zip", ".deb"))
            self.send_header("Cache-Control", LIFETIME_FILE if immutable else LIFETIME_PAGE)
        super().end_headers()

    def copyfile(self, source: BinaryIO, outputfile: BinaryIO) -> None:  # type: ignore[override]
        count = None if self._span is None else self._span[1] - self._span[0] + 1
        if hasattr(source, "fileno"):
            try:
                source.fileno()
            except OSError:
                pass
            else:
                self.connection.sendfile(source, offset=source.tell(), count=count)
                return
        outputfile.write(source.read() if count is None else source.read(count))

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        if isinstance(code, http.HTTPStatus):
            code = code.value
        if str(code).startswith(("4", "5")):
            super().log_request(code, size)


def _byte_span(header: str, size: int) -> tuple[int, int] | None:
    """``bytes=a-b``, ``bytes=a-`` or ``bytes=-n`` as the (first, last) byte it asks for; None otherwise."""
    match = _RANGE.match(header.strip())
    if match is None or match.group(1) == match.group(2) == "":
        return None
    start, end = match.group(1), match.group(2)
    if start == "":  # the last n bytes
        return max(size - int(end), 0), size - 1
    first = int(start)
    last = size - 1 if end == "" else min(int(end), size - 1)
    return (first, last) if last >= first or first >= size else None


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True  # a kept-alive connection never holds up shutdown
    # socketserver's default backlog is 5: a client opening more connections at once sees its SYNs
    # dropped and retried a second later (uv's parallel requests did)
    request_queue_size = 128


def make_server(port: int, directory: Path) -> Server:
    return Server(("127.0.0.1", port), partial(Handler, directory=str(directory)))


def main(argv: list[str]) -> None:
    port, directory = int(argv[0]), Path(argv[1])
    os.chdir(directory)
    make_server(port, directory).serve_forever()


if __name__ == "__main__":
    main(sys.argv[1:])
