"""The secret scan of an image's small files, in the audit's process or in a worker process beside it.

Every file of up to 64 kB is searched for private keys and tokens while the layers stream (half the
audit's parsing on a Python image: 25-70 MB of ``.py`` and text, seven substring searches each). The
tar walk holds the interpreter's lock, so a thread gains nothing; :class:`WorkerScanner` hands the
files to a child process (:mod:`dockwright.audit.scan_worker`) through a pipe, where they are scanned
on another core while the walk goes on, and the hits come back at the end. Both scanners append
``(path, kind, size, sha256)`` to the list given with each file, in the order the files were given, so the
audit's tables are the same either way.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import threading
from collections import deque
from pathlib import Path
from typing import Protocol

from dockwright.audit import scan_worker
from dockwright.audit.scan_worker import FRAME, SECRET_PATTERNS, hit_digest, scan_secrets
from dockwright.errors import DockwrightError

Hits = list[tuple[str, str, int, str]]  # (path, kind, size, sha256 hex), a layer table's secrets

BATCH = scan_worker.BATCH  # bytes of frames written to the worker at a time
_DEPTH = 64  # batches queued for the writer thread (at most ~64 MB held)
_IOV_MAX = 1024  # buffers in one writev (POSIX's minimum IOV_MAX)
_KINDS = frozenset(kind for kind, _ in SECRET_PATTERNS)


class ScanWorkerError(DockwrightError):
    """The secret scan's worker process failed (its findings would be incomplete)."""


class Scanner(Protocol):
    def submit(self, hits: Hits, path: str, size: int, data: bytes) -> None:
        """Scan ``data`` (the file at ``path``, ``size`` bytes): a hit goes to ``hits``."""

    def end_input(self) -> None:
        """No more files: the scan of those given may finish in the background (returns at once)."""

    def finish(self) -> None:
        """Every hit of the files given is in its list on return."""

    def close(self) -> None:
        """Release what the scanner holds (after :meth:`finish`, or instead of it)."""


class InlineScanner:
    """Scans each file when it is given (no worker)."""

    def submit(self, hits: Hits, path: str, size: int, data: bytes) -> None:
        kind = scan_secrets(data)
        if kind:
            hits.append((path, kind, size, hit_digest(data)))

    def end_input(self) -> None:
        """Every hit is in its list already."""

    def finish(self) -> None:
        """Every hit is in its list already."""

    def close(self) -> None:
        """Nothing to release."""


class _Batches:
    """The batches waiting for the writer thread: taken from the front by the writer, and from the
    back by the audit's thread once the stream has ended (see :meth:`WorkerScanner.finish`)."""

    def __init__(self, depth: int) -> None:
        self._items: deque[list[bytes]] = deque()
        self._depth = depth
        self._ended = False
        self._change = threading.Condition()

    def put(self, batch: list[bytes]) -> None:
        """Queue ``batch``, waiting while ``depth`` batches wait already."""
        with self._change:
            while len(self._items) >= self._depth and not self._ended:
                self._change.wait()
            self._items.append(batch)
            self._change.notify_all()

    def end(self) -> None:
        """No more batches: the writer stops once the queue is empty."""
        with self._change:
            self._ended = True
            self._change.notify_all()

    def take(self) -> list[bytes] | None:
        """The first batch (waiting for one), or None once the queue has ended and is empty."""
        with self._change:
            while not self._items and not self._ended:
                self._change.wait()
            batch = self._items.popleft() if self._items else None
            self._change.notify_all()
            return batch

    def take_last(self) -> list[bytes] | None:
        """The last batch waiting, if any (never waits)."""
        with self._change:
            batch = self._items.pop() if self._items else None
            self._change.notify_all()
            return batch


