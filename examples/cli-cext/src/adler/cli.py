"""`adler TEXT...`: print the Adler-32 checksum of each argument (C extension, checked against zlib)."""

from __future__ import annotations

import zlib

import click

from adler import adler32


@click.command()
@click.argument("text", nargs=-1, required=True)
def main(text: tuple[str, ...]) -> None:
    """Adler-32 checksums of TEXT (UTF-8) from the package's C extension."""
    for item in text:
        data = item.encode()
        value = adler32(data)
        if value != zlib.adler32(data):
            raise click.ClickException(f"C extension disagrees with zlib for {item!r}")
        click.echo(f"{value:08x}  {item}")
