"""Changes to the files the daemon loaded, seen as they happen: Linux's inotify (through ctypes: the
standard library has no binding), on every folder of a file it read while loading and every folder of
dockwright's package (its templates and tables too). The server stops serving at the first event; a
request then costs nothing, where stating the ~1,200 files it loaded took ~3 ms of each command.
Without inotify (another system, the watch limit reached) :class:`Watch` raises OSError and the server
states the files at each request instead."""

from __future__ import annotations

import ctypes
import ctypes.util
import os
from collections.abc import Iterable

# <sys/inotify.h>: what changes a folder's entries or a file in it (no access, no open)
_EVENTS = 0x2 | 0x4 | 0x8 | 0x40 | 0x80 | 0x100 | 0x200 | 0x400 | 0x800
_ONLY_FOLDERS = 0x01000000
_FLAGS = os.O_NONBLOCK | os.O_CLOEXEC


class Watch:
    """An inotify descriptor watching ``folders``; :meth:`changed` drains it and says whether
    anything happened in one of them since it was made."""

    def __init__(self, folders: Iterable[str]) -> None:
        name = ctypes.util.find_library("c")
        libc = ctypes.CDLL(name, use_errno=True)
        descriptor = int(libc.inotify_init1(_FLAGS))
        if descriptor < 0:
            raise OSError(ctypes.get_errno(), "inotify_init1")
        self.descriptor = descriptor
        self.seen = False
        for folder in sorted(set(folders)):
            if libc.inotify_add_watch(descriptor, os.fsencode(folder), _EVENTS | _ONLY_FOLDERS) < 0:
                error = ctypes.get_errno()
                os.close(descriptor)
                raise OSError(error, f"inotify_add_watch {folder}")

    def fileno(self) -> int:
        return self.descriptor

    def changed(self) -> bool:
        try:
            while os.read(self.descriptor, 65536):
                self.seen = True
        except BlockingIOError:
            pass
        return self.seen

    def close(self) -> None:
        os.close(self.descriptor)


def watched_folders(files: Iterable[str], package: str) -> set[str]:
    """The folders of ``files``, and every folder of the package at ``package`` but its bytecode's."""
    folders = {os.path.dirname(name) for name in files}  # noqa: PTH120 (strings, as inotify takes them)
    for root, subfolders, _names in os.walk(package):
        subfolders[:] = [name for name in subfolders if name != "__pycache__"]
        folders.add(root)
    return {folder for folder in folders if folder and os.path.isdir(folder)}  # noqa: PTH112
