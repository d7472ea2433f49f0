"""Local path dependencies of a project (Poetry ``mylib = {path = "../libs/mylib"}``, PDM
``"mylib @ file:///${PROJECT_ROOT}/libs/mylib"``, uv ``[tool.uv.sources] mylib = {path = "../lib"}``
outside a workspace, requirements ``-e ../../libs/mylib`` / ``../lib`` / ``file:../lib``, a Rye
workspace's members in Rye's lock, ``-e file:packages/core``): where they are and which build context
holds them.

What it does: reads the project's ``poetry.lock``, ``pdm.lock`` or ``uv.lock`` (else the pyproject's
path tables, else the requirements file and its ``-r`` files, whose relative paths are the app
folder's, where pip runs), keeps the local folders the app's runtime dependencies reach (dev groups
never), and answers with the build context: the smallest
folder holding the app and those folders (the app's own folder when they are inside it). Each folder
is built as a wheel in the image's builder, so each must be a package (pyproject.toml or setup.py).

Why: real monorepos keep shared code in ``libs/`` beside the apps and let Poetry or PDM install it
from its folder. A build context is one folder, so the context moves up to the smallest folder that
holds them all, as for a uv workspace.

Refused (ProjectError, exit 2), one line naming the dependency and the fix:
- a folder that does not exist or is no package;
- a folder reached through a symlink (a build context never follows one out of itself);
- a context above the repository (the nearest folder with ``.git``), or, outside a repository, more
  than ``MAX_PARENTS`` folders up or the filesystem root: no folder the user would build from.
"""

from __future__ import annotations

import dataclasses
import os
import posixpath
import re
from pathlib import Path
from typing import Any

from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import canonicalize_name

from dockwright.errors import ProjectError
from dockwright.project.facts import Dependencies, Evidence, Fact, OwnNativeNeed, WorkspaceFacts
from dockwright.project.rye_lock import RYE_LOCK, rye_lock
from dockwright.project.tree import ProjectTree

ARCHIVES = (".whl", ".tar.gz", ".zip", ".tar.bz2")
"""Built distributions a requirements line may name instead of a folder (not path dependencies)."""

MAX_PARENTS = 8
"""How far above the app a path dependency may sit when the app is in no git repository."""

LOCKS = ("poetry.lock", "pdm.lock", "uv.lock")
"""The locks whose path entries are built from their folders (a uv workspace's members are located
before, by ``project/workspace.py``: here uv.lock is a project's own, its ``[tool.uv.sources]``
``{path = ...}`` entries)."""

DEFAULT_BUILD_REQUIRES = ("setuptools>=40.8.0",)
"""PEP 517's fallback backend for a folder without ``[build-system]`` (a setup.py package)."""


def _lock_of(tree: ProjectTree) -> str | None:
    if not tree.is_file("pyproject.toml"):
        return None  # a requirements project's path lines: requirements_packages
    return next((lock for lock in LOCKS if tree.is_file(lock)), None)


def _name(text: str) -> str | None:
    try:
        return canonicalize_name(Requirement(text).name)
    except InvalidRequirement:
        match = re.match(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)", text)
        return canonicalize_name(match[1]) if match else None


def _roots(pyproject: dict[str, Any]) -> set[str]:
    """The names the app itself depends on at run time (Poetry's main table, ``[project]``)."""
    names: set[str] = set()
    poetry = pyproject.get("tool", {}).get("poetry", {})
    for name, spec in (poetry.get("dependencies") or {}).items():
        optional = isinstance(spec, dict) and spec.get("optional")
        if name.lower() != "python" and not optional:
            names.add(canonicalize_name(name))
    project = pyproject.get("project")
    for text in (project.get("dependencies") if isinstance(project, dict) else None) or []:
        found = _name(str(text))
        if found:
            names.add(found)
    return names


def _edges(pkg: dict[str, Any]) -> set[str]:
    deps = pkg.get("dependencies") or {}
    if isinstance(deps, dict):  # poetry.lock: a table of name = constraint
        return {canonicalize_name(str(name)) for name in deps}
    # pdm.lock: PEP 508 strings; uv.lock: tables {name = ..., marker = ...}
    names = (str(d.get("name", "")) if isinstance(d, dict) else _name(str(d)) for d in deps)
    return {canonicalize_name(n) for n in names if n}


def _folder(pkg: dict[str, Any]) -> str | None:
    """The folder a lock entry installs from (relative to the lock), or None for an index package."""
    source = pkg.get("source")
    if isinstance(source, dict) and source.get("type") in ("directory", "file") and source.get("url"):
        return str(source["url"])  # poetry.lock (a file: refused by _check_folder, naming the fix)
    if pkg.get("path") and not pkg.get("files"):
        return str(pkg["path"])  # pdm.lock
    if isinstance(source, dict):  # uv.lock: {editable|directory|path = "../lib"} ("." is the project)
        folder = source.get("editable") or source.get("directory") or source.get("path")
        if isinstance(folder, str) and folder not in (".", "./"):
            return folder
    return None


