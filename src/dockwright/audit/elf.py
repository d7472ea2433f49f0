"""The dynamic-linking needs of an ELF file, read forward-only from a layer stream.

Only what the audit's ``shared-libs`` check asks is read: the ELF header, the program headers, the
``PT_DYNAMIC`` segment (``DT_NEEDED``, ``DT_RPATH``, ``DT_RUNPATH``, ``DT_SONAME``, ``DT_STRTAB``,
``DT_STRSZ``) and the bytes of the dynamic string table those entries point into; 32- and 64-bit,
little- and big-endian. Field layouts: the System V ABI, "ELF Header", "Program Header" and "Dynamic
Section" (https://refspecs.linuxfoundation.org/elf/gabi4+/contents.html), and ``elf(5)``.

A layer is a stream: a file's bytes go by once. On its way to the dynamic segment the reader keeps the
file's first bytes and the first bytes of each read-only PT_LOAD (at most :data:`PREFIX_LIMIT` each:
linkers put ``.dynstr`` at the start of the file, or of the read-only segment that follows the code),
skips the rest, and finds the string table in a kept part or further on (where ``patchelf``, run by
``auditwheel repair``, moves a grown ``.dynstr``): memory stays bounded whatever the file's size.
"""

from __future__ import annotations

import struct
from collections.abc import Callable
from typing import NamedTuple

ELF_MAGIC = b"\x7fELF"
PREFIX_LIMIT = 8 << 20  # bytes of each part of a file kept while looking for its string table
_PIECE = 1 << 20
TABLE_LIMIT = 8 << 20  # largest dynamic segment or string table read

_PT_LOAD, _PT_DYNAMIC = 1, 2
_DT_NULL, _DT_NEEDED, _DT_STRTAB, _DT_STRSZ, _DT_SONAME, _DT_RPATH, _DT_RUNPATH = 0, 1, 5, 10, 14, 15, 29


class ElfDeps(NamedTuple):
    """What the dynamic loader reads from one ELF file to find the libraries it needs."""

    needed: tuple[str, ...]  # DT_NEEDED, in order
    rpath: str = ""  # DT_RPATH, ':'-separated, $ORIGIN unexpanded
    runpath: str = ""  # DT_RUNPATH, likewise (when set, the loader ignores DT_RPATH)
    soname: str = ""
    error: str = ""  # why the file could not be read (then needed is empty)


class ElfError(ValueError):
    """Not an ELF file the reader understands, or one whose tables lie beyond its limits."""


class _Layout(NamedTuple):
    little: bool
    wide: bool  # 64-bit
    loads: tuple[tuple[int, int, int, int], ...]  # (vaddr, offset, filesz, flags) of each PT_LOAD
    dynamic: tuple[int, int] | None  # (offset, filesz) of PT_DYNAMIC


def _layout(head: bytes) -> _Layout:
    """The ELF header and program headers, from a prefix of the file that holds them."""
    if len(head) < 52 or not head.startswith(ELF_MAGIC):
        raise ElfError("not an ELF file")
    klass, data = head[4], head[5]
    if klass not in (1, 2) or data not in (1, 2):
        raise ElfError(f"unknown ELF class {klass} or data encoding {data}")
    wide, end = klass == 2, "<" if data == 1 else ">"
    if wide:
        if len(head) < 64:
            raise ElfError("truncated ELF header")
        phoff, phentsize, phnum = (
            struct.unpack_from(end + "Q", head, 32)[0],
            *struct.unpack_from(end + "HH", head, 54),
        )
        entry = end + "IIQQQQQQ"  # p_type, p_flags, p_offset, p_vaddr, p_paddr, p_filesz, p_memsz, p_align
    else:
        phoff, phentsize, phnum = (
            struct.unpack_from(end + "I", head, 28)[0],
            *struct.unpack_from(end + "HH", head, 42),
        )
        entry = end + "IIIIIIII"  # p_type, p_offset, p_vaddr, p_paddr, p_filesz, p_memsz, p_flags, p_align
    size = struct.calcsize(entry)
    if phnum and (phentsize < size or phoff + phentsize * phnum > len(head)):
        raise ElfError("program headers beyond the file's first bytes")
    loads: list[tuple[int, int, int, int]] = []
    dynamic = None
    for index in range(phnum):
        row = struct.unpack_from(entry, head, phoff + index * phentsize)
        if wide:
            kind, flags, offset, vaddr, filesz = row[0], row[1], row[2], row[3], row[5]
        else:
            kind, offset, vaddr, filesz, flags = row[0], row[1], row[2], row[4], row[6]
        if kind == _PT_LOAD:
            loads.append((vaddr, offset, filesz, flags))
        elif kind == _PT_DYNAMIC and dynamic is None:
            dynamic = (offset, filesz)
    return _Layout(data == 1, wide, tuple(loads), dynamic)


def _entries(layout: _Layout, table: bytes) -> list[tuple[int, int]]:
    form = ("<" if layout.little else ">") + ("qQ" if layout.wide else "iI")
    step = struct.calcsize(form)
    out = []
    for at in range(0, len(table) - step + 1, step):
        tag, value = struct.unpack_from(form, table, at)
        if tag == _DT_NULL:
            break
        out.append((tag, value))
    return out


