"""`dockwright audit IMAGE`: argument parsing and printing only (logic: dockwright.audit)."""

from __future__ import annotations

import io
import json
import threading

import click

from dockwright import api
from dockwright.cli.doc_text import echo_doc
from dockwright.cli.help_examples import epilog
from dockwright.cli.params import not_blank, one_platform, report_output
from dockwright.errors import EXIT_FINDINGS, EXIT_OK, ConfigError
from dockwright.redact import redact


def _explain(ctx: click.Context, _param: click.Parameter, check_id: str | None) -> None:
    if check_id is None or ctx.resilient_parsing:
        return
    from dockwright.audit.checks.docs import explain  # only --explain reads the checks' docs

    echo_doc(explain(check_id))
    ctx.exit(EXIT_OK)


def _list_checks(ctx: click.Context, _param: click.Parameter, wanted: bool) -> None:
    if not wanted or ctx.resilient_parsing:
        return
    from rich.console import Console
    from rich.table import Table

    from dockwright.audit.checks import CHECKS
    from dockwright.audit.checks.docs import describe

    table = Table("id", "group", "title", box=None)
    for check in CHECKS:
        doc = describe(check)
        table.add_row(doc.id, doc.group, doc.title)
    Console().print(table)
    ctx.exit(EXIT_OK)


@click.command("audit", epilog=epilog("audit"))
@click.argument("image", callback=not_blank)
@click.option(
    "--context",
    type=click.Path(),  # a file or a missing folder: the audit says it as for any --context
    help="The project (build context): also check its .dockerignore, that the installed versions "
    "match its lock, and its [tool.dockwright] max-size-mb.",
)
@click.option("--max-size", "max_size", type=float, metavar="MB", help="Size target in MB (10^6 bytes).")
@click.option(
    "--engine",
    type=click.Choice(["auto", "docker", "podman"]),
    default=None,
    help="Engine holding IMAGE (default: DOCKWRIGHT_ENGINE, else docker when it answers, else podman).",
)
@click.option(
    "--from",
    "source",
    type=click.Choice(["auto", "engine", "registry"]),
    default="auto",
    show_default=True,
    help="Read IMAGE from the engine or straight from its registry (auto: the engine when it holds it).",
)
@click.option(
    "--platform",
    metavar="PLATFORM",
    callback=one_platform,
    help="With a registry index: audit only this platform (default: every one).",
)
@click.option("--run", "run", is_flag=True, help="Start the container: time until healthy, and docker stop.")
@click.option(
    "--env-file",
    "env_file",
    type=click.Path(dir_okay=False),
    help="KEY=VALUE lines passed to the container --run starts (the variables the plan lists as required).",
)
@click.option("--network", metavar="NAME", help="Network of the container --run starts (e.g. host).")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "html"]),
    default="text",
    show_default=True,
    help="json: dockwright.audit/1 (every check with its evidence); html: one self-contained page (use -o).",
)
@report_output("report")
@click.option(
    "--explain",
    metavar="CHECK",
    is_eager=True,
    expose_value=False,
    callback=_explain,
    help="Print the documentation of the check CHECK (e.g. lock) and exit.",
)
@click.option(
    "--list-checks",
    is_flag=True,
    is_eager=True,
    expose_value=False,
    callback=_list_checks,
    help="List every check, in the report's order, and exit.",
)
def audit_command(
    image: str,
    context: str | None,
    max_size: float | None,
    engine: str | None,
    source: str,
    platform: str | None,
    run: bool,
    env_file: str | None,
    network: str | None,
    fmt: str,
    output: str | None,
) -> int:
    """Verify the Pro shipping checklist on a built IMAGE. Exit 0 pass, 1 any FAIL, 2 error."""
    if (env_file or network) and not run:
        raise click.UsageError("--env-file and --network need --run")
    if fmt == "text" and not output:  # the table's modules load while the engine exports the image
        threading.Thread(target=_load_text_renderer, daemon=True).start()
    if api.image_source(image, engine, source) == "registry":
        if run:
            raise ConfigError(
                "--run needs the image in an engine: pull it, or drop --run for a registry audit"
            )
        reports = api.audit_registry(image, platform=platform, context=context, max_size_mb=max_size)
    elif platform:
        raise ConfigError("--platform picks an image of a registry index: add --from registry")
    else:
        reports = (
            api.audit(
                image,
                engine=engine,
                context=context,
                max_size_mb=max_size,
                run=run,
                env_file=env_file,
                network=network,
            ),
        )
    from dockwright.audit.report import render, render_text, write_report  # after the read: see run_audit

    failed = any(report.failed for report in reports)
    if len(reports) > 1 and fmt == "html":
        raise ConfigError(f"{image} has {len(reports)} platforms: give --platform for an HTML report")
    if fmt == "text" and not output:
        from rich.console import Console

        for report in reports:
            if len(reports) > 1:
                click.echo(f"== {report.image.os}/{report.image.architecture}")
            render_text(report, Console(highlight=False))
        return EXIT_FINDINGS if failed else EXIT_OK
    if fmt == "json" and len(reports) > 1:
        text = redact(json.dumps([report.to_dict() for report in reports], indent=2) + "\n")
    else:
        text = redact("".join(render(report, fmt) for report in reports))
    if output:
        write_report(output, text)
        click.echo(f"wrote {output} ({fmt}); {'FAIL' if failed else 'PASS'}", err=True)
    else:
        click.echo(text, nl=False)
    return EXIT_FINDINGS if failed else EXIT_OK


def _load_text_renderer() -> None:
    """Import rich and draw a throwaway table (rich loads more modules on its first draw): ~45 ms that
    would otherwise follow the read."""
    from rich.console import Console
    from rich.table import Table

    table = Table("a", "b", title="t")
    table.add_row("1", "[b]2[/b]")
    Console(file=io.StringIO(), highlight=False).print(table)


COMMANDS: tuple[click.Command, ...] = (audit_command,)
