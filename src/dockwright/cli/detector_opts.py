"""`dockwright plan --list-detectors` / `--explain-detector NAME`: the start detectors' documentation."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import click

from dockwright.cli.doc_text import echo_doc
from dockwright.errors import EXIT_OK

F = TypeVar("F", bound=Callable[..., Any])


def _explain(ctx: click.Context, _param: click.Parameter, name: str | None) -> None:
    if name is None or ctx.resilient_parsing:
        return
    from dockwright.project.detectors.docs import explain

    echo_doc(explain(name))
    ctx.exit(EXIT_OK)


def _list(ctx: click.Context, _param: click.Parameter, wanted: bool) -> None:
    if not wanted or ctx.resilient_parsing:
        return
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    from dockwright.project.detectors.docs import documented

    table = Table("rank", "name", "summary", box=None)
    for doc in documented():
        table.add_row(str(doc.rank), doc.name, escape(doc.summary))  # `[program:NAME]` is text
    Console().print(table)
    ctx.exit(EXIT_OK)


def detector_options(func: F) -> F:
    """The two eager options that print the detectors' documentation and exit (no project is read)."""
    func = click.option(
        "--list-detectors",
        is_flag=True,
        is_eager=True,
        expose_value=False,
        callback=_list,
        help="List every start detector, in rank order, and exit.",
    )(func)
    return click.option(
        "--explain-detector",
        metavar="NAME",
        is_eager=True,
        expose_value=False,
        callback=_explain,
        help="Print the documentation of the start detector NAME (e.g. procfile) and exit.",
    )(func)