def _file_offset(layout: _Layout, address: int) -> int:
    """The file offset of virtual ``address`` (through the PT_LOAD that maps it)."""
    for vaddr, offset, filesz, _ in layout.loads:
        if vaddr <= address < vaddr + filesz:
            return address - vaddr + offset
    raise ElfError(f"DT_STRTAB {address:#x} is in no loaded segment")


def _string(table: tuple[bytes | bytearray, int, int], at: int) -> str:
    """The string at offset ``at`` of the string table ``table`` (buffer, start, end)."""
    data, start, end = table
    if not 0 <= at < end - start:
        raise ElfError(f"string offset {at} beyond the part of the dynamic string table read")
    stop = data.find(b"\0", start + at, end)
    return bytes(data[start + at : stop if stop >= 0 else end]).decode("utf-8", "surrogateescape")


def _windows(layout: _Layout, before: int) -> list[tuple[int, int]]:
    """The parts of the file kept on the way to its dynamic segment (which starts at ``before``): the
    first bytes, and the first bytes of each read-only PT_LOAD (a linker that puts code first puts
    ``.dynstr`` there), each at most PREFIX_LIMIT, merged, in file order."""
    spans = [(0, PREFIX_LIMIT)]
    spans += [
        (offset, offset + min(filesz, PREFIX_LIMIT))
        for _, offset, filesz, flags in layout.loads
        if not flags & 3
    ]
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans)[:4]:
        end = min(end, before)
        if start >= end:
            continue
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def read_deps(read: Callable[[int], bytes], skip: Callable[[int], None], size: int) -> ElfDeps:
    """The needs of the ELF file of ``size`` bytes whose content ``read(n)`` returns in order
    (``skip(n)`` passes bytes by): no byte is read twice. A static file needs nothing."""
    at = 0
    kept: list[tuple[int, bytearray]] = []  # (offset, bytes) of the parts kept, in file order

    def take(count: int) -> bytes:
        nonlocal at
        data = read(count)
        at += len(data)
        return data

    def seek(offset: int) -> None:
        nonlocal at
        if offset > at:
            skip(offset - at)
            at = offset

    def part(offset: int, count: int) -> tuple[bytes | bytearray, int, int]:
        """The ``count`` bytes at ``offset`` as (buffer, start, end): in a kept part (not copied; cut
        at its end), else read on (forward only)."""
        for start, data in kept:
            if start <= offset < start + len(data):
                return data, offset - start, min(offset - start + count, len(data))
        if offset < at:
            raise ElfError(f"dynamic table at {offset} lies in a part of the file not kept")
        seek(offset)
        later = take(count)
        return later, 0, len(later)

    head = take(min(size, 4096))
    kept.append((0, bytearray(head)))
    layout = _layout(head)
    if layout.dynamic is None:
        return ElfDeps(())
    dyn_offset, dyn_size = layout.dynamic
    if dyn_size > TABLE_LIMIT or dyn_offset + dyn_size > size:
        raise ElfError("dynamic segment too large or beyond the file")
    for start, end in _windows(layout, dyn_offset):
        if end > at:
            seek(start)
            last = kept[-1]
            if last[0] + len(last[1]) != at:  # else contiguous: one part, so no table is cut in two
                last = (at, bytearray())
                kept.append(last)
            while at < end:  # in pieces: no second copy of the part while it grows
                piece = take(min(end - at, _PIECE))
                if not piece:
                    break
                last[1].extend(piece)
    data, start, end = part(dyn_offset, dyn_size)
    entries = _entries(layout, bytes(data[start:end]))
    tags: dict[int, int] = {}
    for tag, value in entries:
        tags.setdefault(tag, value)  # the first of each
    if _DT_STRTAB not in tags:
        if _DT_NEEDED in tags:
            raise ElfError("DT_NEEDED without DT_STRTAB")
        return ElfDeps(())
    str_offset = _file_offset(layout, tags[_DT_STRTAB])
    str_size = min(tags.get(_DT_STRSZ, TABLE_LIMIT), TABLE_LIMIT, max(size - str_offset, 0))
    strings = part(str_offset, str_size)  # may be cut at a kept part's end: _string says so

    def text(tag: int) -> str:
        return _string(strings, tags[tag]) if tag in tags else ""

    needed = tuple(_string(strings, value) for tag, value in entries if tag == _DT_NEEDED)
    return ElfDeps(needed, text(_DT_RPATH), text(_DT_RUNPATH), text(_DT_SONAME))


def deps_of_bytes(data: bytes) -> ElfDeps:
    """:func:`read_deps` of a whole file held in memory (tests, small files)."""
    at = 0

    def read(count: int) -> bytes:
        nonlocal at
        piece = data[at : at + count]
        at += len(piece)
        return piece

    def skip(count: int) -> None:
        nonlocal at
        at += count

    return read_deps(read, skip, len(data))
