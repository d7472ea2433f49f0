"""``python -m dockwright.daemon SOCKET``: serve commands at SOCKET until idle (``server.py``). In a
child forked for a command, :func:`~dockwright.daemon.server.serve` returns True once the child has
taken the client's streams, folder and environment: the command then runs here, at the top of the
program, as it does in a process of its own (``dockwright.launch.run``)."""

import sys

from dockwright.daemon.server import serve

if serve(sys.argv[1:]):
    from dockwright.launch import run

    run()
