"""`dockwright lint` and `dockwright rule`: argument parsing and output only (logic in dockwright.lint)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from dockwright import api
from dockwright.cli.doc_text import echo_doc
from dockwright.cli.help_examples import epilog
from dockwright.errors import EXIT_FINDINGS, EXIT_OK, DockwrightError
from dockwright.output import printable_lines
from dockwright.redact import redact

if TYPE_CHECKING:  # the linter, its rules and reports load when a command runs, not for --help
    from dockwright.lint.linter import LintOptions, LintResult


def _split(values: tuple[str, ...], option: str = "--select") -> tuple[str, ...]:
    """Codes or prefixes from repeated/comma-separated values; one that names no rule is an error."""
    from dockwright.lint.registry import RULES

    codes = tuple(v.strip().upper() for value in values for v in value.split(",") if v.strip())
    unknown = [c for c in codes if not any(rule.code.startswith(c) for rule in RULES)]
    if unknown:
        raise DockwrightError(
            f"{option}: no rule matches {', '.join(unknown)} (`dockwright rule --all` lists them)"
        )
    return codes


def _lint_root(path: Path, targets: tuple[str, ...]) -> Path:
    """The folder given on the command line that ``path`` was found in (a file's own folder otherwise)."""
    for target in map(Path, targets):
        if target.is_dir() and target in path.parents:
            return target
    return path.parent


@click.command("lint", epilog=epilog("lint"))
@click.argument("paths", nargs=-1, type=click.Path())
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "sarif", "github", "gitlab"]),
    default="text",
    show_default=True,
    help="json: dockwright.lint/1; sarif: code scanning; github: workflow annotations; "
    "gitlab: Code Quality report.",
)
@click.option(
    "--stdin-filename",
    type=click.Path(dir_okay=False),
    help="With `-`: the path the text stands for (names findings; its folder gives config and context).",
)
@click.option(
    "--select", multiple=True, metavar="CODES", help="Only these codes or prefixes (e.g. DW3,DW401)."
)
@click.option("--ignore", multiple=True, metavar="CODES", help="Skip these codes or prefixes.")
@click.option("--fix", is_flag=True, help="Apply safe fixes in place.")
@click.option("--unsafe-fixes", is_flag=True, help="With --fix or --diff: also apply unsafe fixes.")
@click.option("--diff", is_flag=True, help="Show the fixes as a diff; write nothing.")
def lint_command(
    paths: tuple[str, ...],
    fmt: str,
    stdin_filename: str | None,
    select: tuple[str, ...],
    ignore: tuple[str, ...],
    fix: bool,
    unsafe_fixes: bool,
    diff: bool,
) -> int:
    """Lint Dockerfiles (files or folders; `-` reads one from stdin) against the guides' checklist."""
    from dockwright.lint import report
    from dockwright.lint.linter import LintOptions, load_config
    from dockwright.lint.shellcheck import shellcheck_path

    targets = paths or (".",)
    from_stdin = targets == ("-",)
    if "-" in targets and not from_stdin:
        raise DockwrightError("`-` (stdin) cannot be mixed with paths")
    if stdin_filename and not from_stdin:  # it would name nothing: the files found name themselves
        raise click.UsageError("--stdin-filename goes with `-` (the Dockerfile on stdin)")
    if unsafe_fixes and not (fix or diff):  # it would change nothing: say so rather than lint silently
        raise click.UsageError("--unsafe-fixes goes with --fix or --diff")
    options: LintOptions | None = None
    if select or ignore:
        first = Path(stdin_filename or ".").resolve().parent if from_stdin else Path(targets[0]).resolve()
        base = load_config(first if first.is_dir() else first.parent)
        options = LintOptions(
            _split(select) or base.select, base.ignore + _split(ignore, "--ignore"), base.severities
        )
    if from_stdin:
        result = api.lint_stdin(sys.stdin.read(), stdin_filename, options=options)
        if fix or diff:
            return _fix_stdin(result, options, unsafe_fixes, diff)
    else:
        result = api.lint(targets, options=options)
    if not result.files:
        raise DockwrightError(f"no Dockerfile found in {', '.join(str(Path(t)) for t in targets)}")  # '' is .
    if fix or diff:
        from dockwright.lint.fixing import fix_file

        for file in result.files:
            if not any(f.fix for f in file.findings):
                continue
            path = Path(file.path)
            fixed = fix_file(path, _lint_root(path, targets), options, unsafe=unsafe_fixes)
            if not fixed.changed:
                continue
            if diff:
                import difflib

                lines = difflib.unified_diff(
                    fixed.before.splitlines(keepends=True),
                    fixed.after.splitlines(keepends=True),
                    file.path,
                    file.path,
                )
                click.echo(printable_lines("".join(lines)), nl=False)
            else:
                from dockwright.render.writer import write_or_refuse  # only --fix writes

                write_or_refuse(fixed.path, fixed.data, file.path)
                click.echo(f"fixed {fixed.count} finding(s) in {file.path}", err=True)
        if diff:
            return EXIT_OK
        result = api.lint(targets, options=options)  # what is left after the fixes
    if fmt == "text":
        click.echo(redact(report.render_text(result, colour=sys.stdout.isatty())))
        if shellcheck_path() is None and "DW8" not in _split(ignore):
            click.echo(
                "note: ShellCheck is not installed: DW801 skipped (pip install 'dockwright[shellcheck]')",
                err=True,
            )
    else:
        renderers = {
            "json": report.render_json,
            "sarif": report.render_sarif,
            "github": report.render_github,
            "gitlab": report.render_gitlab,
        }
        click.echo(redact(renderers[fmt](result)))
    return EXIT_FINDINGS if result.findings else EXIT_OK


