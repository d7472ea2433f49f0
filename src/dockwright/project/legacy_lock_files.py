"""The file hashes an older lock keeps apart from its packages, in one ``[metadata.files]`` table.

Poetry before 1.3 (lock-version 1.x) keys it by the package's name; PDM before it moved the files into
each ``[[package]]`` (lock_version 4.0 and 4.1, 2022-2023) by ``"name version"`` (extras stripped).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from packaging.utils import canonicalize_name


def legacy_files(data: Mapping[str, Any]) -> dict[tuple[str, str], list[Any]]:
    """``(canonical name, version)`` -> that table's file entries; the version is ``""`` for a key
    that names the package alone (Poetry's)."""
    metadata = data.get("metadata")
    table = metadata.get("files") if isinstance(metadata, Mapping) else None
    out: dict[tuple[str, str], list[Any]] = {}
    for key, files in (table or {}).items():
        if not isinstance(files, list):
            continue
        name, _, version = str(key).strip().partition(" ")
        out[(canonicalize_name(name.split("[", 1)[0]), version.strip())] = files
    return out


def files_of(table: Mapping[tuple[str, str], list[Any]], name: str, version: str) -> list[Any]:
    """The entries for one locked package: by name and version, else by name alone."""
    key = canonicalize_name(name)
    return table.get((key, version)) or table.get((key, "")) or []
