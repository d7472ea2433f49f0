"""Image reference names, pure text: the planner (base image labels) and the engine's registry client
both read them, and ``audit`` of a local image never loads the client (nor ``ssl``)."""

from __future__ import annotations

import re

from dockwright.errors import ConfigError


def names_registry(ref: str) -> bool:
    """True when ``ref`` starts with a registry host (``host.domain/``, ``host:port/``, ``localhost/``)."""
    first, slash, _ = ref.partition("/")
    return bool(slash) and ("." in first or ":" in first or first == "localhost")


# name components lower-case, `[:tag]`, `[@sha256:<64 hex>]`: the Docker reference grammar, simplified
_REFERENCE = re.compile(
    r"(?:(?P<host>[A-Za-z0-9.-]+(?::\d+)?|\[[0-9a-fA-F:]+\](?::\d+)?)/)?"
    r"(?P<path>[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*)"
    r"(?::(?P<tag>[\w][\w.-]{0,127}))?(?:@(?P<digest>sha256:[0-9a-f]{64}))?"
)


def check_image_reference(
    ref: str,
    key: str,
    example: str = "registry.example.com/team/python-trimmed:3.13.9-slim-trixie@sha256:...",
) -> str:
    """``ref`` when it is an image reference (``[HOST[:PORT]/]NAME[:TAG][@sha256:DIGEST]``), else a
    one-line ConfigError naming ``key`` and showing ``example``."""
    if not _REFERENCE.fullmatch(ref):
        raise ConfigError(
            f"{key}: {ref!r} is not an image reference: write [HOST[:PORT]/]NAME[:TAG][@sha256:DIGEST], "
            f"e.g. {example}"
        )
    return ref


def digest_of(ref: str) -> str | None:
    """The ``sha256:...`` digest a reference is pinned to, or None."""
    match = _REFERENCE.fullmatch(ref)
    return match["digest"] if match else None


def without_digest(ref: str) -> str:
    """``host/name:tag@sha256:...`` -> ``host/name:tag``."""
    return ref.split("@", 1)[0]
