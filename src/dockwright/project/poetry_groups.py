"""The Poetry dependency groups the image installs beside the main one.

``poetry install`` installs the main dependencies and every group that is not declared
``optional = true``; ``--without``/``--only`` narrow that. A repository whose server or metrics client
lives in a group of its own (``[tool.poetry.group.prod.dependencies] gunicorn``, installed by its image's
``poetry install --with prod``) needs that group in the image, while its ``dev``, ``test`` or ``lint``
group holds development tooling: the image installs the non-optional groups whose names are not
development's (``uv_selection.DEV_NAMES``, the names a uv project's groups are judged by).

Source: https://python-poetry.org/docs/managing-dependencies/#optional-groups ("optional groups ...
will not be installed by default"; every other group is).
"""

from __future__ import annotations

import re
from typing import Any

from packaging.utils import canonicalize_name

from dockwright.project.facts import Evidence, Fact
from dockwright.project.tree import ProjectTree
from dockwright.project.uv_selection import DEV_NAMES


def installed_groups(pyproject: dict[str, Any] | None) -> list[str]:
    """The names of the ``[tool.poetry.group.NAME]`` tables the image installs: not optional, not named
    for development, in the file's order."""
    poetry = ((pyproject or {}).get("tool") or {}).get("poetry") or {}
    groups = poetry.get("group") if isinstance(poetry, dict) else None
    if not isinstance(groups, dict):
        return []
    return [
        str(name)
        for name, table in groups.items()
        if isinstance(table, dict)
        and table.get("optional") is not True
        and canonicalize_name(str(name)) not in DEV_NAMES
        and canonicalize_name(str(name)) != "main"
    ]


def group_dependencies(pyproject: dict[str, Any] | None) -> dict[str, Any]:
    """The dependency tables of the installed groups, merged (name -> Poetry spec)."""
    groups = (((pyproject or {}).get("tool") or {}).get("poetry") or {}).get("group") or {}
    merged: dict[str, Any] = {}
    for name in installed_groups(pyproject):
        deps = groups[name].get("dependencies")
        if isinstance(deps, dict):
            merged.update(deps)
    return merged


def group_facts(tree: ProjectTree, pyproject: dict[str, Any] | None) -> tuple[Fact[str], ...]:
    """The installed groups, each with its table's line in pyproject.toml as evidence."""
    out = []
    for name in installed_groups(pyproject):
        line = tree.line_of("pyproject.toml", rf"^\s*\[tool\.poetry\.group\.{re.escape(name)}[.\]]")
        detail = f"[tool.poetry.group.{name}] is not optional: `poetry install` installs it"
        out.append(Fact(name, (Evidence("pyproject.toml", line, detail),)))
    return tuple(out)
