"""A requirements file beside a ``[project]`` table: what the table declares that the file leaves out.

A project may carry both a ``requirements.txt`` (rank 4 of the manager precedence, managers.py) and a
PEP 621 ``[project].dependencies`` list. The requirements file stays the lock's source: it is usually
the pinned set the project deploys with, and a superset of the table (every declared name pinned there)
needs nothing more. But the table is what ``pip install .`` installs, and the image installs the app's
wheel with ``--no-deps`` (the lock is the complete set): a declared dependency the file does not name
is then missing at run time (ministack: requirements.txt pins hypercorn, docker, cbor2; the table also
declares pyyaml and defusedxml, and the image failed with "No module named 'defusedxml'").

This module finds those left-out declarations, each with its ``pyproject.toml`` line; the plan
(plan/common.py) resolves them together with the requirements file when the app is installed as a
package, and warns, naming them, when it is not. A declaration whose marker is false on the target
(``pywin32; sys_platform == "win32"``) is never missing. Dynamic dependencies (only the build backend
can tell them) are not read.

Packaging guide on the two files' roles: https://packaging.python.org/en/latest/discussions/install-requires-vs-requirements/
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import canonicalize_name

from dockwright.errors import LockError
from dockwright.project.facts import Evidence, Fact
from dockwright.project.target import environment, marker_holds
from dockwright.project.tree import ProjectTree

PYPROJECT = "pyproject.toml"


def static_project_dependencies(pyproject: dict[str, Any] | None) -> list[str]:
    """``[project].dependencies`` as written, or [] when there is none or it is dynamic."""
    project = (pyproject or {}).get("project")
    if not isinstance(project, dict):
        return []
    dynamic = project.get("dynamic", [])
    if isinstance(dynamic, list) and "dependencies" in dynamic:
        return []
    deps = project.get("dependencies", [])
    return [str(d) for d in deps] if isinstance(deps, list) else []


def _line(tree: ProjectTree, requirement: str) -> int | None:
    """The line of ``requirement``'s string in pyproject.toml (the first quoted occurrence)."""
    quoted = re.escape(requirement)
    return tree.line_of(PYPROJECT, rf"""^\s*(?:dependencies\s*=\s*\[\s*)?["']{quoted}["']""") or tree.line_of(
        PYPROJECT, rf"""["']{quoted}["']"""
    )


def uncovered(
    tree: ProjectTree,
    pyproject: dict[str, Any] | None,
    named: Iterable[str],
    source: str,
    python: str,
) -> tuple[Fact[str], ...]:
    """The ``[project].dependencies`` lines whose distribution ``named`` (the canonical names the
    requirements file ``source`` and its includes name) leaves out, each with its pyproject.toml line;
    the project itself (a self-reference with extras) and lines false on the target are left out."""
    have = {canonicalize_name(n) for n in named if n}
    project = (pyproject or {}).get("project")
    own = canonicalize_name(str(project.get("name", ""))) if isinstance(project, dict) else ""
    env = environment(python)
    out: list[Fact[str]] = []
    for text in static_project_dependencies(pyproject):
        try:
            req = Requirement(text)
        except InvalidRequirement:
            continue  # the lock's resolver names it with its own error
        name = canonicalize_name(req.name)
        if name in have or name == own:
            continue
        try:
            if not marker_holds(str(req.marker) if req.marker else None, env):
                continue
        except LockError:
            pass  # an unreadable marker: keep it (the resolver reports the marker itself)
        detail = f"[project] dependencies declares {text!r}, which {source} does not name"
        out.append(Fact(text, (Evidence(PYPROJECT, _line(tree, text), detail),)))
    return tuple(out)


def lines(found: Iterable[Fact[str]]) -> tuple[str, ...]:
    """The requirement lines of ``found`` (what the lock resolves beside the requirements file)."""
    return tuple(f.value for f in found)


def named_with_lines(found: Iterable[Fact[str]]) -> str:
    """``pyyaml>=6.0 (pyproject.toml:27), defusedxml>=0.7 (pyproject.toml:28)``."""
    parts = []
    for fact in found:
        ev = fact.evidence[0]
        parts.append(f"{fact.value} ({ev.file}:{ev.line})" if ev.line else f"{fact.value} ({ev.file})")
    return ", ".join(parts)
