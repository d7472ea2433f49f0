"""ReadAhead: the bytes come through unchanged, the producer's error reaches the reader, close stops it."""

from __future__ import annotations

import io

import pytest

from dockwright.engine.readahead import ReadAhead
from dockwright.errors import EngineError


class Failing(io.RawIOBase):
    def __init__(self, data: bytes) -> None:
        self._data = io.BytesIO(data)

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: object) -> int:
        count = self._data.readinto(buffer)  # type: ignore[arg-type]
        if not count:
            raise EngineError("docker save x failed: no such image")
        return count


def test_bytes_come_through_in_order() -> None:
    data = bytes(range(256)) * 5000
    reader = io.BufferedReader(ReadAhead(io.BytesIO(data), chunk=777, depth=3), 1000)
    assert reader.read() == data
    reader.close()


def test_the_sources_error_is_raised_to_the_reader_after_its_data() -> None:
    reader = ReadAhead(Failing(b"x" * 10), chunk=4, depth=2)
    got = b""
    with pytest.raises(EngineError, match="no such image"):
        while True:
            buffer = bytearray(3)
            count = reader.readinto(buffer)
            got += bytes(buffer[:count])
    assert got == b"x" * 10


def test_close_stops_a_producer_blocked_on_a_full_queue() -> None:
    source = io.BytesIO(b"y" * 100_000)
    reader = ReadAhead(source, chunk=10, depth=1)
    reader.close()
    assert source.closed
    assert not reader._thread.is_alive()


def test_read_hands_over_whole_chunks_and_splits_large_ones() -> None:
    data = bytes(range(256)) * 40
    reader = ReadAhead(io.BytesIO(data), chunk=1000, depth=2)
    first = reader.read(4096)
    assert first == data[:1000]  # one chunk as the producer read it
    assert reader.read(300) == data[1000:1300]  # a chunk larger than asked: split
    assert reader.read(4096) == data[1300:2000]
    assert reader.read() == data[2000:]
    assert reader.read(10) == b""
    reader.close()


def test_read_raises_the_producers_error_after_its_data() -> None:
    reader = ReadAhead(Failing(b"z" * 10), chunk=4, depth=2)
    got = b""
    with pytest.raises(EngineError, match="no such image"):
        while chunk := reader.read(100):
            got += chunk
    assert got == b"z" * 10
