"""The command line: argument parsing only. One module per verb; errors become exit codes here, once."""

from __future__ import annotations

import importlib
import sys

import click

from dockwright import __version__
from dockwright.errors import EXIT_ERROR, DockwrightError

# Each verb lives in its own module, imported only when that verb runs (`lint` never loads the
# engine, the audit or the planner's strategies).
VERBS: dict[str, str] = {
    "plan": "plan_cmd",
    "init": "plan_cmd",
    "lint": "lint_cmd",
    "rule": "lint_cmd",
    "build": "build_cmd",
    "audit": "audit_cmd",
    "sbom": "sbom_cmd",
}


class LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(VERBS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        module_name = VERBS.get(cmd_name)
        if module_name is None:
            return None
        module = importlib.import_module(f"dockwright.cli.{module_name}")
        return next((c for c in module.COMMANDS if c.name == cmd_name), None)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="dockwright")
def cli() -> None:
    """Ship Python applications as production container images, and prove it on a real engine."""


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``dockwright`` console script; the one place errors turn into exit codes."""
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
