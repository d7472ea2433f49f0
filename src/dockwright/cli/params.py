"""Checks of argument values shared by several verbs (click callbacks)."""

from __future__ import annotations

import click

from dockwright.errors import ConfigError
from dockwright.platform_names import check_platform_names


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
