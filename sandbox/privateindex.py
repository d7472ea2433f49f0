"""A second, private package index (basic auth) serving tiny packages the sandbox builds itself.

It stands in for what real projects pin from an index other than PyPI (PyTorch's
``download.pytorch.org/whl/cpu``, a company index): a local version (``dwtorch==1.0+cpu``) under
``/cpu/`` and an extras chain under ``/simple/`` (``dwchain[full]`` needs ``dwleaf[email]``, whose
``email`` extra needs ``dwmail``). Every wheel is written byte for byte the same on every machine
(fixed contents, fixed zip timestamps), so the hashes an example's committed lock names hold in CI.

``python -m sandbox.privateindex PORT DIRECTORY USER PASSWORD`` serves DIRECTORY, answering 401
without the credentials.
"""

from __future__ import annotations

import base64
import hashlib
import html
import http.server
import sys
import zipfile
from dataclasses import dataclass
from functools import partial
from pathlib import Path

USER = "dockwright"
PASSWORD = "sandbox-index-password"
_EPOCH = (1980, 1, 1, 0, 0, 0)


@dataclass(frozen=True)
class Package:
    name: str
    version: str
    folder: str  # "simple" or "cpu": which index of the server lists it
    requires: tuple[str, ...] = ()  # Requires-Dist lines
    extras: tuple[str, ...] = ()
    source: str = ""  # the module's text


PACKAGES = (
    Package("dwtorch", "1.0+cpu", "cpu", source='__version__ = "1.0+cpu"\nDEVICE = "cpu"\n'),
    Package(
        "dwchain",
        "1.0",
        "simple",
        requires=('dwleaf[email]==1.0; extra == "full"',),
        extras=("full",),
        source="def chain():\n    return 'dwchain'\n",
    ),
    Package(
        "dwleaf",
        "1.0",
        "simple",
        requires=('dwmail==1.0; extra == "email"',),
        extras=("email",),
        source="def leaf():\n    return 'dwleaf'\n",
    ),
    Package(
        "dwmail",
        "1.0",
        "simple",
        source="def validate(address):\n    return '@' in address\n",
    ),
)
NAMES = frozenset(p.name for p in PACKAGES)


def wheel_name(package: Package) -> str:
    return f"{package.name}-{package.version}-py3-none-any.whl"


def _record_hash(data: bytes) -> str:
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return f"sha256={digest},{len(data)}"


def wheel_bytes(package: Package) -> dict[str, bytes]:
    """The wheel's members (name -> bytes), RECORD last."""
    info = f"{package.name}-{package.version}.dist-info"
    metadata = [
        "Metadata-Version: 2.1",
        f"Name: {package.name}",
        f"Version: {package.version}",
        "Summary: a dockwright sandbox package",
        *(f"Provides-Extra: {e}" for e in package.extras),
        *(f"Requires-Dist: {r}" for r in package.requires),
    ]
    members = {
        f"{package.name}/__init__.py": package.source.encode(),
        f"{info}/METADATA": ("\n".join(metadata) + "\n").encode(),
        f"{info}/WHEEL": b"Wheel-Version: 1.0\nGenerator: dockwright-sandbox\nRoot-Is-Purelib: true\n"
        b"Tag: py3-none-any\n",
    }
    record = [f"{name},{_record_hash(data)}" for name, data in members.items()] + [f"{info}/RECORD,,"]
    members[f"{info}/RECORD"] = ("\n".join(record) + "\n").encode()
    return members


def write_wheel(package: Package, folder: Path) -> Path:
    path = folder / wheel_name(package)
    # stored, not deflated: the bytes never depend on the machine's zlib
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_STORED) as archive:
        for name, data in wheel_bytes(package).items():
            entry = zipfile.ZipInfo(name, date_time=_EPOCH)
            entry.external_attr = 0o644 << 16
            archive.writestr(entry, data)
    return path


def ensure_private_index(root: Path) -> Path:
    """``root/files`` holds the wheels, ``root/<folder>/<name>/`` the PEP 503 pages (sha256 fragments)."""
    files = root / "files"
    files.mkdir(parents=True, exist_ok=True)
    for folder in sorted({p.folder for p in PACKAGES}):
        listed = [p for p in PACKAGES if p.folder == folder]
        links = []
        for package in listed:
            wheel = write_wheel(package, files)
            sha = hashlib.sha256(wheel.read_bytes()).hexdigest()
            page = root / folder / package.name
            page.mkdir(parents=True, exist_ok=True)
            name = html.escape(wheel.name)
            (page / "index.html").write_text(
                f'<!DOCTYPE html><html><body>\n<a href="../../files/{name}#sha256={sha}">{name}</a><br>\n'
                "</body></html>\n"
            )
            links.append(f'<a href="{package.name}/">{package.name}</a><br>')
        (root / folder / "index.html").write_text(
            "<!DOCTYPE html><html><body>\n" + "\n".join(links) + "\n</body></html>\n"
        )
    return root


class _AuthHandler(http.server.SimpleHTTPRequestHandler):
    # HTTP/1.1 keep-alive, like a real index (sandbox/fileserver.py says why)
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True
    expected = ""

    def _authorised(self) -> bool:
        if self.headers.get("Authorization", "") == self.expected:
            return True
        self.send_response(401)
        self.send_header("WWW-Authenticate", 'Basic realm="dockwright sandbox"')
        self.send_header("Content-Length", "0")
        self.end_headers()
        return False

    def do_GET(self) -> None:
        if self._authorised():
            super().do_GET()

    def do_HEAD(self) -> None:
        if self._authorised():
            super().do_HEAD()


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128  # socketserver's 5 drops the SYNs of a client opening more connections at once


def make_server(port: int, directory: Path, user: str, password: str) -> http.server.ThreadingHTTPServer:
    token = base64.b64encode(f"{user}:{password}".encode()).decode()
    handler = type("Handler", (_AuthHandler,), {"expected": f"Basic {token}"})
    return _Server(("127.0.0.1", port), partial(handler, directory=str(directory)))


def serve(port: int, directory: Path, user: str, password: str) -> None:
    make_server(port, directory, user, password).serve_forever()


if __name__ == "__main__":
    serve(int(sys.argv[1]), Path(sys.argv[2]), sys.argv[3], sys.argv[4])
