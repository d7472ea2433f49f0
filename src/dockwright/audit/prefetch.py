"""Start an image's export before the audit loads what reads it.

Docker writes the whole export before its first byte (0.6-0.9 s for a 137 MB image): everything
the audit does before asking for it adds to its time, everything after runs beside the engine. This
module imports only what the ask needs (the engine is already made), so ``run_audit`` starts the
save before it loads the tar reader, the layer cache's tables and the checklist (~40 ms of imports).
"""

from __future__ import annotations

import hashlib
from typing import IO, TYPE_CHECKING

from dockwright.audit.layer_cache import cache_root
from dockwright.errors import EngineError

if TYPE_CHECKING:
    from pathlib import Path

    from dockwright.engine.base import Engine


def ref_key(ref: str) -> str:
    """The layer cache's key for an image name (its ``ref`` entries: the names audited before)."""
    return "sha256:" + hashlib.sha256(ref.encode("utf-8", "surrogateescape")).hexdigest()


def seen_before(ref: str, root: Path) -> bool:
    """An audit (of any table format) recorded this name under the cache folder ``root``."""
    name = ref_key(ref).replace(":", "-", 1) + ".json"
    try:
        return any(root.glob(f"*/ref/{name}"))
    except OSError:
        return False


def start_save(engine: Engine, ref: str) -> IO[bytes] | None:
    """``engine.save(ref)`` started now, unless the layer cache has seen the name (its image is then
    likely cached: :func:`dockwright.audit.image.read_image` inspects it first and saves only when
    needed) or the engine refuses (the inspect then says why). The caller closes what it gets."""
    root = cache_root()
    if root is not None and seen_before(ref, root):
        return None
    try:
        return engine.save(ref)
    except EngineError:
        return None
