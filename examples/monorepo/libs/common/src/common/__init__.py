"""Shared helpers of the monorepo example."""

from markupsafe import escape

__version__ = "1.4.0"


def greet(name: str) -> str:
    return f"Hello, {escape(name)}!"
