"""A stream read ahead in a background thread, so a fast producer never waits on a slow reader.

``docker save`` writes into a 64 kB pipe; while the audit parses a layer the pipe fills and the
engine stops sending. Reading the pipe from a thread into a bounded queue lets the save run at its
own pace: the audit then takes about max(save, parse) instead of their sum.
"""

from __future__ import annotations

import io
import queue
import threading
from typing import Any, Protocol


class Source(Protocol):
    def read(self, size: int = -1, /) -> bytes | None: ...

    def close(self) -> None: ...


CHUNK = 1 << 20
DEPTH = 32  # chunks in flight: at most 32 MB buffered


class ReadAhead(io.RawIOBase):
    """``source`` read by a daemon thread; errors it raises surface from ``readinto``."""

    def __init__(self, source: Source, *, chunk: int = CHUNK, depth: int = DEPTH) -> None:
        super().__init__()
        self._source = source
        self._chunk = chunk
        self._queue: queue.Queue[bytes | BaseException | None] = queue.Queue(maxsize=depth)
        self._stop = threading.Event()
        self._pending = memoryview(b"")
        self._done = False
        self._thread = threading.Thread(target=self._pump, name="read-ahead", daemon=True)
        self._thread.start()

    def _put(self, item: bytes | BaseException | None) -> bool:
        while not self._stop.is_set():
            try:
                self._queue.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def _pump(self) -> None:
        try:
            while not self._stop.is_set():
                data = self._source.read(self._chunk)
                if not data:
                    break
                if not self._put(data):
                    return
            self._put(None)
        except BaseException as error:  # handed to the reading thread, raised there
            self._put(error)

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1, /) -> bytes:
        """Up to ``size`` bytes: a chunk as the producer read it when it fits (no copy)."""
        if size is None or size < 0:
            return self.readall()
        if not self._pending and not self._done:
            item = self._next()
            if item is None:
                return b""
            if len(item) <= size:
                return item
            self._pending = memoryview(item)
        if not self._pending:
            return b""
        data = bytes(self._pending[:size])
        self._pending = self._pending[size:]
        return data

    def _next(self) -> bytes | None:
        """The next chunk from the producer; None at the end (its error, if any, is raised)."""
        item = self._queue.get()
        if item is None:
            self._done = True
            return None
        if isinstance(item, BaseException):
            self._done = True
            raise item
        return item

    def readinto(self, buffer: Any) -> int:
        if not self._pending:
            if self._done:
                return 0
            item = self._next()
            if item is None:
                return 0
            self._pending = memoryview(item)
        count = min(len(buffer), len(self._pending))
        buffer[:count] = self._pending[:count]
        self._pending = self._pending[count:]
        return count

    def close(self) -> None:
        if not self.closed:
            self._stop.set()
            self._source.close()
            self._thread.join(timeout=5)
        super().close()
