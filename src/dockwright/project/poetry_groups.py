"""The Poetry dependency groups the image installs beside the main one.

``poetry install`` installs the main dependencies and every group that is not declared
``optional = true``; ``--without``/``--only`` narrow that. A repository whose server or metrics client
lives in a group of its own (``[tool.poetry.group.prod.dependencies] gunicorn``, installed by its image's
``poetry install --with prod``) needs that group in the image, while its ``dev``, ``test`` or ``lint``
group holds development tooling: the image installs the non-optional groups whose names are not
development's (``uv_selection.DEV_NAMES``, the names a uv project's groups are judged by). The
repository's own image narrows that as its ``poetry install`` (or ``sync``/``export``) line does:
``--only main`` installs no other group, ``--without a,b`` leaves those out (:func:`selected`).

Source: https://python-poetry.org/docs/managing-dependencies/#optional-groups ("optional groups ...
will not be installed by default"; every other group is).
"""

from __future__ import annotations

import re
from typing import Any

from packaging.utils import canonicalize_name

from dockwright.errors import ProjectError
from dockwright.lazy_re import lazy
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


# `poetry install --only main`, `poetry export --only=main -f requirements.txt`, `--without dev,docs`
_POETRY_LINE = lazy(r"\bpoetry\s+(?:install|sync|export)\b([^\n;&|]*)")
_ONLY = lazy(r"--only[= ]([\w.,-]+)")
_WITHOUT = lazy(r"--without[= ]([\w.,-]+)")


def _left_out(tree: ProjectTree) -> set[str] | None:
    """The groups the repository's own image leaves out of its ``poetry install`` line (canonical names);
    None for all of them (``--only main``), an empty set without such a line."""
    from dockwright.project.own_image import dockerfile_text, own_dockerfile

    path = own_dockerfile(tree)
    if path is None:
        return set()
    try:
        text = dockerfile_text(tree, path).replace("\\\n", " ")
    except ProjectError:
        return set()
    left: set[str] = set()
    for match in _POETRY_LINE.finditer(text):
        options = match.group(1)
        only = _ONLY.search(options)
        if only and {canonicalize_name(g) for g in only.group(1).split(",")} <= {"main"}:
            return None
        for without in _WITHOUT.finditer(options):
            left |= {canonicalize_name(g) for g in without.group(1).split(",")}
    return left


def selected(pyproject: dict[str, Any] | None, tree: ProjectTree) -> dict[str, Any]:
    """``pyproject`` without the Poetry groups the repository's own image leaves out of its install (the
    other tables as they are): what the group readers above take as the project's."""
    data = dict(pyproject or {})
    tool = data.get("tool")
    poetry = tool.get("poetry") if isinstance(tool, dict) else None
    groups = poetry.get("group") if isinstance(poetry, dict) else None
    if not isinstance(groups, dict):
        return data
    left = _left_out(tree)
    if left is None:
        kept: dict[str, Any] = {}
    else:
        kept = {k: v for k, v in groups.items() if canonicalize_name(str(k)) not in left}
    if kept == groups:
        return data
    return {**data, "tool": {**tool, "poetry": {**poetry, "group": kept}}}  # type: ignore[dict-item]
