"""The forward-only ELF reader (dockwright.audit.elf) on tiny ELF files made by the tests."""

from __future__ import annotations

import io
import tarfile

import pytest
from elf_files import elf

from dockwright.audit import elf as elf_module
from dockwright.audit.elf import ElfDeps, ElfError, deps_of_bytes, read_deps
from dockwright.audit.image import _read_layer, _Table


@pytest.mark.parametrize("bits", [32, 64])
@pytest.mark.parametrize("little", [True, False])
@pytest.mark.parametrize("layout", ["start", "after-code", "end"])
def test_needs_of_every_class_order_and_layout(bits: int, little: bool, layout: str) -> None:
    data = elf(
        ["libGL.so.1", "libc.so.6"],
        rpath="$ORIGIN/../pkg.libs",
        soname="libfoo.so.1",
        bits=bits,
        little=little,
        layout=layout,
    )
    assert deps_of_bytes(data) == ElfDeps(
        ("libGL.so.1", "libc.so.6"), "$ORIGIN/../pkg.libs", "", "libfoo.so.1"
    )


def test_runpath_and_static() -> None:
    assert deps_of_bytes(elf(["libz.so.1"], runpath="/opt/lib:$ORIGIN")).runpath == "/opt/lib:$ORIGIN"
    assert deps_of_bytes(elf(["libz.so.1"], static=True)) == ElfDeps(())


@pytest.mark.parametrize(
    "data",
    [b"\x7fELF" + bytes(20), b"MZ" + bytes(100), b"\x7fELF\x03\x01" + bytes(100)],
    ids=["truncated", "not-elf", "bad-class"],
)
def test_unreadable_files_raise(data: bytes) -> None:
    with pytest.raises(ElfError):
        deps_of_bytes(data)


def test_string_table_in_a_part_not_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    """Memory stays bounded: past the first bytes kept, what lies before the dynamic segment is
    skipped (but a read-only segment's start, see the next test), so a string there is not read."""
    monkeypatch.setattr(elf_module, "PREFIX_LIMIT", 256)
    names = [f"lib{index:03d}{'x' * 100}.so" for index in range(60)]  # ~6.5 KiB of strings
    with pytest.raises(ElfError, match="string offset"):
        deps_of_bytes(elf(names, layout="start"))
    monkeypatch.setattr(elf_module, "PREFIX_LIMIT", 8 << 20)
    assert deps_of_bytes(elf(names, layout="start")).needed == tuple(names)


def test_read_only_segment_after_the_code_is_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(elf_module, "PREFIX_LIMIT", 512)
    data = elf(["libGL.so.1"], layout="after-code", code=5000)
    assert deps_of_bytes(data).needed == ("libGL.so.1",)


def test_no_byte_is_read_twice_and_big_gaps_are_skipped() -> None:
    data = elf(["libGL.so.1"], layout="end", code=3 << 20)
    stream = io.BytesIO(data)
    reads: list[int] = []

    def read(count: int) -> bytes:
        reads.append(count)
        return stream.read(count)

    deps = read_deps(read, lambda count: stream.seek(count, 1) and None, len(data))
    assert deps.needed == ("libGL.so.1",)
    assert stream.tell() == len(data)  # the strings at the end were reached by skipping forward
    assert sum(reads) <= len(data)


def _layer(files: dict[str, tuple[bytes, int]]) -> bytes:
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w") as tar:
        for name, (data, mode) in files.items():
            info = tarfile.TarInfo(name)
            info.size, info.mode = len(data), mode
            tar.addfile(info, io.BytesIO(data))
    return out.getvalue()


def test_layer_walk_reads_candidates_only() -> None:
    sp = "opt/venv/lib/python3.12/site-packages"
    so = elf(["libGL.so.1"], layout="end", code=70000)
    files = {
        f"{sp}/cv2/cv2.abi3.so": (so, 0o644),
        f"{sp}/cv2/data.bin": (so, 0o644),  # not a shared object, not executable
        "opt/venv/bin/tool": (elf(["libz.so.1"]), 0o755),
        "usr/lib/x86_64-linux-gnu/libfoo.so.1": (so, 0o644),  # the OS's: dpkg's business
        "usr/lib/python3/dist-packages/apt_pkg.so": (so, 0o644),
        f"{sp}/after.txt": (b"AKIA" + b"A" * 16 + b"\n", 0o644),  # the walk goes on after an ELF file
    }
    table = _Table()
    _read_layer(io.BytesIO(_layer(files)), table)
    assert table.error == ""
    assert sorted(table.elf) == ["opt/venv/bin/tool", f"{sp}/cv2/cv2.abi3.so"]
    assert table.elf[f"{sp}/cv2/cv2.abi3.so"].needed == ("libGL.so.1",)
    assert f"{sp}/after.txt" in table.entries
    assert [hit[0] for hit in table.secrets] == [f"{sp}/after.txt"]  # its content read, not an ELF's


def test_an_unreadable_elf_file_is_recorded_not_raised() -> None:
    sp = "usr/local/lib/python3.12/site-packages"
    table = _Table()
    cut = elf(["libz.so.1"])[:100]  # program headers cut off
    _read_layer(io.BytesIO(_layer({f"{sp}/bad.so": (cut, 0o644)})), table)
    assert table.error == ""
    assert table.elf[f"{sp}/bad.so"].error
