"""Docker's own unpacked copy of an image's layers, found where this process may read it.

Docker's classic image store (the ``overlay2`` storage driver) keeps every layer unpacked in a folder
of its data root, and ``docker save`` makes its tar from those same folders. An audit that can read
them (root, on the engine's machine) needs no export: the engine's save of a 130 MB image takes
0.6-0.7 s before and while its bytes stream, as long as dive takes in all, and the folders are walked
in a fraction of it.

The folders are used only when everything agrees, else :func:`store_layers` returns None and the
audit asks for the save as before:

- the image inspect names the ``overlay2`` driver, and its ``UpperDir`` is the folder Docker's layer
  database gives for the image's top layer. The folders read are the database's, one per diff id (each
  layer's ``diff`` file is its diff id), which the save reads too: the inspect's ``LowerDir`` may name
  other folders of the same bytes (BuildKit's own copy of a layer the database already held);
- the image's config, read from the image database, hashes to the image's id (the same engine, the
  same image);
- the data root is root's (not a rootless daemon's, whose files carry shifted owners) and not a
  ``userns-remap`` root (``<uid>.<gid>``);
- the kernel's overlay module has neither ``metacopy`` nor ``redirect_dir`` on (Docker's own test for
  "native overlay diff": with either, a folder may hold a file's metadata without its bytes, or a
  renamed folder as a pointer).

``DOCKWRIGHT_AUDIT_FOLDERS=off`` always takes the save.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dockwright.switches import switched_off

DRIVER = "overlay2"
OPAQUE_XATTR = "trusted.overlay.opaque"  # a folder that hides the lower layers' copy ("y")
_OVERLAY_PARAMETERS = Path("/sys/module/overlay/parameters")
_REMAPPED_ROOT = re.compile(r"\d+\.\d+")  # dockerd --userns-remap: <data-root>/<uid>.<gid>
_HEX = re.compile(r"[0-9a-f]{64}")


@dataclass(frozen=True)
class StoreLayers:
    """An image's config and its layers' folders (lowest first, one per diff id) in Docker's store."""

    config: bytes  # the image's config as stored: its SHA-256 is the image's id
    folders: tuple[Path, ...]
    diff_ids: tuple[str, ...]


def store_layers(inspect: Mapping[str, Any]) -> StoreLayers | None:
    """The image's layers in Docker's overlay2 store, when readable here and verified (module notes)."""
    if switched_off(os.environ.get("DOCKWRIGHT_AUDIT_FOLDERS")) or not _native_overlay_diff():
        return None
    try:
        return _verified(inspect)
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return None


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _native_overlay_diff() -> bool:
    try:
        return all(
            (_OVERLAY_PARAMETERS / name).read_text().strip() in ("N", "off")
            for name in ("metacopy", "redirect_dir")
        )
    except OSError:
        return False


def _verified(inspect: Mapping[str, Any]) -> StoreLayers | None:
    driver = inspect.get("GraphDriver") or {}
    data = driver.get("Data") or {}
    upper = data.get("UpperDir")
    if driver.get("Name") != DRIVER or not isinstance(upper, str) or not upper.endswith("/diff"):
        return None
    store = Path(upper).parent.parent
    root = store.parent
    if store.name != DRIVER or _REMAPPED_ROOT.fullmatch(root.name) or root.stat().st_uid != 0:
        return None
    algorithm, _, image_hex = str(inspect.get("Id") or "").partition(":")
    if algorithm != "sha256" or not _HEX.fullmatch(image_hex):
        return None
    images = root / "image" / DRIVER
    config = (images / "imagedb" / "content" / "sha256" / image_hex).read_bytes()
    if _sha256(config) != image_hex:
        return None
    diff_ids = tuple(str(d) for d in json.loads(config)["rootfs"]["diff_ids"])
    if not diff_ids or list(diff_ids) != list((inspect.get("RootFS") or {}).get("Layers") or ()):
        return None
    folders: list[Path] = []
    chain = ""
    for diff_id in diff_ids:
        # the layer's chain id: its diff id over its parent's chain (the layer database's key)
        chain = diff_id if not chain else "sha256:" + _sha256(f"{chain} {diff_id}".encode())
        layer = images / "layerdb" / "sha256" / chain.partition(":")[2]
        if (layer / "diff").read_text().strip() != diff_id:
            return None
        cache_id = (layer / "cache-id").read_text().strip()
        if not cache_id or "/" in cache_id or cache_id.startswith("."):
            return None
        folders.append(store / cache_id / "diff")
    if str(folders[-1]) != upper:  # the top layer's folder: the inspected image's, in this store
        return None
    if not all(os.access(folder, os.R_OK | os.X_OK) for folder in folders):
        return None
    return StoreLayers(config, tuple(folders), diff_ids)
