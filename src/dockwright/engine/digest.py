"""The registry digest an engine's copy of an image was pulled with (its ``RepoDigests``)."""

from __future__ import annotations

from dockwright.engine.base import Engine
from dockwright.errors import DockwrightError


def registry_digest(engine: Engine, image: str) -> str | None:
    """``sha256:...`` of ``image`` as its registry named it, preferring the image's own repository
    (None: built or loaded here, or not in the engine)."""
    try:
        digests = engine.inspect_image(image).get("RepoDigests") or []
    except DockwrightError:
        return None
    repository = image.split("@")[0].rsplit(":", 1)[0].rsplit("/", 1)[-1]
    found = sorted(
        (not d.split("@")[0].endswith(repository), d.split("@", 1)[1]) for d in digests if "@sha256:" in d
    )
    return found[0][1] if found else None
