"""The tar reader's nested walk (a layer read straight from the ``docker save`` reader's buffer), its
header fast paths, and the audit's per-member record on hostile names."""

from __future__ import annotations

import io
import os
import random
import tarfile

import pytest
from audit_images import F, Img, base_layer, layer_tar, legacy_archive, oci_archive
from test_tarwalk import _archive, with_tarfile

from dockwright.audit.image import _read_layer, _Table, facts_from_archive
from dockwright.audit.tarwalk import StreamCutError, TarFormatError, TarWalker, _checksum_ok
from dockwright.errors import EngineError

FORMATS = [tarfile.USTAR_FORMAT, tarfile.GNU_FORMAT, tarfile.PAX_FORMAT]


def _outer(members: list[tuple[str, bytes]], fmt: int = tarfile.PAX_FORMAT) -> bytes:
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w", format=fmt) as tar:
        for name, data in members:
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return out.getvalue()


def _rows_nested(walker: TarWalker, limit: int = 70_000) -> list[tuple[object, ...]]:
    inner = TarWalker(walker.member_stream(), chunk=1000)  # type: ignore[arg-type]
    rows: list[tuple[object, ...]] = []
    for m in inner:
        kind = "file" if m.isfile() else "dir" if m.isdir() else "symlink" if m.issym() else "other"
        kind = "hardlink" if m.islnk() else kind
        content = inner.read(limit) if m.isfile() else b""
        rows.append((m.name, kind, m.size, m.mode, m.uid, m.gid, m.linkname, content))
    return rows


@pytest.mark.parametrize("fmt", FORMATS, ids=["ustar", "gnu", "pax"])
@pytest.mark.parametrize("chunk", [512, 4096, 1 << 20])
def test_a_nested_archive_walks_like_tarfile_and_the_outer_walk_goes_on(fmt: int, chunk: int) -> None:
    inner = _archive(fmt)  # long names, pax records, links, whiteouts, base-256 ids, > limit content
    outer = _outer([("first.json", b'{"a": 1}'), ("blobs/sha256/layer", inner), ("after.json", b"[2]")])
    walker = TarWalker(io.BytesIO(outer), chunk=chunk)
    seen: list[str] = []
    for member in walker:
        seen.append(member.name)
        if member.name == "blobs/sha256/layer":
            assert walker.peek(262)[257:262] == b"ustar"  # peeking consumes nothing
            assert _rows_nested(walker) == with_tarfile(inner)[0]
        elif member.name == "after.json":
            assert walker.read(100) == b"[2]"
    assert seen == ["first.json", "blobs/sha256/layer", "after.json"]


def test_a_nested_walk_stopped_early_leaves_the_outer_walk_in_step() -> None:
    inner = _archive(tarfile.GNU_FORMAT)
    outer = _outer([("layer.tar", inner), ("next.txt", b"next")])
    walker = TarWalker(io.BytesIO(outer), chunk=700)
    names = []
    for member in walker:
        names.append(member.name)
        if member.name == "layer.tar":
            nested = TarWalker(walker.member_stream())  # type: ignore[arg-type]
            next(iter(nested))  # one member, then abandoned
        else:
            assert walker.read(10) == b"next"
    assert names == ["layer.tar", "next.txt"]


def test_member_stream_read_all_and_end() -> None:
    outer = _outer([("blob", b"x" * 3000)])
    walker = TarWalker(io.BytesIO(outer), chunk=1024)
    next(iter(walker))
    stream = walker.member_stream()
    assert stream.read(10) == b"x" * 10
    assert stream.read() == b"x" * 2990
    assert stream.read(5) == b""


