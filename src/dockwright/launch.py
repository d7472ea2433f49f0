"""The ``dockwright`` command's entry point (console script and ``python -m dockwright``).

Before the command line interface loads (click, the verbs, the engine's modules: ~50 ms), an audit
of a local Docker image asks for the image's export (:func:`dockwright.audit.prefetch.start_early`),
which Docker prepares for most of the audit's time. Then :func:`dockwright.cli.main` parses the same
arguments as always; the audit takes the save already under way.

Every command ends without the interpreter's teardown (:func:`arm_quick_exit`): its output is out,
and freeing every module and table took 30-80 ms more on the shared 2-core machine (2-17 ms with
``os._exit``): a tenth of what separated the audit from dive (docs/lean.md, auditspeed7), ~40 ms of
a 0.4 s ``dockwright build`` after an edit (its ~300 planning modules). The exit itself stays the
normal one (``sys.exit``): it waits for the threads that are not daemons and runs the exit handlers;
the last handler, registered before any other (:mod:`atexit` runs them in reverse order of
registration, as documented), flushes the standard streams and calls ``os._exit`` with the same
status. A flush that fails (a closed pipe) leaves the normal teardown to report it with Python's own
message and status, as before; so does an exception out of ``main``. Only public, documented calls
(no ``atexit._run_exitfuncs``). The price: a handler registered before the command starts (by a
``.pth`` or ``sitecustomize`` file) would run after this one, so not at all. A venv has none at that
point (``uv venv``, 3.11: 0); this machine's system Python has one, certifi's (imported by the
sandboxing harness's ``.pth``: it deletes a certificate file extracted from a zipped certifi only).
"""

from __future__ import annotations

import sys

TYPE_CHECKING = False  # mypy reads it as typing.TYPE_CHECKING; nothing more loads before the save
if TYPE_CHECKING:
    from collections.abc import Callable


def main(argv: list[str] | None = None) -> int:
    """:func:`dockwright.cli.main`, an audit's save sent first (see the module's notes)."""
    from dockwright.audit.prefetch import start_early

    start_early(sys.argv[1:] if argv is None else argv)
    from dockwright.cli import main as cli_main

    return cli_main(argv)


def arm_quick_exit() -> Callable[[int], None]:
    """Register (now, so that it runs after every handler registered later) the exit handler that
    ends the process without the teardown once the normal exit has waited for its threads and run
    the other handlers: ``sys.stdout``/``sys.stderr`` flushed, then ``os._exit`` with the status given
    to the returned function. Nothing happens when that function was never called (``main`` raised)
    or a flush fails: the normal exit goes on."""
    import atexit

    status: list[int] = []

    def finish() -> None:
        import os

        from dockwright import daemon_client

        if not status:
            daemon_client.run_after_answer()  # held for after the answer: now, before the exit
            return
        try:
            for stream in (sys.stdout, sys.stderr):
                if stream is not None:
                    stream.flush()
        except (OSError, ValueError):
            daemon_client.run_after_answer()
            return  # the normal exit reports it as it always has
        daemon_client.report_end(status[0])  # a served command's client exits now
        daemon_client.run_after_answer()  # what it held for after the answer (a cache's writes)
        os._exit(status[0])

    atexit.register(finish)
    return status.append


def _send_save() -> int:
    """For the daemon's client, once a server may take the command: an audit's save sent now
    (:func:`dockwright.audit.prefetch.send_early`), ~10 ms before the served child could; its
    connection's descriptor, or -1. Nothing is imported for another command."""
    if "audit" not in sys.argv[1:]:
        return -1
    from dockwright.audit.prefetch import send_early

    sent = send_early(sys.argv[1:])
    return -1 if sent is None else sent


def run() -> None:
    """Console-script wrapper: the command handed to dockwright's daemon when one serves this
    installation (:mod:`dockwright.daemon_client`: it exits with the command's status), else run
    here and the daemon started for the next command; exit with :func:`main`'s code, without the
    teardown (:func:`arm_quick_exit`, armed before anything registers a handler)."""
    from dockwright import daemon_client

    quick = arm_quick_exit()
    served = daemon_client.served(sys.argv[1:], _send_save)
    if served is not None:
        quick(served)
        sys.exit(served)
    code = main()
    daemon_client.start_if_absent()
    quick(code)
    sys.exit(code)
