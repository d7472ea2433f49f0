"""The command line: argument parsing only. One module per verb; errors become exit codes here, once."""

from __future__ import annotations

import sys

import click

from dockwright import __version__
from dockwright.errors import EXIT_ERROR, DockwrightError


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="dockwright")
def cli() -> None:
    """Ship Python applications as production container images, and prove it on a real engine."""


def _register() -> None:
    # Each verb lives in its own module and adds itself to the group.
    from dockwright.cli import audit_cmd, build_cmd, lint_cmd, plan_cmd

    for module in (plan_cmd, lint_cmd, build_cmd, audit_cmd):
        for command in module.COMMANDS:
            cli.add_command(command)


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``dockwright`` console script; the one place errors turn into exit codes."""
    _register()
    try:
        result = cli.main(args=argv, prog_name="dockwright", standalone_mode=False)
    except DockwrightError as error:
        click.echo(f"error: {error}", err=True)
        return EXIT_ERROR
    except click.exceptions.Abort:
        click.echo("aborted", err=True)
        return EXIT_ERROR
    except click.ClickException as error:
        error.show()
        return EXIT_ERROR
    except OSError as error:
        click.echo(f"error: {error.strerror or error}: {error.filename or ''}".rstrip(": "), err=True)
        return EXIT_ERROR
    return int(result or 0)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())


def run() -> None:
    """Console-script wrapper: exit with :func:`main`'s code."""
    sys.exit(main())