def local_packages(tree: ProjectTree, lock: str) -> list[tuple[str, str, int | None]]:
    """(name, folder as the lock writes it, lock line) of every local folder the app's runtime
    dependencies reach in ``lock``, in lock order."""
    data = tree.read_toml(lock)
    pyproject = tree.read_toml("pyproject.toml")
    packages: dict[str, dict[str, Any]] = {}
    for pkg in data.get("package", []):
        packages.setdefault(canonicalize_name(str(pkg.get("name", ""))), pkg)
    seen: set[str] = set()
    queue = sorted(_roots(pyproject))
    while queue:
        name = queue.pop(0)
        if name in seen or name not in packages:
            continue
        seen.add(name)
        queue += sorted(_edges(packages[name]) - seen)
    found = []
    for name, pkg in packages.items():
        folder = _folder(pkg)
        if name in seen and folder is not None:
            line = tree.line_of(lock, rf'^name = "{re.escape(str(pkg.get("name", "")))}"')
            found.append((name, folder, line))
    return found


def repository_root(path: Path) -> Path | None:
    """The nearest folder at or above ``path`` holding ``.git`` (a checkout or a worktree)."""
    for folder in (path, *path.parents):
        if (folder / ".git").exists():
            return folder
    return None


def _build_requires(folder: Path) -> tuple[str, ...]:
    tree = ProjectTree(folder)
    if tree.is_file("pyproject.toml"):
        system = tree.read_toml("pyproject.toml").get("build-system")
        if isinstance(system, dict) and isinstance(system.get("requires"), list):
            return tuple(str(r) for r in system["requires"])
    return DEFAULT_BUILD_REQUIRES


def _check_folder(app: Path, name: str, written: str, lock: str) -> Path:
    """The folder of a path dependency, lexically (no symlink followed), after the checks."""
    lexical = Path(os.path.normpath(app / written))
    where = f"{lock}: {name} is installed from {written}"
    if lexical.is_file():
        raise ProjectError(
            f"{where}, a file (a built distribution) that no lock hashes: install it from an index, "
            "or build it from its source folder"
        )
    if not lexical.is_dir():
        raise ProjectError(f"{where}, which is not a folder: commit it or fix the path, then lock again")
    if lexical.resolve() != lexical:
        raise ProjectError(
            f"{where}, reached through a symlink ({lexical.resolve()}); a build context never follows "
            "a symlink: point the dependency at the real folder and lock again"
        )
    if not (lexical / "pyproject.toml").is_file() and not (lexical / "setup.py").is_file():
        raise ProjectError(f"{where}, which has no pyproject.toml or setup.py: it cannot be built as a wheel")
    return lexical


def _check_context(app: Path, context: Path, name: str, written: str, lock: str) -> None:
    repo = repository_root(app)
    where = f"{lock}: {name} is installed from {written}"
    if repo is not None and not context.is_relative_to(repo):
        raise ProjectError(
            f"{where}, outside the repository at {repo} (no build context can hold both): move it "
            "into the repository or publish it to an index"
        )
    depth = len(app.relative_to(context).parts)
    if repo is None and (context == Path(context.anchor) or depth > MAX_PARENTS):
        raise ProjectError(
            f"{where}, {depth} folders above the app with no repository around them (no build "
            "context to use): move the app and its libraries under one folder"
        )


def declared_packages(tree: ProjectTree) -> list[tuple[str, str, int | None]]:
    """(name, folder relative to the app, pyproject line) of the path dependencies a project without a
    lock declares (Poetry ``{path = ...}``, PEP 621 ``name @ file:///${PROJECT_ROOT}/...``), and
    theirs, folder by folder (dev groups never)."""
    found: dict[str, tuple[str, str, int | None]] = {}
    queue: list[str] = ["."]
    while queue:
        base = queue.pop(0)
        folder_tree = ProjectTree(Path(os.path.normpath(tree.root / base)))  # may sit beside the app
        if not folder_tree.is_file("pyproject.toml"):
            continue
        for name, written in _declared_paths(folder_tree.read_toml("pyproject.toml")):
            folder = posixpath.normpath(posixpath.join(base, written))
            if name not in found:
                line = tree.line_of("pyproject.toml", re.escape(written)) if base == "." else None
                found[name] = (name, folder, line)
                queue.append(folder)
    return list(found.values())


