"""`dockwright daemon status|stop`: the warm process that runs commands (dockwright/daemon_client.py).
These two run in the command's own process, never in the daemon."""

from __future__ import annotations

import os
from pathlib import Path

import click

from dockwright import daemon_client
from dockwright.cli.help_examples import epilog
from dockwright.errors import DockwrightError


@click.group("daemon")
def daemon_group() -> None:
    """The warm process that runs dockwright's commands (DOCKWRIGHT_DAEMON=off: none)."""


def _own_socket() -> str:
    path = daemon_client.socket_path(os.environ)
    if path is None:
        raise DockwrightError(
            "no socket folder of this user's alone: $XDG_RUNTIME_DIR/dockwright or $TMPDIR/dockwright-UID "
            "must be a folder of yours with mode 0700"
        )
    return path


@daemon_group.command("status", epilog=epilog("daemon status"))
def daemon_status_command() -> None:
    """Whether a daemon serves this installation, and what it has done."""
    path = _own_socket()
    if not daemon_client.wanted(os.environ):
        click.echo("off: commands run in their own process (DOCKWRIGHT_DAEMON off, or CI without it on)")
    answer = daemon_client.asked(daemon_client.STATUS, path)
    if answer is None:
        click.echo(f"none running (socket: {path})")
    else:
        click.echo(answer, nl=False)


@daemon_group.command("stop", epilog=epilog("daemon stop"))
@click.option("--all", "every", is_flag=True, help="Stop the daemons of every installation of this user's.")
def daemon_stop_command(every: bool) -> None:
    """Stop the daemon: it serves no more and exits when its running commands are done."""
    own = _own_socket()
    paths = sorted(str(path) for path in Path(own).parent.glob("*.sock")) if every else [own]
    stopped = 0
    for path in paths:
        answer = daemon_client.asked(daemon_client.STOP, path)
        if answer is not None:
            stopped += 1
            click.echo(f"{answer.strip()} ({path})")
    if not stopped:
        click.echo("none running")


COMMANDS: tuple[click.Command, ...] = (daemon_group,)
