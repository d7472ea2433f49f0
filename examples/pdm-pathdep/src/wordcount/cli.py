"""Count the words of the text given (or of standard input) with the repository's tally library."""

import sys

import click
import tally


@click.command()
@click.argument("words", nargs=-1)
def main(words: tuple[str, ...]) -> None:
    text = " ".join(words) if words else sys.stdin.read()
    for word, count in tally.most_common(text):
        click.echo(f"{word} {count}")
    click.echo(f"(tally {tally.__version__} from {tally.__file__})")
