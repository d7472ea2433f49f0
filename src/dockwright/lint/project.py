"""The few facts lint reads from a project next to a Dockerfile: dependency names and hash-locked files.

Deliberately tiny (of dockwright.project lint imports only the file reader, ``tree.read_inside``:
no symlink out of the folder, size-capped): names from requirements files, pyproject and lock files,
and which requirement files carry hashes. Every scan is linear in the file's size (no backtracking
regex over a file a stranger wrote).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dockwright.errors import ProjectError
from dockwright.lazy_re import lazy
from dockwright.project.tree import read_inside
from dockwright.toml_reader import tomllib

_SEPARATORS = lazy(r"[-_.]+")


def canonicalize_name(name: str) -> str:
    """PEP 503 normalisation (what ``packaging.utils.canonicalize_name`` does), without importing
    packaging: ``dockwright lint`` on one file should start in editor/pre-commit time."""
    return _SEPARATORS.sub("-", name).lower()


_REQ_NAME = lazy(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)")
_LOCK_NAME = lazy(r'^name\s*=\s*"([^"\n]+)"', re.M)
_TOKEN_SPLIT = lazy(r"[\s\"'/=,#\[\]{}]+")
MAX_PROJECT_FILE_BYTES = 4 * 1024 * 1024
"""Largest requirements/lock/pyproject file lint reads next to a Dockerfile (bigger ones are skipped)."""


def _musl_wheels(text: str) -> Iterator[tuple[str, str, str]]:
    """(name, python tag, abi tag) of each musllinux wheel named in a lock (linear: a split, no search)."""
    for token in _TOKEN_SPLIT.split(text):
        if not token.endswith(".whl") or "musllinux" not in token:
            continue
        parts = token[: -len(".whl")].split("-")
        if len(parts) in (5, 6) and "musllinux" in parts[-1]:
            yield parts[0], parts[-3], parts[-2]


@dataclass(frozen=True)
class ProjectDeps:
    names: frozenset[str]
    hashed_files: frozenset[str]  # requirement files (relative paths) that carry --hash
    # name -> Python tags ("cp311", "cp38.abi3"...) of the musllinux wheels a lock file lists for it
    musl_wheels: tuple[tuple[str, frozenset[str]], ...] = ()

    def has_musl_wheel(self, name: str, python_xy: str | None) -> bool:
        """A musllinux wheel for ``name`` usable by CPython ``python_xy`` ("3.11"), any when unknown."""
        for package, tags in self.musl_wheels:
            if package == name:
                if python_xy is None:
                    return True
                wanted = "cp" + python_xy.replace(".", "")
                return any(wanted in tag or "abi3" in tag or tag.startswith("py3") for tag in tags)
        return False


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


def _table(data: Any, key: str) -> dict[str, Any]:
    value = data.get(key) if isinstance(data, dict) else None
    return value if isinstance(value, dict) else {}


def _read(path: Path, directory: Path) -> str | None:
    """A project file's text, or None when absent, a link out of the folder, not a file, or too large."""
    if not path.is_file():
        return None
    try:
        return read_inside(path, directory, MAX_PROJECT_FILE_BYTES).decode("utf-8", errors="replace")
    except ProjectError:
        return None


def read_project(directory: Path) -> ProjectDeps | None:
    names: set[str] = set()
    hashed: set[str] = set()
    found = False
    for path in sorted(directory.glob("requirements*.txt")) + sorted(directory.glob("requirements*.lock")):
        text = _read(path, directory)
        if text is None:
            continue
        names |= _requirement_names(text)
        found = True
        if "--hash=" in text:
            hashed.add(path.name)
    musl: dict[str, set[str]] = {}
    for lock in ("poetry.lock", "uv.lock", "pdm.lock"):
        text = _read(directory / lock, directory)
        if text is not None:
            names |= {canonicalize_name(n) for n in _LOCK_NAME.findall(text)}
            for raw, python, abi in _musl_wheels(text):
                musl.setdefault(canonicalize_name(raw), set()).add(f"{python}.{abi}")
            found = True
    text = _read(directory / "pyproject.toml", directory)
    if text is not None:
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError:
            data = {}
        project = _table(data, "project")
        dependencies = project.get("dependencies")
        for requirement in dependencies if isinstance(dependencies, list) else []:
            names |= _requirement_names(str(requirement))
        poetry_deps = _table(_table(_table(data, "tool"), "poetry"), "dependencies")
        names |= {canonicalize_name(str(name)) for name in poetry_deps if name != "python"}
        found = True
    if not found:
        return None
    wheels = tuple(sorted((n, frozenset(t)) for n, t in musl.items()))
    return ProjectDeps(frozenset(names), frozenset(hashed), wheels)
