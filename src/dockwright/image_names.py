"""Image reference names, pure text: the planner (base image labels) and the engine's registry client
both read them, and ``audit`` of a local image never loads the client (nor ``ssl``)."""

from __future__ import annotations


def names_registry(ref: str) -> bool:
    """True when ``ref`` starts with a registry host (``host.domain/``, ``host:port/``, ``localhost/``)."""
    first, slash, _ = ref.partition("/")
    return bool(slash) and ("." in first or ":" in first or first == "localhost")
