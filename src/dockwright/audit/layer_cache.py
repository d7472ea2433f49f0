"""A disk cache of what the audit read from each layer, keyed by the layer's content digest.

A layer blob named ``blobs/sha256/<hex>`` in ``docker save`` (or a diff id of the image config) is
content-addressed: the same key is the same bytes, so its file table (paths, sizes, modes, whiteouts,
secret hits, the small files the checks read) never goes stale. Later audits of any image sharing the
layer (every image built on the same base) drain its bytes without parsing them; when the image itself
(by id, with the same diff ids) and all its layers are known, the save is skipped.

Entries live under ``$DOCKWRIGHT_AUDIT_CACHE`` (``off`` turns the cache off), else
``$XDG_CACHE_HOME/dockwright/audit``, in a folder named after the analysis fingerprint (a change to
what a table holds starts a new folder; old ones age out), as JSON written atomically. After each
write the least recently used entries go until the whole cache is under ``MAX_BYTES``.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from dockwright.audit.prefetch import cache_folder

MAX_BYTES = 256 << 20
_KEY = re.compile(r"^[a-z0-9]+:[0-9a-f]{32,128}$")


def cache_root(environ: Mapping[str, str] | None = None) -> Path | None:
    """The cache folder, or None when ``DOCKWRIGHT_AUDIT_CACHE`` turns it off (see
    :func:`dockwright.audit.prefetch.cache_folder`)."""
    folder = cache_folder(environ)
    return None if folder is None else Path(folder)


class LayerCache:
    """JSON documents by (kind, content key) under ``root/fingerprint``; every error is a miss."""

    def __init__(self, root: Path, fingerprint: str, max_bytes: int = MAX_BYTES) -> None:
        self.root = root
        self.folder = root / fingerprint
        self.max_bytes = max_bytes

    def _path(self, kind: str, key: str) -> Path | None:
        if not _KEY.match(key) or not kind.isidentifier():
            return None  # only content digests are keys
        algo, _, hexa = key.partition(":")
        return self.folder / kind / f"{algo}-{hexa}.json"

    def load(self, kind: str, key: str) -> dict[str, Any] | None:
        path = self._path(kind, key)
        if path is None:
            return None
        try:
            data = json.loads(path.read_bytes())
        except (OSError, ValueError):
            return None
        if not isinstance(data, dict):
            return None
        with contextlib.suppress(OSError):
            os.utime(path)  # recently used: pruned last
        return data

    def store(self, kind: str, key: str, doc: dict[str, Any] | str) -> None:
        """Write ``doc`` (a document, or its JSON text) under ``kind``/``key``, atomically."""
        path = self._path(kind, key)
        if path is None:
            return
        try:
            # owner-only: entries hold small files read from images (mkstemp makes them 0600 too)
            path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            descriptor, name = tempfile.mkstemp(prefix=".tmp-", dir=path.parent)
            scratch = Path(name)
            try:  # no fsync: a torn entry does not parse, and a miss only costs speed
                # dumps, not dump: json.dump streams through the pure-Python encoder (~5x slower)
                with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
                    handle.write(doc if isinstance(doc, str) else json.dumps(doc, separators=(",", ":")))
                scratch.replace(path)
            except BaseException:
                scratch.unlink(missing_ok=True)
                raise
        except OSError:
            return  # a full or read-only disk only costs speed

    def prune(self) -> None:
        """Remove the least recently used entries (any fingerprint) until the cache fits ``max_bytes``."""
        files: list[tuple[float, int, Path]] = []
        for path in self.root.glob("*/*/*.json"):
            with contextlib.suppress(OSError):
                stat = path.stat()
                files.append((stat.st_mtime, stat.st_size, path))
        total = sum(size for _, size, _ in files)
        for _, size, path in sorted(files):
            if total <= self.max_bytes:
                break
            with contextlib.suppress(OSError):
                path.unlink()
                total -= size
