"""A batch job of the workspace (not part of the api image)."""

import click


@click.command()
def main() -> None:
    click.echo("nothing to do")
