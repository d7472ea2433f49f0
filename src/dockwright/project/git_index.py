"""The paths git tracks in a checkout, read from its index file (``.git/index``) without running git.

The index format (https://git-scm.com/docs/index-format): a ``DIRC`` header (version 2, 3 or 4 and the
entry count), then each entry's 40 bytes of stat data, its object name (20 bytes, 32 in a SHA-256
repository), 16 bits of flags (and 16 more in version 3 when the extended flag is set) and its path:
NUL-terminated and padded to a multiple of 8 bytes in versions 2 and 3; in version 4 a varint of how
many bytes to drop from the previous path, then the rest, NUL-terminated, unpadded.
"""

from __future__ import annotations

import struct

from dockwright.project.tree import ProjectTree

_STAT = 40  # ctime, mtime (8 each), dev, ino, mode, uid, gid, size (4 each)
_EXTENDED = 0x4000


def tracked_paths(tree: ProjectTree) -> frozenset[str] | None:
    """Every path the checkout's index holds; None when the tree is no git checkout with an index this
    reader knows (a worktree's ``.git`` file, a split or sparse index, another version)."""
    if not tree.is_file(".git/index"):
        return None
    try:
        data = tree.read_bytes(".git/index")
        config = tree.read_text(".git/config") if tree.is_file(".git/config") else ""
    except (OSError, UnicodeDecodeError):
        return None
    digest = 32 if "objectformat = sha256" in config.lower().replace("\t", " ") else 20
    try:
        return _paths(data, digest)
    except (struct.error, IndexError, ValueError):
        return None


def _paths(data: bytes, digest: int) -> frozenset[str] | None:
    signature, version, count = struct.unpack_from(">4sII", data, 0)
    if signature != b"DIRC" or version not in (2, 3, 4):
        return None
    at, previous, out = 12, b"", set()
    for _ in range(count):
        start = at
        (flags,) = struct.unpack_from(">H", data, at + _STAT + digest)
        at += _STAT + digest + 2
        if version >= 3 and flags & _EXTENDED:
            at += 2
        if version == 4:
            drop, at = _varint(data, at)
            end = data.index(b"\0", at)
            path = previous[: len(previous) - drop] + data[at:end]
            at = end + 1
        else:
            end = data.index(b"\0", at)
            path = data[at:end]
            at = start + ((end - start) // 8 + 1) * 8  # NUL-padded to a multiple of 8
        previous = path
        if not path:
            return None
        out.add(path.decode("utf-8", "surrogateescape"))
    # the extensions after the entries: a split index (`link`) keeps entries in another file, a sparse
    # index (`sdir`) folds folders into one entry: neither lists every tracked path here
    while at + 8 <= len(data) - digest:
        signature, size = struct.unpack_from(">4sI", data, at)
        if signature in (b"link", b"sdir"):
            return None
        at += 8 + size
    return frozenset(out)


def _varint(data: bytes, at: int) -> tuple[int, int]:
    """Git's offset varint (each continuation adds one before shifting), and where it ends."""
    byte = data[at]
    value = byte & 0x7F
    at += 1
    while byte & 0x80:
        byte = data[at]
        value = ((value + 1) << 7) | (byte & 0x7F)
        at += 1
    return value, at
