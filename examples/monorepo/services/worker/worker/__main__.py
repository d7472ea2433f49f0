"""The monorepo's batch job: greets each name given, with libs/common."""

import click
import common


@click.command()
@click.argument("names", nargs=-1)
def main(names: tuple[str, ...]) -> None:
    for name in names or ("world",):
        click.echo(common.greet(name))
    click.echo(f"(common {common.__version__} from {common.__file__})")


if __name__ == "__main__":
    main()
