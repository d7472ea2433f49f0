"""The uv versions a project accepts: ``required-version`` in its ``uv.toml`` or ``[tool.uv]``.

uv refuses to run in a project whose ``required-version`` does not contain its own version (``uv
sync``, ``uv lock`` and ``uv pip compile`` alike stop with "Required uv version ... does not match the
running version"), and the image's builder runs dockwright's tested uv. A bare version (``0.5.0``)
means ``==0.5.0``, as uv reads it. Read where ``uv sync`` runs
(the project, or the uv workspace's root); ``uv.toml`` wins over ``pyproject.toml`` there, as in uv.

Source: https://docs.astral.sh/uv/reference/settings/#required-version
"""

from __future__ import annotations

from typing import Any

from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.version import InvalidVersion, Version

from dockwright.errors import ProjectError
from dockwright.project.facts import Evidence
from dockwright.project.tree import ProjectTree

_LINE = r"^\s*required-version\s*="


def uv_required_version(tree: ProjectTree) -> Evidence | None:
    """The specifier (as the evidence's detail) with its file and line; None when none is set or it
    is not a version specifier (uv then reports it itself)."""
    for name, table in (("uv.toml", ()), ("pyproject.toml", ("tool", "uv"))):
        if not tree.is_file(name):
            continue
        try:
            data: Any = tree.read_toml(name)
        except ProjectError:
            continue
        for key in table:
            data = data.get(key) if isinstance(data, dict) else None
        value = data.get("required-version") if isinstance(data, dict) else None
        if not isinstance(value, str):
            continue
        if _specifiers(value) is None:
            return None
        return Evidence(name, tree.line_of(name, _LINE), value)
    return None


def _specifiers(value: str) -> SpecifierSet | None:
    """uv reads a bare version (``0.5.0``) as ``==0.5.0``, for backwards compatibility."""
    try:
        return SpecifierSet(f"=={Version(value.strip())}")
    except InvalidVersion:
        pass
    try:
        return SpecifierSet(value)
    except InvalidSpecifier:
        return None


def refuses(required: Evidence | None, version: str) -> bool:
    """True when ``required`` is set and ``version`` is outside it."""
    accepted = _specifiers(required.detail) if required is not None else None
    return accepted is not None and not accepted.contains(version, prereleases=True)
