"""An application whose dependencies are only PEP 735 dependency groups.

A ``pyproject.toml`` may hold ``[dependency-groups]`` and no ``[project]`` table: the repository is
an application tree, not a distribution, and installs with pip >= 25.1's ``pip install --group main``
(or ``uv sync --group main``). Its dependencies are the lines of the groups that hold the app's
run time, not those of its development tools (``dev``, ``test``, ``lint`` ... uv_selection.DEV_NAMES):

- the groups the project's own run instructions install (a Dockerfile's ``pip install --group main``,
  a script's ``uv sync --group prod``: uv_selection.run_groups, container recipes first), less the
  development ones, which a production image leaves out even where the project's image installs them;
- else every group whose name is not a development one.

A group's ``{include-group = "other"}`` entry brings that group's lines (PEP 735), each line once.
With no such group (only ``dev``/``test``) the project declares nothing. The lines are resolved like
setup.py's ``install_requires``: read statically, fed to ``uv pip compile`` on standard input
(plan/common.py ``_static_requirements``), so the lock's source is ``pyproject.toml``.

Source: https://peps.python.org/pep-0735/ (the table, ``include-group``);
https://pip.pypa.io/en/stable/user_guide/#dependency-groups (pip 25.1's ``--group``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from packaging.utils import canonicalize_name

from dockwright.project.facts import Evidence
from dockwright.project.tree import ProjectTree
from dockwright.project.uv_selection import DEV_NAMES, run_groups


@dataclass(frozen=True)
class GroupDependencies:
    """The chosen groups' requirement lines and the evidence naming the groups and why."""

    lines: tuple[str, ...]
    evidence: Evidence


def _table(pyproject: dict[str, Any] | None) -> dict[str, list[Any]]:
    table = (pyproject or {}).get("dependency-groups")
    if not isinstance(table, dict):
        return {}
    return {canonicalize_name(str(k)): v for k, v in table.items() if isinstance(v, list)}


def applies(pyproject: dict[str, Any] | None) -> bool:
    """True when the groups are the project's only declaration: no ``[project]`` table, no Poetry
    table, and a group that is not a development one."""
    data = pyproject or {}
    tool = data.get("tool")
    if isinstance(data.get("project"), dict) or (isinstance(tool, dict) and "poetry" in tool):
        return False
    return any(name not in DEV_NAMES for name in _table(pyproject))


def _lines(table: dict[str, list[Any]], name: str, seen: set[str]) -> list[str]:
    """A group's requirement lines, its ``include-group`` entries expanded (each group once)."""
    if name in seen:
        return []
    seen.add(name)
    out: list[str] = []
    for item in table.get(name, []):
        if isinstance(item, str):
            out.append(item.strip())
        elif isinstance(item, dict) and isinstance(item.get("include-group"), str):
            out += _lines(table, canonicalize_name(item["include-group"]), seen)
    return out


def group_dependencies(tree: ProjectTree, pyproject: dict[str, Any] | None) -> GroupDependencies | None:
    """The app's groups' lines (see the module docstring); None when :func:`applies` does not."""
    if not applies(pyproject):
        return None
    table = _table(pyproject)
    named, _ = run_groups(tree, pyproject)
    line = tree.line_of("pyproject.toml", r"^\[dependency-groups\]")
    chosen: list[str]
    if named:
        chosen = [canonicalize_name(f.value) for f in named]
        first = named[0].evidence[0] if named[0].evidence else None
        why = f" ({first.file}:{first.line} installs it)" if first else ""
        detail = f"[dependency-groups] {', '.join(f.value for f in named)}{why}"
    else:
        chosen = [name for name in table if name not in DEV_NAMES]  # in the order written
        detail = f"[dependency-groups] {', '.join(chosen)} (every group but development ones)"
    seen: set[str] = set()
    lines: list[str] = []
    for name in chosen:
        lines += _lines(table, name, seen)
    kept = tuple(dict.fromkeys(line for line in lines if line))
    return GroupDependencies(kept, Evidence("pyproject.toml", line, detail))
