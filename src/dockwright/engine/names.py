"""Image reference names, without the registry client (``audit`` of a local image never loads ``ssl``)."""

from __future__ import annotations


def names_registry(ref: str) -> bool:
    """True when ``ref`` starts with a registry host (``host.domain/``, ``host:port/``, ``localhost/``)."""
    first, slash, _ = ref.partition("/")
    return bool(slash) and ("." in first or ":" in first or first == "localhost")