def test_an_outer_stream_cut_inside_a_layer_is_a_cut_not_a_bad_layer() -> None:
    inner = _archive(tarfile.PAX_FORMAT)
    outer = _outer([("blobs/sha256/layer", inner)])
    cut = outer[: 512 + len(inner) // 2]
    walker = TarWalker(io.BytesIO(cut), chunk=4096)
    next(iter(walker))
    with pytest.raises(StreamCutError):
        _rows_nested(walker)
    table = _Table()
    walker = TarWalker(io.BytesIO(cut), chunk=4096)
    next(iter(walker))
    with pytest.raises(StreamCutError):
        _read_layer(walker.member_stream(), table)  # type: ignore[arg-type]


@pytest.mark.parametrize("layout", ["legacy", "oci-plain", "oci"])
def test_a_save_stream_cut_anywhere_is_an_engine_error_or_a_note(layout: str) -> None:
    img = Img([base_layer(), [F("app/a.py", b"print(1)\n" * 300)]])
    data = legacy_archive(img) if layout == "legacy" else oci_archive(img, compress=layout == "oci")
    for cut in range(0, len(data), 1531):
        try:
            facts = facts_from_archive(io.BytesIO(data[:cut]))
        except EngineError as error:
            assert "archive" in str(error)
        else:  # only when the cut fell after everything the facts need
            assert facts.layers


def test_garbage_is_not_a_tar_stream() -> None:
    with pytest.raises(EngineError, match="not a tar stream"):
        facts_from_archive(io.BytesIO(b"garbage!" * 200))
    with pytest.raises(EngineError, match="not a tar stream"):
        facts_from_archive(io.BytesIO(b""))


def test_checksum_fast_sum_is_exact() -> None:
    """The Adler-32 sums equal the plain byte sum, also where every byte is high (no wrap-around)."""
    rng = random.Random(7)
    blocks = [bytes(512), b"\xff" * 512, bytes(range(256)) * 2]
    blocks += [bytes(rng.getrandbits(8) for _ in range(512)) for _ in range(50)]
    for block in blocks:
        total = sum(block[:148]) + 8 * 32 + sum(block[156:])
        for stored, valid in ((total, True), (total + 1, False), (total - 1, False)):
            header = block[:148] + b"%06o\0 " % stored + block[156:]
            assert _checksum_ok(header) is valid, stored


def test_headers_with_high_bytes_and_signed_checksums_are_valid() -> None:
    info = tarfile.TarInfo("srv/" + "ü" * 40)
    header = bytearray(info.tobuf(tarfile.GNU_FORMAT)[:512])
    assert _checksum_ok(bytes(header))
    # an old tar summed signed bytes: store that checksum instead
    header[148:156] = b" " * 8
    signed = sum(b - 256 if b > 127 else b for b in header)
    header[148:156] = b"%06o\0 " % signed
    assert _checksum_ok(bytes(header))
    header[148:156] = b"%06o\0 " % (signed + 65521)
    assert not _checksum_ok(bytes(header))


def test_odd_number_fields_follow_tarfile() -> None:
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w", format=tarfile.USTAR_FORMAT) as tar:
        info = tarfile.TarInfo("f")
        tar.addfile(info)
    data = bytearray(out.getvalue())
    data[108:116] = b" 1750 \0\0"  # uid padded with spaces
    data[116:124] = b"\0" * 8  # gid empty
    data[148:156] = b" " * 8
    data[148:156] = b"%06o\0 " % sum(data[:512])
    walker_rows = [(m.uid, m.gid) for m in TarWalker(io.BytesIO(bytes(data)))]
    with tarfile.open(fileobj=io.BytesIO(bytes(data))) as tar:
        tar_rows = [(m.uid, m.gid) for m in tar]
    assert walker_rows == tar_rows == [(0o1750, 0)]
    data[108:116] = b"12x4567\0"
    data[148:156] = b" " * 8
    data[148:156] = b"%06o\0 " % sum(data[:512])
    with pytest.raises(TarFormatError):
        list(TarWalker(io.BytesIO(bytes(data))))


def _raw_layer(names: list[tuple[str, bytes]]) -> bytes:
    """A layer with member names written as given (tarfile would not keep ``./`` or ``//``)."""
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w", format=tarfile.GNU_FORMAT) as tar:
        for name, kind in names:
            info = tarfile.TarInfo(name)
            info.type = kind
            if kind == tarfile.LNKTYPE:
                info.linkname = "./etc/passwd"
            tar.addfile(info)
    return out.getvalue()


def test_record_normalises_names_and_reads_whiteouts_like_before() -> None:
    layer = _raw_layer(
        [
            ("./", tarfile.DIRTYPE),
            ("./etc/", tarfile.DIRTYPE),
            ("./etc/passwd", tarfile.REGTYPE),
            ("/abs/file", tarfile.REGTYPE),
            ("win\\path.txt", tarfile.REGTYPE),
            ("./././deep//x.txt", tarfile.REGTYPE),
            ("app//.wh.old.txt", tarfile.REGTYPE),
            ("./app/.wh..wh..opq", tarfile.REGTYPE),
            (".wh.top", tarfile.REGTYPE),
            ("./bin/hard", tarfile.LNKTYPE),
            ("dev/fifo", tarfile.FIFOTYPE),
        ]
    )
    table = _Table()
    _read_layer(io.BytesIO(layer), table)  # type: ignore[arg-type]
    assert not table.error
    # what the tarfile-based reader recorded (main before this reader), but the layer's root "./"
    # (tarfile writes "."), which is no file of the image: a layer unpacked in a folder has no such entry
    assert list(table.entries) == [
        "etc",
        "etc/passwd",
        "abs/file",
        "win/path.txt",
        "deep//x.txt",
        "bin/hard",
        "dev/fifo",
    ]
    assert table.entries["bin/hard"][0] == "hardlink" and table.entries["bin/hard"][5] == "etc/passwd"
    assert table.entries["dev/fifo"][0] == "other"
    assert table.whiteouts == ["app/old.txt", "top"]
    assert table.opaque == ["app"]


def test_secrets_and_captured_files_inside_a_streamed_layer() -> None:
    key = b"-----BEGIN OPENSSH PRIVATE KEY-----\nabc\n-----END OPENSSH PRIVATE KEY-----\n"
    big = os.urandom(70_000)
    img = Img([base_layer(), [F("root/.ssh/id_ed25519", key), F("srv/big.bin", big), F("etc/passwd", b"x")]])
    facts = facts_from_archive(io.BytesIO(oci_archive(img, compress=False)))
    assert [(s.path, s.kind) for s in facts.secrets] == [("root/.ssh/id_ed25519", "private key")]
    assert facts.contents["etc/passwd"] == b"x"
    assert len(layer_tar([F("a", b"1")])) % 512 == 0


class ShortPeek(io.BufferedReader):
    """A buffered stream whose peek returns one byte (a raw read that came back short)."""

    def peek(self, size: int = 0) -> bytes:
        return super().peek(size)[:1]


@pytest.mark.parametrize("compress", [False, True])
def test_a_layer_stream_whose_peek_is_short_is_read_whole(compress: bool) -> None:
    import gzip

    layer = layer_tar([F("etc/passwd", b"root:x:0:0::/root:/bin/sh\n"), F("app/a.py", b"x = 1\n")])
    data = gzip.compress(layer) if compress else layer
    for stream in (ShortPeek(io.BytesIO(data)), io.BufferedReader(io.BytesIO(data))):
        table = _Table()
        _read_layer(stream, table)  # type: ignore[arg-type]
        assert not table.error
        assert list(table.entries) == ["etc/passwd", "app/a.py"]