class WorkerScanner:
    """Hands each file to a worker process; :meth:`finish` waits for its hits and files them.

    The files are framed into 1 MiB batches that a writer thread sends (a pipe write releases the
    interpreter's lock, so a worker that falls behind never stalls the tar walk until ~64 MB wait).
    After the last batch the same thread closes the worker's input and waits for its answer, so
    that between :meth:`end_input` and :meth:`finish` the audit's own thread is free: the worker's
    backlog at the stream's end (6-9 batches of a 137 MB image under load, 12-80 ms) is scanned
    while the checks that do not read the hits run (see
    :func:`dockwright.audit.audit.report_from_facts`); then :meth:`finish` scans the batches still
    queued itself, from the back, while the worker takes them from the front."""

    def __init__(self, process: subprocess.Popen[bytes]) -> None:
        self._process = process
        self._given: list[tuple[Hits, str, int]] = []  # by sequence number
        self._parts: list[bytes] = []
        self._size = 0
        self._queue = _Batches(_DEPTH)
        self._error: BaseException | None = None
        self._answer = b""  # the worker's output, read by the writer thread after the last batch
        self._ended = False
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
        from dockwright.engine.cli_engine import widen_pipe

        # 1 MiB ahead in the pipe: the writer thread, which waits for the interpreter's lock after
        # each write while the audit's thread runs, leaves the worker a batch to scan meanwhile
        widen_pipe(process.stdin)
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
        while (parts := self._queue.take()) is not None:
            if self._error is None:
                try:
                    _write_all(stdin.fileno(), parts)
                except OSError as error:
                    self._error = error  # the rest is drained: the worker is gone
        with contextlib.suppress(OSError):
            stdin.close()
        stdout = self._process.stdout
        assert stdout is not None
        if self._error is None:  # not closed early: the worker answers once its input ends
            try:
                self._answer = stdout.read()
            except (OSError, ValueError) as error:  # ValueError: closed by close() meanwhile
                self._error = error

    def end_input(self) -> None:
        """Send the last batch: the worker scans what is left while the caller goes on."""
        if not self._ended:
            self._ended = True
            self._flush()
            self._queue.end()

    def finish(self) -> None:
        """Wait for the worker's hits and append them to their lists, in the order given."""
        self.end_input()
        found_here: list[tuple[int, str, str]] = []
        while (parts := self._queue.take_last()) is not None:
            found_here.extend(_scan_batch(parts))  # the worker scans the front meanwhile
        self._writer.join()
        out = self._answer
        code = self._process.wait()
        if self._error is not None or code != 0:
            why = self._error or f"exit code {code}"
            raise ScanWorkerError(f"the audit's secret scan worker failed ({why})")
        try:
            found = sorted([_answer_line(line) for line in out.decode().splitlines()] + found_here)
            given = [self._given[sequence] for sequence, _, _ in found]
            if not {kind for _, _, kind in found} <= _KINDS:
                raise ValueError("unknown kind")
        except (ValueError, IndexError) as error:
            raise ScanWorkerError(f"the audit's secret scan worker answered {out[:80]!r}") from error
        for (hits, path, size), (_, digest, kind) in zip(given, found, strict=True):
            hits.append((path, kind, size, digest))

    def close(self) -> None:
        """Stop the worker (unused, or after :meth:`finish`)."""
        if self._process.poll() is None:
            self._process.kill()
        self._process.wait()
        if self._writer.is_alive():
            self._error = self._error or EOFError("closed")
            self._ended = True
            self._queue.end()  # the writer drains what is queued and stops
            self._writer.join(timeout=5)
        for pipe in (self._process.stdin, self._process.stdout):
            if pipe is not None:
                with contextlib.suppress(OSError):
                    pipe.close()


def _answer_line(line: str) -> tuple[int, str, str]:
    """(sequence, sha256, kind) of one line of the worker's answer (``SEQUENCE SHA256 KIND``)."""
    sequence, digest, kind = line.split(" ", 2)
    if len(digest) != 64:
        raise ValueError("not a sha256")
    return int(sequence), digest, kind


def _scan_batch(parts: list[bytes]) -> list[tuple[int, str, str]]:
    """(sequence, sha256, kind) of the files of one batch (frame headers and files, alternating) that hold a
    secret: what the worker would have answered for them."""
    found = []
    for header, data in zip(parts[::2], parts[1::2], strict=True):
        kind = scan_secrets(data)
        if kind:
            found.append((FRAME.unpack(header)[0], hit_digest(data), kind))
    return found


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
