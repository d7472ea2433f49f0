"""The audit's tar reader reads what ``tarfile`` reads: same members, fields and content, same ends."""

from __future__ import annotations

import io
import shutil
import subprocess
import tarfile
from pathlib import Path

import pytest

from dockwright.audit.tarwalk import TarFormatError, TarWalker

LIMIT = 70_000

Row = tuple[str, str, int, int, int, int, str, bytes]


def _kind(member: tarfile.TarInfo) -> str:
    if member.isfile():
        return "file"
    if member.isdir():
        return "dir"
    if member.issym():
        return "symlink"
    if member.islnk():
        return "hardlink"
    return "other"


def with_tarfile(data: bytes) -> tuple[list[Row], bool]:
    rows: list[Row] = []
    try:
        with tarfile.open(fileobj=io.BytesIO(data), mode="r|*") as tar:
            for m in tar:
                content = b""
                if m.isfile():
                    handle = tar.extractfile(m)
                    assert handle is not None
                    content = handle.read(LIMIT)
                rows.append((m.name, _kind(m), m.size, m.mode, m.uid, m.gid, m.linkname, content))
    except (tarfile.TarError, EOFError):
        return rows, True
    return rows, False


def with_walker(data: bytes) -> tuple[list[Row], bool]:
    rows: list[Row] = []
    walker = TarWalker(io.BytesIO(data), chunk=4096)  # small chunks: members straddle reads
    try:
        for m in walker:
            kind = (
                "file"
                if m.isfile()
                else "dir"
                if m.isdir()
                else "symlink"
                if m.issym()
                else "hardlink"
                if m.islnk()
                else "other"
            )
            content = walker.read(LIMIT) if m.isfile() else b""
            rows.append((m.name, kind, m.size, m.mode, m.uid, m.gid, m.linkname, content))
    except TarFormatError:
        return rows, True
    return rows, False


def _archive(fmt: int, pax_headers: dict[str, str] | None = None) -> bytes:
    out = io.BytesIO()
    long_dir = "usr/lib/python3.11/site-packages/" + "a-very-long-package-name/" * 5
    with tarfile.open(fileobj=out, mode="w", format=fmt, pax_headers=pax_headers or {}) as tar:

        def add(name: str, kind: bytes = tarfile.REGTYPE, data: bytes = b"", **fields: object) -> None:
            info = tarfile.TarInfo(name)
            info.type = kind
            info.size = len(data)
            info.mode = 0o644
            for key, value in fields.items():
                setattr(info, key, value)
            tar.addfile(info, io.BytesIO(data) if data else None)

        add("etc", tarfile.DIRTYPE, mode=0o755)
        add("etc/passwd", data=b"root:x:0:0:root:/root:/bin/sh\n")
        add(long_dir.rstrip("/"), tarfile.DIRTYPE)  # ustar: prefix + name; gnu: L; pax: path
        add(long_dir + "module_with_a_long_name.py", data=b"x = 1\n" * 50_000)  # > LIMIT
        add("app/.wh.old.txt")  # a whiteout
        add("app/.wh..wh..opq")  # an opaque folder
        long_links = fmt != tarfile.USTAR_FORMAT  # ustar has no long link names
        add("bin/python", tarfile.SYMTYPE, linkname="python3." + "1" * (120 if long_links else 2))
        add("bin/hard", tarfile.LNKTYPE, linkname="etc/passwd" if not long_links else long_dir + "x.py")
        add("dev/fifo", tarfile.FIFOTYPE)
        add("srv/ünïcode-名前.txt", data=b"text\n")
        add("empty.txt")
        if fmt != tarfile.USTAR_FORMAT:
            add("big-ids", data=b"ids\n", uid=8**8 + 5, gid=8**9)  # base-256 (gnu) / pax records
    return out.getvalue()


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(_archive(tarfile.USTAR_FORMAT), id="ustar"),
        pytest.param(_archive(tarfile.GNU_FORMAT), id="gnu"),
        pytest.param(_archive(tarfile.PAX_FORMAT), id="pax"),
        pytest.param(_archive(tarfile.PAX_FORMAT, {"comment": "global"}), id="pax-global"),
    ],
)
def test_members_and_content_match_tarfile(data: bytes) -> None:
    expected, failed = with_tarfile(data)
    assert not failed and len(expected) >= 11
    assert with_walker(data) == (expected, False)


def test_v7_directory_and_base256_and_hardlink_fields() -> None:
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w", format=tarfile.GNU_FORMAT) as tar:
        v7 = tarfile.TarInfo("old/")
        v7.type = tarfile.AREGTYPE
        tar.addfile(v7)
        big = tarfile.TarInfo("f")
        big.uid = 2**40
        tar.addfile(big)
    rows, failed = with_walker(out.getvalue())
    assert not failed
    assert rows[0][:2] == ("old", "dir")
    assert rows[1][4] == 2**40
    assert with_tarfile(out.getvalue()) == (rows, False)


def test_cut_or_damaged_archives_end_like_tarfile() -> None:
    data = _archive(tarfile.PAX_FORMAT)
    cuts = sorted({*range(0, len(data), 512), *range(100, len(data), 4099), len(data) - 1})
    for cut in cuts:
        expected, failed = with_tarfile(data[:cut])
        rows, _ = with_walker(data[:cut])
        if not failed:
            assert with_walker(data[:cut]) == (expected, False), cut
        else:  # tarfile reads 8 kB ahead in a file: a cut just after the part read fails there
            assert rows[: len(expected)] == expected and len(rows) <= len(expected) + 1, cut
    damaged = bytearray(data)
    damaged[600] ^= 0xFF  # inside the second header's name: its checksum no longer matches
    assert with_walker(bytes(damaged)) == with_tarfile(bytes(damaged))


def test_empty_stream_and_garbage_are_errors_and_zero_blocks_an_empty_archive() -> None:
    assert with_walker(b"") == ([], True)
    assert with_walker(b"not a tar archive" * 40) == ([], True)
    assert with_walker(b"\0" * 1024) == ([], False)


def _sparse_file(folder: Path) -> Path:
    path = folder / "sparse.bin"
    with path.open("wb") as handle:
        handle.truncate(3 * 1024 * 1024)
        for offset in (0, 1024 * 1024 + 7, 3 * 1024 * 1024 - 5):
            handle.seek(offset)
            handle.write(b"DATA%d" % offset)
    return path


@pytest.mark.skipif(shutil.which("tar") is None, reason="GNU tar writes the sparse archives")
@pytest.mark.parametrize(
    "options",
    [
        pytest.param(["--format=gnu"], id="gnu-old"),
        pytest.param(["--format=posix", "--sparse-version=0.0"], id="pax-0.0"),
        pytest.param(["--format=posix", "--sparse-version=0.1"], id="pax-0.1"),
        pytest.param(["--format=posix", "--sparse-version=1.0"], id="pax-1.0"),
    ],
)
def test_sparse_files_read_like_tarfile(tmp_path: Path, options: list[str]) -> None:
    source = _sparse_file(tmp_path)
    (tmp_path / "after.txt").write_text("after the sparse file\n")
    archive = tmp_path / "out.tar"
    done = subprocess.run(
        ["tar", "--sparse", *options, "-cf", str(archive), "-C", str(tmp_path), source.name, "after.txt"],
        capture_output=True,
        check=False,
    )
    if done.returncode != 0:
        pytest.skip(f"tar {' '.join(options)}: {done.stderr.decode(errors='replace').strip()}")
    data = archive.read_bytes()
    expected, failed = with_tarfile(data)
    assert not failed and expected[0][2] == source.stat().st_size
    assert with_walker(data) == (expected, False)
