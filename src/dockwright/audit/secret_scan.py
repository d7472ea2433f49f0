"""The secret scan of an image's small files, in the audit's process or in a worker process beside it.

Every file of up to 64 kB is searched for private keys and tokens while the layers stream (half the
audit's parsing on a Python image: 25-70 MB of ``.py`` and text, seven substring searches each). The
tar walk holds the interpreter's lock, so a thread gains nothing; :class:`WorkerScanner` hands the
files to a child process (:mod:`dockwright.audit.scan_worker`) through a pipe, where they are scanned
on another core while the walk goes on, and the hits come back at the end. Both scanners append
``(path, kind, size)`` to the list given with each file, in the order the files were given, so the
audit's tables are the same either way.
"""

from __future__ import annotations

import contextlib
import os
import queue
import subprocess
import sys
import threading
from pathlib import Path
from typing import Protocol

from dockwright.audit import scan_worker
from dockwright.audit.scan_worker import FRAME, SECRET_PATTERNS, scan_secrets
from dockwright.errors import DockwrightError

Hits = list[tuple[str, str, int]]  # (path, kind, size), a layer table's secrets

BATCH = scan_worker.BATCH  # bytes of frames written to the worker at a time
_DEPTH = 64  # batches queued for the writer thread (at most ~64 MB held)
_IOV_MAX = 1024  # buffers in one writev (POSIX's minimum IOV_MAX)
_KINDS = frozenset(kind for kind, _ in SECRET_PATTERNS)


class ScanWorkerError(DockwrightError):
    """The secret scan's worker process failed (its findings would be incomplete)."""


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
        self._queue: queue.Queue[list[bytes] | None] = queue.Queue(maxsize=_DEPTH)
        self._error: BaseException | None = None
        self._writer = threading.Thread(target=self._write, name="secret-scan-writer", daemon=True)
        self._writer.start()

    @classmethod
    def start(cls) -> WorkerScanner | None:
        """A scanner with its worker running, or None where a worker cannot help or cannot start
        (one core, a frozen executable, the package inside an archive)."""
        script = Path(scan_worker.__file__)
        if (os.cpu_count() or 1) < 2 or getattr(sys, "frozen", False) or not script.is_file():
            return None
        try:
            process = subprocess.Popen(
                # isolated, without site: the script imports only re, struct and sys
                [sys.executable, "-I", "-S", str(script)],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                bufsize=0,
            )
        except OSError:
            return None
        return cls(process)

    def submit(self, hits: Hits, path: str, size: int, data: bytes) -> None:
        self._parts.append(FRAME.pack(len(self._given), len(data)))
        self._parts.append(data)
        self._given.append((hits, path, size))
        self._size += len(data) + FRAME.size
        if self._size >= BATCH:
            self._flush()

    def _flush(self) -> None:
        if self._parts:
            self._queue.put(self._parts)
            self._parts, self._size = [], 0

    def _write(self) -> None:
        stdin = self._process.stdin
        assert stdin is not None
        while (parts := self._queue.get()) is not None:
            if self._error is None:
                try:
                    _write_all(stdin.fileno(), parts)
                except OSError as error:
                    self._error = error  # the rest is drained: the worker is gone
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
            if not {kind for _, kind in found} <= _KINDS:
                raise ValueError("unknown kind")
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


def _write_all(fd: int, parts: list[bytes]) -> None:
    """Write ``parts`` to ``fd`` in order: a few ``writev`` calls, no joined copy (one call per
    ``_IOV_MAX`` buffers; a call that writes part of them is resumed where it stopped)."""
    if not hasattr(os, "writev"):  # Windows
        data = memoryview(b"".join(parts))
        while data:
            data = data[os.write(fd, data) :]
        return
    views = [memoryview(part) for part in parts if part]
    first = 0
    while first < len(views):
        written = os.writev(fd, views[first : first + _IOV_MAX])
        while first < len(views) and written >= len(views[first]):
            written -= len(views[first])
            first += 1
        if written:
            views[first] = views[first][written:]
