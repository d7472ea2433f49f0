"""`dockwright sbom IMAGE`: argument parsing and printing only (logic: dockwright.api.sbom)."""

from __future__ import annotations

import click

from dockwright import api
from dockwright.cli.help_examples import epilog
from dockwright.cli.params import not_blank, one_platform, report_output
from dockwright.errors import EXIT_OK


@click.command("sbom", epilog=epilog("sbom"))
@click.argument("image", callback=not_blank)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["cyclonedx-json", "spdx-json"]),
    default="cyclonedx-json",
    show_default=True,
    help="CycloneDX 1.6 or SPDX 2.3, as JSON.",
)
@report_output("SBOM")
@click.option(
    "--context",
    type=click.Path(),  # a file or a missing folder: the audit says it as for any --context
    help="The project: cross-check installed versions with its lock and attach the lock's hashes.",
)
@click.option(
    "--engine",
    type=click.Choice(["auto", "docker", "podman"]),
    default=None,
    help="Engine holding IMAGE (default: DOCKWRIGHT_ENGINE, else docker when it answers, else podman).",
)
@click.option(
    "--platform",
    metavar="PLATFORM",
    callback=one_platform,
    help="With a registry index: which platform's image (default: the first).",
)
def sbom_command(
    image: str, fmt: str, output: str | None, context: str | None, engine: str | None, platform: str | None
) -> int:
    """An SBOM of what IMAGE really contains: Python distributions and Debian packages."""
    from dockwright.audit.report import write_report

    found, text = api.sbom(image, fmt=fmt, engine=engine, context=context, platform=platform)
    for dist in found.drift():
        if dist.lock is not None:
            click.echo(
                f"warning: {dist.name} {dist.version} installed, {dist.lock.lock_file} pins "
                f"{dist.lock.locked_version} ({dist.path})",
                err=True,
            )
    for note in found.notes:
        click.echo(f"note: {note}", err=True)
    summary = f"{len(found.python)} Python distributions, {len(found.debian)} Debian packages"
    if output:
        write_report(output, text)
        click.echo(f"wrote {output} ({fmt}): {summary}", err=True)
    else:
        click.echo(text, nl=not text.endswith("\n"))
    return EXIT_OK


COMMANDS: tuple[click.Command, ...] = (sbom_command,)
