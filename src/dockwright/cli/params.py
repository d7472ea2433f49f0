"""Checks of argument values shared by several verbs (click callbacks)."""

from __future__ import annotations

import click


def not_blank(ctx: click.Context, param: click.Parameter, value: str) -> str:
    """An IMAGE (or other required text) that is empty or blank is a usage error, before any engine
    answers it with an empty message."""
    if not value.strip():
        raise click.BadParameter("is empty", ctx=ctx, param=param)
    return value
