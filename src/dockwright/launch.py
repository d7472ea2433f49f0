"""The ``dockwright`` command's entry point (console script and ``python -m dockwright``).

Before the command line interface loads (click, the verbs, the engine's modules: ~50 ms), an audit
of a local Docker image asks for the image's export (:func:`dockwright.audit.prefetch.start_early`),
which Docker prepares for most of the audit's time. Then :func:`dockwright.cli.main` parses the same
arguments as always; the audit takes the save already under way.
"""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    """:func:`dockwright.cli.main`, an audit's save sent first (see the module's notes)."""
    from dockwright.audit.prefetch import start_early

    start_early(sys.argv[1:] if argv is None else argv)
    from dockwright.cli import main as cli_main

    return cli_main(argv)


def run() -> None:
    """Console-script wrapper: exit with :func:`main`'s code."""
    sys.exit(main())