def _declared_paths(pyproject: dict[str, Any]) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    poetry = pyproject.get("tool", {}).get("poetry", {})
    for name, spec in (poetry.get("dependencies") or {}).items():
        if isinstance(spec, dict) and isinstance(spec.get("path"), str) and not spec.get("optional"):
            out.append((canonicalize_name(name), spec["path"]))
    project = pyproject.get("project")
    for text in (project.get("dependencies") if isinstance(project, dict) else None) or []:
        try:
            req = Requirement(str(text))
        except InvalidRequirement:
            continue
        url = req.url or ""
        if url.startswith("file:") and not url.endswith(ARCHIVES):  # a wheel file: project/local_wheels.py
            path = re.sub(r"^file:(//)?", "", url).replace("${PROJECT_ROOT}", ".").lstrip("/")
            if url.startswith("file:///${PROJECT_ROOT}") or not url.startswith("file:///"):
                out.append((canonicalize_name(req.name), path or "."))
    return out


def _package_name(folder: Path, fallback: str | None) -> str:
    """A folder's distribution name: its pyproject's ``[project]``/``[tool.poetry]`` name, setup.cfg's
    ``[metadata] name``, else ``#egg=`` or the folder's name."""
    tree = ProjectTree(folder)
    if tree.is_file("pyproject.toml"):
        data = tree.read_toml("pyproject.toml")
        name = (data.get("project") or {}).get("name") or data.get("tool", {}).get("poetry", {}).get("name")
        if isinstance(name, str) and name:
            return canonicalize_name(name)
    if tree.is_file("setup.cfg"):
        match = re.search(r"^\[metadata\][^\[]*?^name\s*=\s*(\S+)", tree.read_text("setup.cfg"), re.M | re.S)
        if match:
            return canonicalize_name(match[1])
    return canonicalize_name(fallback or folder.name)


def _requirement_folder(text: str, source: str) -> str | None:
    """The local folder a requirements line installs (``-e ../lib``, ``../lib``, ``file:../lib``,
    ``lib @ file:///abs/lib``), as written (``file:`` and ``#egg=`` removed), or None."""
    if source == "url":
        try:
            text = Requirement(text).url or ""
        except InvalidRequirement:
            return None
        if not text.startswith(("file:", "./", "../", "/")):  # pip takes ``name @ ../lib`` too
            return None
    elif source != "path":
        return None
    path = re.split(r"[#;]", text, maxsplit=1)[0].strip()
    path = re.sub(r"\[[^\]]*\]$", "", path)  # extras: ../lib[fast]
    if path.startswith("file://"):
        path = re.sub(r"^file://(localhost)?", "", path)
    return path.removeprefix("file:") or None


def requirements_packages(tree: ProjectTree) -> tuple[str, list[tuple[str, str, str, int | None]]] | None:
    """(requirements file, [(name, folder relative to the app, file, line)]) of the local folders a
    requirements project installs (``-e ../../libs/common``, ``../lib``, ``file:../lib``), including
    ``-r`` files, or a Rye project's lock its workspace members (``-e file:packages/core``); None when the
    project's manager is not requirements, pip-tools or Rye. Relative paths are the
    app folder's, where ``pip install -r`` runs; the project itself (``-e .``) is left out."""
    from dockwright.project import managers

    pyproject = tree.read_toml("pyproject.toml") if tree.is_file("pyproject.toml") else None
    candidates = managers.find_candidates(tree, pyproject)
    if not candidates:
        return None
    kind = min(candidates, key=lambda c: c.rank).manager
    if kind not in ("requirements", "pip-tools", "rye"):
        return None
    # Rye's lock names a workspace's members as `-e file:packages/core`, relative to the lock's folder
    rel = rye_lock(tree) or RYE_LOCK if kind == "rye" else managers.requirements_input(tree, kind)
    if not tree.is_file(rel):
        return None
    reqs, _files = managers.parse_requirements(tree, rel)
    found: dict[str, tuple[str, str, str, int | None]] = {}
    for req in reqs:
        written = _requirement_folder(req.text, req.source)
        if written is None or written.endswith(ARCHIVES):
            continue  # a built file: the requirements' own wheel handling (--find-links, refusals)
        folder = Path(os.path.normpath(tree.root / written))
        if folder == tree.root:
            continue  # -e . : the project itself
        relative = os.path.relpath(folder, tree.root).replace(os.sep, "/")
        # a folder reached through a symlink is refused (_check_folder) before anything in it is read
        name = (
            _package_name(folder, req.name) if folder.resolve() == folder else canonicalize_name(folder.name)
        )
        found.setdefault(name, (name, relative, req.file, req.line))
    return rel, list(found.values())


