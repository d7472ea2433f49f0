"""Shared helpers of the monorepo example: how every service greets."""

from packaging.utils import canonicalize_name

__version__ = "1.4.0"


def greet(name: str) -> str:
    """``Hello, <name>!`` with the name as a distribution name (lower case, runs of ``-_.`` as ``-``)."""
    return f"Hello, {canonicalize_name(name)}!"
