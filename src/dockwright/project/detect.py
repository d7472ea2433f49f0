"""``detect_project``: read a project directory into :class:`ProjectFacts`.

Each part has its own module (tree → python_version, managers, apps, native, metadata); this one only
wires them together. Command-line overrides win and carry the evidence ``command line``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import canonicalize_name

from dockwright.project.apps import detect_app
from dockwright.project.facts import FACTS_SCHEMA, ProjectFacts
from dockwright.project.managers import read_dependencies
from dockwright.project.metadata import detect_layout, detect_metadata
from dockwright.project.native import detect_native
from dockwright.project.python_version import detect_python
from dockwright.project.tree import ProjectTree


def detect_project(
    root: Path,
    *,
    python: str | None = None,
    manager: str | None = None,
    start: str | None = None,
    port: int | None = None,
    process: str | None = None,
) -> ProjectFacts:
    """Detect everything about the project at ``root``; raise ProjectError on bad input."""
    tree = ProjectTree(Path(root))
    pyproject: dict[str, Any] | None = (
        tree.read_toml("pyproject.toml") if tree.is_file("pyproject.toml") else None
    )
    notes: list[str] = []
    py = detect_python(tree, pyproject, override=python)
    metadata = detect_metadata(tree, pyproject)
    deps = read_dependencies(
        tree,
        pyproject,
        python=py.version.value,
        override=manager,
        project_name=canonicalize_name(metadata.name.value),
    )
    depends_on = frozenset(
        {p.name for p in deps.locked} | {_requirement_name(r) for r in deps.declared} - {""}
    )
    app = detect_app(
        tree, pyproject, start=start, port=port, process=process, dependencies=depends_on, notes=notes
    )
    native = detect_native(deps, py.version.value)
    layout = detect_layout(tree, pyproject)
    if layout.existing_dockerfile:
        notes.append(existing_dockerfile_note(layout.existing_dockerfile))
    return ProjectFacts(
        schema=FACTS_SCHEMA,
        root=str(tree.root),
        metadata=metadata,
        python=py,
        dependencies=deps,
        app=app,
        native=native,
        layout=layout,
        notes=tuple(notes),
    )


def existing_dockerfile_note(path: str) -> str:
    """The plan's note about a Dockerfile already there (``init`` drops it once it has written)."""
    return f"{path} exists; `init` keeps it unless --force is given"


def _requirement_name(text: str) -> str:
    """The canonical distribution name of a PEP 508 requirement string ('' when unreadable)."""
    try:
        return canonicalize_name(Requirement(text).name)
    except InvalidRequirement:
        return ""
