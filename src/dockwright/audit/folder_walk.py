"""A layer's file table from its unpacked folder in the engine's store (:mod:`.engine.store_folders`).

The table is the one the layer's tar would give (:func:`dockwright.audit.image._record` fills both):
Docker's export walks the same folder the same way, so the folder is walked in its order (depth
first, names sorted as bytes), a second name of a file already seen in the layer is a hard link to
the first, and the overlay filesystem's marks are read back as the tar's: a character device 0/0 is a
whiteout (``.wh.NAME``), a folder whose ``trusted.overlay.opaque`` is ``y`` an opaque one
(``.wh..wh..opq``). A file's bytes are read only when the table keeps or scans them.

A layer's original tar (which ``docker save`` gives back) may list a hard-linked file's names in
another order, so which name is "the file" can differ from the save's. The bytes are therefore judged
under every name of the file (scanned, captured, read for ELF needs as that name qualifies): a key
linked as ``a.png`` beside ``settings.py`` is found whichever name comes first.
"""

from __future__ import annotations

import contextlib
import os
import stat
from pathlib import Path
from typing import TYPE_CHECKING

from dockwright.audit.tarwalk import TarMember
from dockwright.engine.store_folders import OPAQUE_XATTR

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    from dockwright.audit.image import _Table
    from dockwright.audit.secret_scan import Scanner

    Record = Callable[["FileContent", TarMember, _Table, Scanner], None]
    Judge = Callable[["FileContent", str, int, int, _Table, Scanner], None]


class FileContent:
    """One file's bytes as the tar walker hands a member's (``peek``, ``read``, ``skip``), opened at
    the first ask."""

    sparse = False

    def __init__(self, path: bytes) -> None:
        self._path = path
        self._file: int | None = None
        self._head = b""

    def _fd(self) -> int:
        if self._file is None:
            self._file = os.open(self._path, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC)
        return self._file

    def _read(self, count: int) -> bytes:
        fd = self._fd()
        parts = []
        while count > 0:
            data = os.read(fd, count)
            if not data:
                break
            parts.append(data)
            count -= len(data)
        return b"".join(parts)

    def peek(self, count: int) -> bytes:
        if len(self._head) < count:
            self._head += self._read(count - len(self._head))
        return self._head[:count]

    def read(self, count: int) -> bytes:
        head, self._head = self._head[:count], self._head[count:]
        return head + self._read(count - len(head))

    def skip(self, count: int) -> None:
        kept = min(count, len(self._head))
        self._head = self._head[kept:]
        if count > kept:
            os.lseek(self._fd(), count - kept, os.SEEK_CUR)

    def close(self) -> None:
        if self._file is not None:
            os.close(self._file)
            self._file = None


def walk_folder(folder: Path, table: _Table, scanner: Scanner, record: Record, judge: Judge) -> None:
    """Fill ``table`` from the layer's ``folder`` (``record``: the tar walk's per-member step; ``judge``:
    its reading of a regular file's bytes, run for each further name of a hard-linked file too). An
    OSError (a folder removed while read, a path too long for the system) is the caller's: it then
    reads the engine's export instead."""
    seen: dict[tuple[int, int], str] = {}  # a multiply-linked file's (device, inode): its first name
    # depth first, each folder's names sorted: a stack of the folders' remaining entries (no recursion,
    # however deep the layer's tree)
    stack = [(_sorted_entries(os.fsencode(folder)), "")]
    while stack:
        entries, prefix = stack[-1]
        entry = next(entries, None)
        if entry is None:
            stack.pop()
            continue
        path = prefix + os.fsdecode(entry.name)
        if _record_entry(entry, path, table, scanner, record, judge, seen):
            stack.append((_sorted_entries(entry.path), path + "/"))


def _sorted_entries(folder: bytes) -> Iterator[os.DirEntry[bytes]]:
    with os.scandir(folder) as listing:
        return iter(sorted(listing, key=lambda entry: entry.name))


def _record_entry(
    entry: os.DirEntry[bytes],
    path: str,
    table: _Table,
    scanner: Scanner,
    record: Record,
    judge: Judge,
    seen: dict[tuple[int, int], str],
) -> bool:
    """Record one entry as its tar member would be; True when it is a folder to walk into."""
    info = entry.stat(follow_symlinks=False)
    mode = info.st_mode
    if stat.S_ISCHR(mode) and info.st_rdev == 0:
        table.whiteouts.append(path)
        return False
    if stat.S_ISDIR(mode):
        record(FileContent(entry.path), _member(path, b"5", 0, info), table, scanner)
        if _opaque(entry.path):
            table.opaque.append(path)
        return True
    if stat.S_ISLNK(mode):
        target = os.fsdecode(os.readlink(entry.path))  # noqa: PTH115 - bytes in, bytes out
        record(FileContent(entry.path), _member(path, b"2", 0, info, target), table, scanner)
        return False
    if not stat.S_ISREG(mode):  # a device, a FIFO, a socket: never opened
        record(FileContent(entry.path), _member(path, b"3", 0, info), table, scanner)
        return False
    if info.st_nlink > 1:
        first = seen.setdefault((info.st_dev, info.st_ino), path)
        if first != path:
            record(FileContent(entry.path), _member(path, b"1", 0, info, first), table, scanner)
            if info.st_size:  # the bytes judged under this name too: which name a tar lists first
                with contextlib.closing(FileContent(entry.path)) as content:  # decides nothing
                    judge(content, path, info.st_size, stat.S_IMODE(mode), table, scanner)
            return False
    with contextlib.closing(FileContent(entry.path)) as content:
        record(content, _member(path, b"0", info.st_size, info), table, scanner)
    return False


def _member(path: str, kind: bytes, size: int, info: os.stat_result, link: str = "") -> TarMember:
    return TarMember(path, kind, size, stat.S_IMODE(info.st_mode), info.st_uid, info.st_gid, link)


def _opaque(folder: bytes) -> bool:
    try:
        return os.getxattr(folder, OPAQUE_XATTR, follow_symlinks=False) == b"y"
    except OSError:  # no such attribute (ENODATA), or none on this filesystem
        return False