@click.command("rule", epilog=epilog("rule"))
@click.argument("code", required=False)
@click.option("--all", "show_all", is_flag=True, help="List every rule.")
def rule_command(code: str | None, show_all: bool) -> int:
    """Print a lint rule's documentation (or list them all)."""
    from rich.console import Console  # only `rule` renders tables and Markdown
    from rich.table import Table

    from dockwright.lint.registry import RULES, rule_by_code

    console = Console()
    if show_all or not code:
        table = Table("code", "name", "severity", "fix", "summary", box=None)
        for listed in RULES:
            fix = listed.fix.value if listed.fix else ""
            table.add_row(listed.code, listed.name, listed.severity.value, fix, listed.summary)
        console.print(table)
        return EXIT_OK
    rule = rule_by_code(code)
    if rule is None:
        raise DockwrightError(f"no rule {code!r}; `dockwright rule --all` lists them")
    header = f"# {rule.code} {rule.name} ({rule.severity.value})\n\n{rule.summary}.\n\n"
    if rule.aliases:
        header += f"Also honours hadolint's {', '.join(rule.aliases)}.\n\n"
    echo_doc(header + rule.docs + "\n")
    return EXIT_OK


def _fix_stdin(result: LintResult, options: LintOptions | None, unsafe: bool, diff: bool) -> int:
    """stdin cannot be fixed in place: --fix prints the fixed text, --diff the diff (as ruff does)."""
    import difflib

    from dockwright.lint.linter import apply_fixes

    file = result.files[0]
    fixed, count = apply_fixes(file.text, file.findings, unsafe=unsafe)
    for _ in range(8):  # fixes at the same offset wait for the next pass: re-lint the fixed text
        if count == 0:
            break
        again = api.lint_stdin(fixed, None if file.path == "-" else file.path, options=options).files[0]
        fixed, count = apply_fixes(fixed, again.findings, unsafe=unsafe)
    if diff:
        lines = difflib.unified_diff(
            file.text.splitlines(keepends=True), fixed.splitlines(keepends=True), file.path, file.path
        )
        click.echo(printable_lines("".join(lines)), nl=False)
    else:
        click.echo(fixed, nl=False)
    return EXIT_OK


COMMANDS: tuple[click.Command, ...] = (lint_command, rule_command)
