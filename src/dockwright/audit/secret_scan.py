"""The secret scan of an image's small files, in the audit's process or in a worker process beside it.

Every file of up to 64 kB is searched for private keys and tokens while the layers stream (half the
audit's parsing on a Python image: 25-70 MB of ``.py`` and text, seven substring searches each). The
tar walk holds the interpreter's lock, so a thread gains nothing; :class:`WorkerScanner` hands the
files to a child process (``python -m dockwright.audit.secret_scan``) through a pipe, where they are
scanned on another core while the walk goes on, and the hits come back at the end. Both scanners
append ``(path, kind, size)`` to the list given with each file, in the order the files were given, so
the audit's tables are the same either way.

Worker protocol: stdin carries frames (``<II``: a sequence number and a length, then that many bytes)
until EOF; then the worker writes one line per hit (``SEQUENCE KIND``) and exits 0.
"""

from __future__ import annotations

import contextlib
import os
import queue
import re
import struct
import subprocess
import sys
import threading
from typing import IO, Protocol

from dockwright.errors import DockwrightError

# Secret patterns: a cheap substring prefilter (in scan_secrets), then a regex for the kind.
SECRET_PATTERNS: tuple[tuple[str, re.Pattern[bytes]], ...] = (
    # a PEM block: the marker on a line of its own (a library naming the marker in a string literal,
    # e.g. cryptography's OpenSSH parser, is not a key)
    ("private key", re.compile(rb"(?m)^[ \t]*-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY-----[ \t]*\r?$")),
    ("AWS access key id", re.compile(rb"\b(?:AKIA|ASIA)[0-9A-Z]{16}\b")),
    ("GitHub token", re.compile(rb"\b(?:ghp_[A-Za-z0-9]{36}|github_pat_[A-Za-z0-9_]{22,})\b")),
    ("Slack token", re.compile(rb"\bxox[baprs]-[A-Za-z0-9-]{10,}")),
    ("GitLab token", re.compile(rb"\bglpat-[A-Za-z0-9_-]{20}\b")),
)

Hits = list[tuple[str, str, int]]  # (path, kind, size), a layer table's secrets

_FRAME = struct.Struct("<II")
BATCH = 1 << 20  # bytes of frames written to the worker at a time
_DEPTH = 64  # batches queued for the writer thread (at most ~64 MB held)


class ScanWorkerError(DockwrightError):
    """The secret scan's worker process failed (its findings would be incomplete)."""


def scan_secrets(data: bytes) -> str | None:
    """The kind of the first secret pattern ``data`` holds, else None."""
    # unrolled: this runs for every small file of the image
    if not (
        b"PRIVATE KEY-----" in data
        or b"AKIA" in data
        or b"ASIA" in data
        or b"ghp_" in data
        or b"github_pat_" in data
        or b"xox" in data
        or b"glpat-" in data
    ):
        return None
    for kind, pattern in SECRET_PATTERNS:
        if pattern.search(data):
            return kind
    return None


class Scanner(Protocol):
    def submit(self, hits: Hits, path: str, size: int, data: bytes) -> None:
        """Scan ``data`` (the file at ``path``, ``size`` bytes): a hit goes to ``hits``."""

    def finish(self) -> None:
        """Every hit of the files given is in its list on return."""

    def close(self) -> None:
        """Release what the scanner holds (after :meth:`finish`, or instead of it)."""


class InlineScanner:
    """Scans each file when it is given (no worker)."""

    def submit(self, hits: Hits, path: str, size: int, data: bytes) -> None:
        kind = scan_secrets(data)
        if kind:
            hits.append((path, kind, size))

    def finish(self) -> None:
        """Every hit is in its list already."""

    def close(self) -> None:
        """Nothing to release."""


