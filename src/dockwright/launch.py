"""The ``dockwright`` command's entry point (console script and ``python -m dockwright``).

Before the command line interface loads (click, the verbs, the engine's modules: ~50 ms), an audit
of a local Docker image asks for the image's export (:func:`dockwright.audit.prefetch.start_early`),
which Docker prepares for most of the audit's time. Then :func:`dockwright.cli.main` parses the same
arguments as always; the audit takes the save already under way.

After such an audit the process ends without the interpreter's teardown (:func:`quick_exit`): the
report is out, and freeing every module and table took 30-80 ms more on the shared 2-core machine
(2-17 ms with ``os._exit``), a tenth of what separated the audit from dive. The exit handlers run
and the standard streams are flushed first, as at a normal exit; the normal exit is kept when a
thread that is not a daemon still runs or a stream cannot be flushed (a closed pipe: Python's own
message and exit status then).
"""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    """:func:`dockwright.cli.main`, an audit's save sent first (see the module's notes)."""
    from dockwright.audit.prefetch import start_early

    start_early(sys.argv[1:] if argv is None else argv)
    from dockwright.cli import main as cli_main

    return cli_main(argv)


def quick_exit(code: int) -> None:
    """End the process with ``code`` as a normal exit would, without the teardown: the exit
    handlers run and ``sys.stdout``/``sys.stderr`` are flushed, then ``os._exit``. Returns (and the
    caller exits normally) when another thread that is not a daemon is alive or a flush fails."""
    import atexit
    import os
    import threading

    main_thread = threading.main_thread()
    if any(t is not main_thread and not t.daemon and t.is_alive() for t in threading.enumerate()):
        return  # a normal exit waits for it
    atexit._run_exitfuncs()  # what a normal exit runs first (and then forgets them)
    try:
        for stream in (sys.stdout, sys.stderr):
            if stream is not None:
                stream.flush()
    except (OSError, ValueError):
        return  # the normal exit reports it as it always has
    os._exit(code)


def run() -> None:
    """Console-script wrapper: exit with :func:`main`'s code (after an audit of a local image's
    save, through :func:`quick_exit`)."""
    from dockwright.audit.prefetch import command_image

    args = sys.argv[1:]
    code = main()
    if command_image(args) is not None:
        quick_exit(code)
    sys.exit(code)
