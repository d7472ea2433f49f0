import click


@click.command()
@click.option("--name", default="world", help="Who to greet.")
@click.option("--count", default=1, show_default=True, help="How many times.")
def main(name: str, count: int) -> None:
    """Print a greeting."""
    for _ in range(count):
        click.echo(f"Hello, {name}!")
