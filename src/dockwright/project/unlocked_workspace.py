"""A uv workspace with no ``uv.lock`` committed: the member is planned like an app with path dependencies.

What it does: reads every member's ``pyproject.toml`` (``[project] dependencies``, optional
dependencies, and ``[tool.uv.sources]``, the root's table applying to every member as uv does), turns the
``{ workspace = true }`` and ``{ path = ... }`` sources into edges between members, picks the app member
as a locked workspace does, and answers with the facts of a ``path-dependencies`` app: the build context
is the workspace root, the member is the app, and every member or path package it reaches is copied and
built as a wheel. The third-party set is then resolved from the member's ``pyproject.toml`` by
``uv pip compile --python-version`` into a hash-locked file, like any project without a lock.

Why: ``uv lock`` needs an interpreter that satisfies the workspace's ``requires-python`` (uv refuses
any other: "The requested interpreter resolved to Python 3.11.7, which is incompatible with the
project's Python requirement: `==3.14.4`"), so a project that pins a patch release cannot be locked on a
host without exactly that release. ``uv pip compile`` resolves for a target version it does not have
(``--python-version``), reads the workspace sources the same way, and hashes every file: nothing of the
lock's guarantees is lost, and the user's tree gets no ``uv.lock`` it did not ask for.

A member with no workspace or path dependency is its own build context (as the folder it is).
"""

from __future__ import annotations

import posixpath
import re
from pathlib import Path
from typing import Any

from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import canonicalize_name

from dockwright.errors import ProjectError
from dockwright.project.facts import Evidence, Fact, WorkspaceFacts
from dockwright.project.pathdeps import _build_requires, _check_folder
from dockwright.project.tree import ProjectTree

Edges = tuple[tuple[str, tuple[str, ...]], ...]


def _sources(data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    table = data.get("tool", {}).get("uv", {}).get("sources")
    if not isinstance(table, dict):
        return {}
    return {canonicalize_name(str(k)): v for k, v in table.items() if isinstance(v, dict)}


def local_target(source: dict[str, Any], folder: str, members: dict[str, str], name: str) -> str | None:
    """The folder (relative to the workspace root) a ``[tool.uv.sources]`` entry installs ``name``
    from: the member of that name (``workspace = true``) or the ``path`` (a folder, not an archive)."""
    if source.get("workspace") is True:
        return members.get(name)
    path = source.get("path")
    if isinstance(path, str) and not path.endswith((".whl", ".tar.gz", ".zip")):
        return posixpath.normpath(posixpath.join(folder, path))
    return None


def _edges(
    items: Any, sources: dict[str, dict[str, Any]], folder: str, members: dict[str, str]
) -> tuple[Edges, dict[str, str]]:
    """The local edges of a dependency list (name, extras) and the folder each one installs from."""
    edges: list[tuple[str, tuple[str, ...]]] = []
    folders: dict[str, str] = {}
    for item in items if isinstance(items, list) else []:
        try:
            req = Requirement(str(item))
        except InvalidRequirement:
            continue
        name = canonicalize_name(req.name)
        target = local_target(sources[name], folder, members, name) if name in sources else None
        if target is not None:
            edges.append((name, tuple(sorted(req.extras))))
            folders[name] = target
    return tuple(edges), folders


def is_package(data: dict[str, Any]) -> bool:
    """uv's rule: ``[tool.uv] package`` when set, else whether a build system is declared."""
    package = data.get("tool", {}).get("uv", {}).get("package")
    return package if isinstance(package, bool) else isinstance(data.get("build-system"), dict)


def declared_graph(
    tree: ProjectTree, members: dict[str, str]
) -> tuple[dict[str, tuple[str, bool, Edges, dict[str, Edges]]], dict[str, tuple[str, int | None]]]:
    """Per package (each member, and each path package a member names): (folder, is a package, local
    edges, local edges per extra); and per package reached by a source, where that source is written
    (``pyproject.toml`` relative to the root, line). ``members``: name -> folder."""
    root_sources = _sources(tree.read_toml("pyproject.toml")) if tree.is_file("pyproject.toml") else {}
    graph: dict[str, tuple[str, bool, Edges, dict[str, Edges]]] = {}
    where: dict[str, tuple[str, int | None]] = {}
    queue = list(members.items())
    while queue:
        name, folder = queue.pop(0)
        if name in graph:
            continue
        manifest = "pyproject.toml" if folder == "." else f"{folder}/pyproject.toml"
        if not tree.is_file(manifest):
            graph[name] = (folder, True, (), {})  # a setup.py package: no sources to follow
            continue
        data = tree.read_toml(manifest)
        own = _sources(data)
        sources = {**root_sources, **own}
        found = data.get("project")
        project: dict[str, Any] = found if isinstance(found, dict) else {}
        deps, folders = _edges(project.get("dependencies"), sources, folder, members)
        extras: dict[str, Edges] = {}
        optional = project.get("optional-dependencies")
        for extra, items in (optional if isinstance(optional, dict) else {}).items():
            extras[canonicalize_name(str(extra))], more = _edges(items, sources, folder, members)
            folders.update(more)
        graph[name] = (folder, is_package(data), deps, extras)
        for dep, target in folders.items():
            spelled = "[-_.]".join(re.escape(part) for part in dep.split("-"))
            pattern = rf"(?i)^\s*{spelled}\s*=\s*\{{"
            line = tree.line_of(manifest, pattern) if dep in own else tree.line_of("pyproject.toml", pattern)
            where.setdefault(dep, (manifest if dep in own else "pyproject.toml", line))
            if dep not in graph:
                queue.append((dep, target))
    return graph, where


def unlocked_facts(
    root: Path, name: str, member: str, evidence: Evidence, graph: dict[str, Any], where: dict[str, Any]
) -> WorkspaceFacts | None:
    """The facts of the member ``name`` (in ``member``/) of a workspace without ``uv.lock``: a
    ``path-dependencies`` app whose context is the workspace root; None when it reaches no local package
    (it is then its own context)."""
    from dockwright.project.workspace import _LockNode, reachable

    nodes = {n: _LockNode(n, f, p, d, e, {}) for n, (f, p, d, e) in graph.items()}
    reached = [n for n in reachable(nodes, name) if n != name]
    if not reached:
        return None
    app = root / member if member != "." else root
    copies: list[Fact[str]] = []
    requires: list[str] = []
    for dep in reached:
        folder = graph[dep][0]
        if folder.startswith("..") or Path(folder).is_absolute():
            raise ProjectError(
                f"{dep} is installed from {folder}, outside the workspace root (the build context): move "
                "it into the workspace (a member) or publish it to an index",
                file=where[dep][0],
            )
        written = posixpath.relpath(folder, member if member != "." else ".")
        checked = _check_folder(app, dep, written, where[dep][0])
        if not graph[dep][1]:
            raise ProjectError(
                f"{member}/ installs the workspace member {dep} ({folder}/), which is no package "
                "([tool.uv] package = false, or no [build-system]): uv installs only its dependencies, "
                "which an image built without uv.lock cannot tell apart; run `uv lock` at the workspace "
                "root and commit uv.lock",
                file=where[dep][0],
            )
        file, line = where[dep]
        copies.append(
            Fact(folder, (Evidence(file, line, f"[tool.uv.sources] {dep}: a local package {name} installs"),))
        )
        requires += _build_requires(checked)
    return WorkspaceFacts(
        "path-dependencies",
        str(root),
        Fact(member, (evidence,)),
        name,
        None,
        tuple(copies),
        tuple(c.value for c in copies),
        (),
        (),
        tuple(dict.fromkeys(requires)),
        tuple(reached),
    )