def _uv_source(tree: ProjectTree, lock: str, name: str) -> tuple[Evidence, ...]:
    """The ``[tool.uv.sources]`` line that points ``name`` at its folder (what the user wrote; the
    lock line is what uv resolved from it)."""
    if lock != "uv.lock":
        return ()
    spelled = "[-_.]".join(re.escape(part) for part in name.split("-"))
    line = tree.line_of("pyproject.toml", rf"(?i)^\s*{spelled}\s*=\s*\{{[^}}\n]*\b(path|editable)\b")
    return (Evidence("pyproject.toml", line, "[tool.uv.sources] entry"),) if line else ()


def path_dependencies(app: Path) -> WorkspaceFacts | None:
    """The build context of an app with local path dependencies (a Poetry/PDM/uv lock's path entries,
    a lock-less pyproject's path tables, a requirements file's folder lines), or None when it has none.

    ``app`` is resolved (no symlink in it). Paths in the answer are relative to the context."""
    tree = ProjectTree(app)
    lock = _lock_of(tree)
    local: list[tuple[str, str, str, int | None]]
    if lock is not None:
        local = [(n, w, lock, line) for n, w, line in local_packages(tree, lock)]
        source = lock
    elif tree.is_file("pyproject.toml") and not tree.is_file("uv.lock") and declared_packages(tree):
        source = "pyproject.toml"
        local = [(n, w, source, line) for n, w, line in declared_packages(tree)]
    else:
        from_requirements = requirements_packages(tree)
        if from_requirements is None:
            return None
        source, local = from_requirements
    if not local:
        return None
    folders = [
        (name, _check_folder(app, name, written, file), written, file, line)
        for name, written, file, line in local
    ]
    context = Path(os.path.commonpath([app, *(f for _, f, _, _, _ in folders)]))
    for name, _folder_path, written, file, _line in folders:
        _check_context(app, context, name, written, file)
    member = app.relative_to(context).as_posix()
    copies = tuple(
        Fact(
            folder.relative_to(context).as_posix(),
            (
                Evidence(
                    file, line, f"installed from the path {written} (a local path dependency of the app)"
                ),
                *_uv_source(tree, file, name),
            ),
        )
        for name, folder, written, file, line in folders
    )
    names = ", ".join(f"{name} ({written})" for name, _f, written, _s, _l in folders)
    if member == ".":
        why = f"{source} installs {names} from folders inside the project: the project is the build context"
    else:
        why = (
            f"{source} installs {names}: the build context is {context.name or context}/, the smallest "
            f"folder holding the app ({member}/) and its path dependencies"
        )
    project = tree.read_toml("pyproject.toml") if tree.is_file("pyproject.toml") else {}
    name = (project.get("project") or {}).get("name") or project.get("tool", {}).get("poetry", {}).get("name")
    requires = tuple(dict.fromkeys(r for _n, f, _w, _s, _l in folders for r in _build_requires(f)))
    first_file, first_line = local[0][2], local[0][3]
    return WorkspaceFacts(
        "path-dependencies",
        str(context),
        Fact(member, (Evidence(first_file, first_line, why),)),
        canonicalize_name(str(name or app.name)),
        lock,
        copies,
        tuple(f.value for f in copies),
        (),
        (),
        requires,
        tuple(name for name, _f, _w, _s, _l in folders),
    )


def _folders(workspace: WorkspaceFacts | None) -> tuple[str, ...]:
    if workspace is None or workspace.kind != "path-dependencies":
        return ()
    return tuple(f.value for f in workspace.copies)


def built_from_folders(deps: Dependencies, workspace: WorkspaceFacts | None) -> Dependencies:
    """``deps`` without the path packages the image builds from their folders (as for a uv workspace's
    members): they are no locked download, so no compiler is planned for them as for an sdist."""
    if not _folders(workspace):
        return deps
    local = {p.name for p in deps.locked if p.source == "path"}
    locked = tuple(p for p in deps.locked if p.name not in local)
    # a project whose only dependencies are its libraries has no third-party layer
    declared = tuple(d for d in deps.declared if _name(d) not in local)
    return dataclasses.replace(deps, locked=locked, declared=declared)


def folders_native(workspace: WorkspaceFacts | None) -> tuple[OwnNativeNeed, ...]:
    """The path dependencies' own compiled code (a setup.py Extension, maturin ...): the builder
    compiles it when it builds their wheels."""
    from dockwright.project.own_native import detect_own_native

    found: list[OwnNativeNeed] = []
    for folder in _folders(workspace):
        assert workspace is not None
        tree = ProjectTree(Path(workspace.context) / folder)
        pyproject = tree.read_toml("pyproject.toml") if tree.is_file("pyproject.toml") else None
        found += detect_own_native(tree, pyproject)
    return tuple(found)
