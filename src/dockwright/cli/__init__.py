"""The command line: argument parsing only. One module per verb; errors become exit codes here, once."""

from __future__ import annotations

import importlib
import os
import sys
import tempfile
import time
import traceback
from pathlib import Path

import click

from dockwright import __version__
from dockwright.errors import EXIT_ERROR, EXIT_OK, DockwrightError
from dockwright.redact import redact

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
    "base": "base_cmd",
    "daemon": "daemon_cmd",
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


_DEBUG = {"on": False}
# click >= 8.2 raises it for a group called without a command (8.1 printed the help itself)
_NO_ARGS_IS_HELP: type[click.UsageError] | tuple[()] = getattr(click.exceptions, "NoArgsIsHelpError", ())


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="dockwright")
@click.option("--debug", is_flag=True, help="Show the traceback of an unexpected error.")
def cli(debug: bool) -> None:
    """Ship Python applications as production container images, and prove it on a real engine."""
    _DEBUG["on"] = _DEBUG["on"] or debug


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


def _log_traceback(error: BaseException) -> str | None:
    """Write the traceback to a log file; its path, or None when no folder can take it."""
    cache = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    text = "".join(traceback.format_exception(type(error), error, error.__traceback__))
    for folder in (Path(cache) / "dockwright" / "logs", Path(tempfile.gettempdir())):
        try:
            folder.mkdir(parents=True, exist_ok=True)
            stamp = time.strftime("%Y%m%dT%H%M%S")
            fd, path = tempfile.mkstemp(prefix=f"dockwright-error-{stamp}-", suffix=".log", dir=folder)
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(f"dockwright {__version__}: {' '.join(sys.argv)}\n{text}")
            return path
        except OSError:
            continue
    return None


def _command_path(argv: list[str] | None) -> str:
    """``dockwright audit`` for ``audit --platform`` (click's parser raises "requires an argument"
    without the verb's context): the verbs named before the first option, for the --help pointer."""
    words = sys.argv[1:] if argv is None else argv
    path: list[str] = ["dockwright"]
    command: click.Command = cli
    for word in words:
        if word.startswith("-"):
            if len(path) > 1:
                break
            continue  # a global option (--debug) before the verb
        if not isinstance(command, click.Group):
            break
        found = command.get_command(click.Context(command), word)
        if found is None:
            break
        path.append(word)
        command = found
    return " ".join(path)


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``dockwright`` console script; the one place errors turn into exit codes.

    Exit 0 clean, 1 findings, 2 error. An error is one line on stderr, never a traceback: an
    unexpected exception is logged to a file whose path the line names (``--debug`` or
    ``DOCKWRIGHT_DEBUG=1`` prints the traceback too)."""
    _DEBUG["on"] = os.environ.get("DOCKWRIGHT_DEBUG", "") not in ("", "0")
    try:
        result = cli.main(args=argv, prog_name="dockwright", standalone_mode=False)
    except DockwrightError as error:
        click.echo(f"error: {redact(str(error))}", err=True)  # one line, or a build's tail after it
        return EXIT_ERROR
    except click.exceptions.Abort:
        click.echo("error: aborted", err=True)
        return EXIT_ERROR
    except _NO_ARGS_IS_HELP as error:  # `dockwright`, `dockwright base`: the help as click prints it
        if error.ctx is not None:
            click.echo(error.ctx.get_help())
        return EXIT_OK
    except click.UsageError as error:
        command = error.ctx.command_path if error.ctx else _command_path(argv)
        click.echo(f"error: {_one_line(error.format_message())} (see: {command} --help)", err=True)
        return EXIT_ERROR
    except click.ClickException as error:
        click.echo(f"error: {_one_line(error.format_message())}", err=True)
        return EXIT_ERROR
    except KeyboardInterrupt:
        click.echo("error: interrupted", err=True)
        return EXIT_ERROR
    except Exception as error:  # the contract: never a traceback, always exit 2
        log = _log_traceback(error)
        where = f"; details in {log}" if log else ""
        message = _one_line(redact(f"{type(error).__name__}: {error}"))[:300]
        click.echo(f"error: unexpected {message}{where} (please report it)", err=True)
        if _DEBUG["on"]:
            click.echo(redact(traceback.format_exc()), err=True, nl=False)
        return EXIT_ERROR
    return int(result or 0)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())


def run() -> None:
    """Console-script wrapper: exit with :func:`main`'s code."""
    sys.exit(main())
