"""Tiny ELF files made by the tests: an ELF header, program headers (a PT_LOAD per part, and
PT_DYNAMIC), a dynamic string table and a dynamic section, laid out the ways linkers and patchelf do."""

from __future__ import annotations

import struct
from collections.abc import Sequence

_FLAGS = {"code": 5, "strings": 4, "dynamic": 6}  # PF_R|PF_X, PF_R, PF_R|PF_W
_ORDERS = {
    "start": ("strings", "code", "dynamic"),  # ld: .dynstr right after the headers
    "after-code": ("code", "strings", "dynamic"),  # a read-only segment after the code
    "end": ("code", "dynamic", "strings"),  # patchelf: a grown .dynstr moved to the end
}


def elf(
    needed: Sequence[str] = (),
    *,
    rpath: str = "",
    runpath: str = "",
    soname: str = "",
    bits: int = 64,
    little: bool = True,
    layout: str = "start",
    code: int = 64,
    static: bool = False,
) -> bytes:
    """An ELF shared object needing ``needed`` (``static``: no PT_DYNAMIC at all); ``code`` bytes of
    filler stand for the code between the tables."""
    end = "<" if little else ">"
    wide = bits == 64
    strings = bytearray(b"\0")
    offsets: dict[str, int] = {}
    for text in (*needed, rpath, runpath, soname):
        if text and text not in offsets:
            offsets[text] = len(strings)
            strings += text.encode() + b"\0"
    tags = [(1, offsets[n]) for n in needed]
    tags += [(tag, offsets[text]) for tag, text in ((15, rpath), (29, runpath), (14, soname)) if text]
    tags += [(5, 0), (10, len(strings)), (0, 0)]  # DT_STRTAB's address filled in below
    dyn_form = end + ("qQ" if wide else "iI")
    parts = {
        "strings": bytes(strings),
        "code": b"\x90" * code,
        "dynamic": b"\0" * (len(tags) * struct.calcsize(dyn_form)),
    }
    order = _ORDERS[layout]
    ph_form = end + ("IIQQQQQQ" if wide else "IIIIIIII")
    header_size = (64 if wide else 52) + struct.calcsize(ph_form) * (len(order) + 1)
    at, placed = header_size, {}
    for name in order:
        placed[name] = at
        at += len(parts[name])
    vaddr = {name: 0x400000 + 0x1000 * index + placed[name] for index, name in enumerate(order)}
    tags[-3] = (5, vaddr["strings"])
    parts["dynamic"] = b"".join(struct.pack(dyn_form, tag, value) for tag, value in tags)

    def phdr(kind: int, flags: int, offset: int, address: int, size: int) -> bytes:
        if wide:
            return struct.pack(ph_form, kind, flags, offset, address, address, size, size, 8)
        return struct.pack(ph_form, kind, offset, address, address, size, size, flags, 8)

    phdrs = [phdr(1, _FLAGS[name], placed[name], vaddr[name], len(parts[name])) for name in order]
    dyn = placed["dynamic"], vaddr["dynamic"], len(parts["dynamic"])
    phdrs.append(phdr(0, 0, 0, 0, 0) if static else phdr(2, 6, dyn[0], dyn[1], dyn[2]))
    ident = b"\x7fELF" + bytes([2 if wide else 1, 1 if little else 2, 1]) + bytes(9)
    phentsize, ehsize = struct.calcsize(ph_form), 64 if wide else 52
    if wide:
        rest = struct.pack(
            end + "HHIQQQIHHHHHH", 3, 62, 1, 0, ehsize, 0, 0, ehsize, phentsize, len(phdrs), 64, 0, 0
        )
    else:
        rest = struct.pack(
            end + "HHIIIIIHHHHHH", 3, 3, 1, 0, ehsize, 0, 0, ehsize, phentsize, len(phdrs), 40, 0, 0
        )
    out = ident + rest + b"".join(phdrs)
    assert len(out) == header_size
    return out + b"".join(parts[name] for name in order)
