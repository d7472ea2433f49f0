"""The few facts lint reads from a project next to a Dockerfile: dependency names and hash-locked files.

Deliberately tiny (lint never imports dockwright.project): names from requirements files, pyproject
and lock files, and which requirement files carry hashes.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.10 only
    import tomli as tomllib

_SEPARATORS = re.compile(r"[-_.]+")


def canonicalize_name(name: str) -> str:
    """PEP 503 normalisation (what ``packaging.utils.canonicalize_name`` does), without importing
    packaging: ``dockwright lint`` on one file should start in editor/pre-commit time."""
    return _SEPARATORS.sub("-", name).lower()


_REQ_NAME = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)")
_LOCK_NAME = re.compile(r'^name\s*=\s*"([^"]+)"', re.M)
_PART = r"[^-/\s\"']+"
# name-version-python-abi-platform.whl with a musllinux platform tag, as lock files list wheel names/URLs
_MUSL_WHEEL = re.compile(
    rf"([A-Za-z0-9][A-Za-z0-9._]*)-{_PART}-({_PART})-{_PART}-[^/\s\"']*musllinux[^/\s\"']*\.whl"
)


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
    musl: dict[str, set[str]] = {}
    for lock in ("poetry.lock", "uv.lock", "pdm.lock"):
        path = directory / lock
        if path.is_file():
            text = path.read_text(errors="replace")
            names |= {canonicalize_name(n) for n in _LOCK_NAME.findall(text)}
            for match in _MUSL_WHEEL.finditer(text):
                name = canonicalize_name(match.group(1))
                abi = match.group(0).split("-")[-2]
                musl.setdefault(name, set()).add(f"{match.group(2)}.{abi}")
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
    if not found:
        return None
    wheels = tuple(sorted((n, frozenset(t)) for n, t in musl.items()))
    return ProjectDeps(frozenset(names), frozenset(hashed), wheels)
