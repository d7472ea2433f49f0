"""Copy a connected socket to stdout, a pipe: the Engine API's answer to a save, moved out of the
audit's process (see :mod:`dockwright.engine.docker_api`).

Run as a script by its path (``python -I -S .../save_relay.py FD``, the socket inherited as file
descriptor FD): it imports only ``os`` and ``sys``, so it starts in ~10 ms. Where Linux offers it,
``splice`` moves the bytes kernel to kernel (nothing is copied through this process); elsewhere a
read/write loop. Exit status 0 at the socket's end, 1 on an error (its message on stderr).
"""

from __future__ import annotations

import os
import sys

CHUNK = 1 << 20


def relay(source: int, sink: int) -> None:
    splice = getattr(os, "splice", None)
    moved = False
    if splice is not None:
        try:
            while splice(source, sink, CHUNK):
                moved = True
            return
        except OSError:
            if moved:
                raise
            # no splice between these two (nothing was moved): copy
    while data := os.read(source, CHUNK):
        view = memoryview(data)
        while view:
            view = view[os.write(sink, view) :]


if __name__ == "__main__":
    try:
        relay(int(sys.argv[1]), sys.stdout.fileno())
    except OSError as error:
        sys.stderr.write(f"{error.strerror or error}\n")
        sys.exit(1)
