"""Printing a documentation page (a lint rule, an audit check, a start detector): Markdown rendered by
rich on a terminal, the Markdown text itself when piped."""

from __future__ import annotations

import sys

import click


def echo_doc(text: str) -> None:
    if sys.stdout.isatty():
        from rich.console import Console  # only a terminal renders: piped output stays plain text
        from rich.markdown import Markdown

        Console().print(Markdown(text))
    else:
        click.echo(text, nl=False)
