"""`dockwright audit IMAGE`: argument parsing and printing only (logic: dockwright.audit)."""

from __future__ import annotations

import click
from rich.console import Console

from dockwright import api


@click.command("audit")
@click.argument("image")
@click.option(
    "--context", type=click.Path(file_okay=False), help="Build context, to check its .dockerignore."
)
@click.option("--max-size", "max_size", type=float, metavar="MB", help="Size target in MB (10^6 bytes).")
@click.option("--run", "run", is_flag=True, help="Start the container: time until healthy, and docker stop.")
@click.option(
    "--env-file",
    "env_file",
    type=click.Path(dir_okay=False),
    help="KEY=VALUE lines passed to the container --run starts (the variables the plan lists as required).",
)
@click.option("--network", metavar="NAME", help="Network of the container --run starts (e.g. host).")
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json", "html"]), default="text", show_default=True
)
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False), help="Write the report to FILE (atomically)."
)
def audit_command(
    image: str,
    context: str | None,
    max_size: float | None,
    run: bool,
    env_file: str | None,
    network: str | None,
    fmt: str,
    output: str | None,
) -> int:
    """Verify the Pro shipping checklist on a built IMAGE. Exit 0 pass, 1 any FAIL, 2 error."""
    from dockwright.audit.report import render, render_text, write_report

    if (env_file or network) and not run:
        raise click.UsageError("--env-file and --network need --run")
    report = api.audit(
        image, context=context, max_size_mb=max_size, run=run, env_file=env_file, network=network
    )
    if output:
        write_report(output, render(report, fmt))
        click.echo(f"wrote {output} ({fmt}); {'FAIL' if report.failed else 'PASS'}", err=True)
    elif fmt == "text":
        render_text(report, Console(highlight=False))
    else:
        click.echo(render(report, fmt), nl=False)
    return report.exit_code


COMMANDS: tuple[click.Command, ...] = (audit_command,)
