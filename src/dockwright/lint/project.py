"""The few facts lint reads from a project next to a Dockerfile: dependency names and hash-locked files.

Deliberately tiny (lint never imports dockwright.project): names from requirements files, pyproject
and lock files, and which requirement files carry hashes.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from pathlib import Path

from packaging.utils import canonicalize_name

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.10 only
    import tomli as tomllib

_REQ_NAME = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)")
_LOCK_NAME = re.compile(r'^name\s*=\s*"([^"]+)"', re.M)


@dataclass(frozen=True)
class ProjectDeps:
    names: frozenset[str]
    hashed_files: frozenset[str]  # requirement files (relative paths) that carry --hash


def _requirement_names(text: str) -> set[str]:
    names: set[str] = set()
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if not line or line.startswith("-"):
            continue
        match = _REQ_NAME.match(line)
        if match:
            names.add(canonicalize_name(match.group(1)))
    return names


def read_project(directory: Path) -> ProjectDeps | None:
    names: set[str] = set()
    hashed: set[str] = set()
    found = False
    for path in sorted(directory.glob("requirements*.txt")) + sorted(directory.glob("requirements*.lock")):
        text = path.read_text(errors="replace")
        names |= _requirement_names(text)
        found = True
        if "--hash=" in text:
            hashed.add(path.name)
    for lock in ("poetry.lock", "uv.lock", "pdm.lock"):
        path = directory / lock
        if path.is_file():
            names |= {canonicalize_name(n) for n in _LOCK_NAME.findall(path.read_text(errors="replace"))}
            found = True
    pyproject = directory / "pyproject.toml"
    if pyproject.is_file():
        try:
            data = tomllib.loads(pyproject.read_text(errors="replace"))
        except tomllib.TOMLDecodeError:
            data = {}
        for requirement in data.get("project", {}).get("dependencies", []) or []:
            names |= _requirement_names(str(requirement))
        for name in data.get("tool", {}).get("poetry", {}).get("dependencies", {}) or {}:
            if name != "python":
                names.add(canonicalize_name(name))
        found = True
    return ProjectDeps(frozenset(names), frozenset(hashed)) if found else None