class WorkerScanner:
    """Hands each file to a worker process; :meth:`finish` waits for its hits and files them.

    The files are framed into 1 MiB batches that a writer thread sends (a pipe write releases the
    interpreter's lock, so a worker that falls behind never stalls the tar walk until ~64 MB wait)."""

    def __init__(self, process: subprocess.Popen[bytes]) -> None:
        self._process = process
        self._given: list[tuple[Hits, str, int]] = []  # by sequence number
        self._parts: list[bytes] = []
        self._size = 0
        self._queue: queue.Queue[bytes | None] = queue.Queue(maxsize=_DEPTH)
        self._error: BaseException | None = None
        self._writer = threading.Thread(target=self._write, name="secret-scan-writer", daemon=True)
        self._writer.start()

    @classmethod
    def start(cls) -> WorkerScanner | None:
        """A scanner with its worker running, or None where a worker cannot help or cannot start
        (one core, or a frozen executable that is not a Python interpreter)."""
        if (os.cpu_count() or 1) < 2 or getattr(sys, "frozen", False) or not sys.executable:
            return None
        try:
            process = subprocess.Popen(
                [sys.executable, "-m", __name__],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                bufsize=0,
            )
        except OSError:
            return None
        return cls(process)

    def submit(self, hits: Hits, path: str, size: int, data: bytes) -> None:
        self._parts.append(_FRAME.pack(len(self._given), len(data)))
        self._parts.append(data)
        self._given.append((hits, path, size))
        self._size += len(data) + _FRAME.size
        if self._size >= BATCH:
            self._flush()

    def _flush(self) -> None:
        if self._parts:
            self._queue.put(b"".join(self._parts))
            self._parts, self._size = [], 0

    def _write(self) -> None:
        stdin = self._process.stdin
        assert stdin is not None
        while (batch := self._queue.get()) is not None:
            if self._error is not None:
                continue  # drained: the worker is gone
            try:
                view = memoryview(batch)
                while view:
                    view = view[stdin.write(view) or 0 :]
            except OSError as error:
                self._error = error
        with contextlib.suppress(OSError):
            stdin.close()

    def finish(self) -> None:
        """Wait for the worker's hits and append them to their lists, in the order given."""
        self._flush()
        self._queue.put(None)
        self._writer.join()
        assert self._process.stdout is not None
        out = self._process.stdout.read()
        code = self._process.wait()
        if self._error is not None or code != 0:
            why = self._error or f"exit code {code}"
            raise ScanWorkerError(f"the audit's secret scan worker failed ({why})")
        try:
            found = sorted(
                (int(n), kind) for n, _, kind in (x.partition(" ") for x in out.decode().splitlines())
            )
            given = [self._given[sequence] for sequence, _ in found]
        except (ValueError, IndexError) as error:
            raise ScanWorkerError(f"the audit's secret scan worker answered {out[:80]!r}") from error
        for (hits, path, size), (_, kind) in zip(given, found, strict=True):
            hits.append((path, kind, size))

    def close(self) -> None:
        """Stop the worker (unused, or after :meth:`finish`)."""
        if self._process.poll() is None:
            self._process.kill()
        self._process.wait()
        if self._writer.is_alive():
            self._error = self._error or EOFError("closed")
            self._queue.put(None)  # the writer drains what is queued and stops
            self._writer.join(timeout=5)
        for pipe in (self._process.stdin, self._process.stdout):
            if pipe is not None:
                with contextlib.suppress(OSError):
                    pipe.close()


def serve(source: IO[bytes], sink: IO[bytes]) -> None:
    """The worker: scan the framed files of ``source`` to its end, then write the hits to ``sink``."""
    found: list[str] = []  # held to the end: a pipe full of hits would block the audit's writer
    pending = b""
    while chunk := source.read(BATCH):
        data = pending + chunk if pending else chunk
        pos, end = 0, len(data)
        while end - pos >= _FRAME.size:
            sequence, length = _FRAME.unpack_from(data, pos)
            if end - pos - _FRAME.size < length:
                break
            start = pos + _FRAME.size
            kind = scan_secrets(data[start : start + length])
            if kind:
                found.append(f"{sequence} {kind}\n")
            pos = start + length
        pending = data[pos:]
    if pending:
        raise SystemExit("secret scan worker: input ends inside a frame")
    sink.write("".join(found).encode("ascii"))
    sink.flush()


if __name__ == "__main__":
    serve(sys.stdin.buffer, sys.stdout.buffer)
