"""Checks of argument values shared by several verbs (click callbacks)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import click

from dockwright.errors import ConfigError
from dockwright.platform_names import check_platform_names

_Command = TypeVar("_Command", bound=Callable[..., Any])


def not_blank(ctx: click.Context, param: click.Parameter, value: str) -> str:
    """An IMAGE (or other required text) that is empty or blank is a usage error, before any engine
    answers it with an empty message."""
    if not value.strip():
        raise click.BadParameter("is empty", ctx=ctx, param=param)
    return value


def platforms(ctx: click.Context, param: click.Parameter, values: tuple[str, ...]) -> tuple[str, ...]:
    """``--platform`` given several times or as a comma-separated list: each one BuildKit accepts,
    checked before any planning; they pass on one per item, a bare architecture with its OS."""
    try:
        return check_platform_names(values)
    except ConfigError as error:
        raise click.BadParameter(error.message, ctx=ctx, param=param) from None


def one_platform(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """``--platform`` that picks one image of an index: a platform BuildKit accepts, or None."""
    if value is None:
        return None
    try:
        return check_platform_names((value,), several=False)[0]
    except ConfigError as error:
        raise click.BadParameter(error.message, ctx=ctx, param=param) from None


def buildx_output(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """build's ``--output``: a buildx output SPEC (``type=...``), never a bare path. buildx reads a bare
    ``app.tar`` as ``type=local,dest=app.tar`` (a folder of the image's files), not the file audit's and
    sbom's ``--output FILE`` would write."""
    if value is None or value.replace(" ", "").startswith("type=") or ",type=" in value.replace(" ", ""):
        return value
    raise click.BadParameter(
        f"{value!r} is not a buildx output spec: build's --output says where the image goes, e.g. "
        f"type=oci,dest={value} (an OCI archive), type=docker,dest={value} (for docker load), "
        f"type=local,dest={value} (its files in a folder) or type=registry",
        ctx=ctx,
        param=param,
    )


def report_file(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """audit's and sbom's ``--output``: the FILE the report is written to, not a buildx output spec
    (that is ``dockwright build --output``)."""
    if value is None or not value.replace(" ", "").startswith("type="):
        return value
    raise click.BadParameter(
        f"{value!r} is a buildx output spec; here --output is the FILE the report is written to "
        "(e.g. -o report.json); the image's own output is `dockwright build --output SPEC`",
        ctx=ctx,
        param=param,
    )


def report_output(what: str) -> Callable[[_Command], _Command]:
    """audit's and sbom's ``-o/--output FILE`` for ``what`` they write (checked by :func:`report_file`)."""
    return click.option(
        "-o",
        "--output",
        type=click.Path(dir_okay=False),
        metavar="FILE",
        callback=report_file,
        help=f"Write the {what} to FILE (atomically) instead of stdout. A file name, not build's buildx "
        "--output SPEC.",
    )
