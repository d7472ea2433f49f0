"""Where the app is in a bigger repository: a uv workspace member, or a ``backend/`` folder.

``locate(path, package)`` runs before detection and answers three questions: which folder is the app
(detection reads it), which folder is the build context, and what of the context the image takes.

1. **uv workspace** (``[tool.uv.workspace]`` in ``path/pyproject.toml`` or a parent's, with the
   member globs matching ``path``): the context is the workspace root, where ``uv.lock`` is. At the
   root, ``--package NAME`` picks the member; without it the member that is an app is picked (members
   another member depends on are libraries; web beats worker beats CLI, as for processes): exactly one
   must win, else the candidates are listed. The root's own ``[project]`` is the app when named, when
   no member is one, or when it starts as a better kind than every member (a web service at the root
   beside a CLI client member). The image takes the member and the workspace/path dependencies it
   reaches through ``uv.lock`` (each with the lock line), plus every member's pyproject.toml, which
   ``uv sync --locked`` reads to check the lock is current.
2. **A folder app** (nothing Python at the root, no dependency file and no top-level ``.py``; exactly
   one top-level folder with a dependency file, ``docs/``, ``tests/``, ``examples/`` ... never):
   that folder is the app and its own context. So is the folder the root's compose file builds its
   service from (``build: app/``) when the root has no dependency file, even with ``.py`` files there
   (an editor's template ``main.py``); several such folders: an error that lists them.
3. Anything else: ``path`` itself, or, when its Poetry/PDM lock installs local folders, the smallest
   folder holding it and them (``project/pathdeps.py``).

Path dependencies that leave the context cannot be copied into the image: refused naming the
dependency and the fix.
"""

from __future__ import annotations

import dataclasses
import fnmatch
import posixpath
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from packaging.utils import canonicalize_name

from dockwright.errors import ProjectError
from dockwright.project.facts import Dependencies, Evidence, Fact, UvSelection, WorkspaceFacts
from dockwright.project.pathdeps import path_dependencies
from dockwright.project.tree import ProjectTree
from dockwright.secrets import secret_match

MAX_PARENTS = 8
"""How far above ``path`` a workspace root is looked for (uv itself stops at the filesystem root)."""

NOT_APP_FOLDERS = frozenset(
    {"docs", "doc", "tests", "test", "examples", "example", "scripts", "benchmarks", "bench", "samples"}
    | {"demo", "contrib", "tools", "migrations", "frontend", "web", "ui", "client", "node_modules"}
)
"""Top-level folders never taken for the app of a monorepo (documentation, tests, a JavaScript client)."""
_CLIENT_FOLDERS = frozenset({"frontend", "web", "ui", "client"})
"""Of those, the names a JavaScript client's folder has, which a Python UI's has as often (a Streamlit
``frontend/`` beside its ``api/``): a folder compose builds an image from that declares Python
dependencies is a service whatever its name."""

_KIND_RANK = {"web": 0, "worker": 1, "cli": 2, "script": 3}
# what a member others depend on may be picked as: a server it also is, never its console scripts
_SERVICE_KINDS = frozenset({"web", "worker"})


@dataclass(frozen=True)
class Location:
    """The app's folder, the build context, and (when they differ) the facts that say why."""

    app: Path
    context: Path
    workspace: WorkspaceFacts | None = None


def locate(path: Path, package: str | None = None) -> Location:
    """Where the app and the build context are for ``path`` (see the module docstring)."""
    path = path.resolve()
    root = workspace_root(path)
    if root is not None:
        return _uv_member(root, path, package)
    if package:
        raise ProjectError(
            f"--package {package}: {path.name or path} is in no uv workspace ([tool.uv.workspace]); "
            "give the app's folder instead (dockwright init FOLDER)"
        )
    tree = ProjectTree(path)
    built = compose_folders(tree) if not _declares_dependencies(tree) else None
    if is_python_project(tree) and not built:
        _root_only_names(path, tree)
        local = path_dependencies(path)  # Poetry/PDM path dependencies: the context holds them too
        return Location(path, Path(local.context), local) if local else Location(path, path)
    if built:
        compose, folders = built
        if len(folders) > 1:
            listed = ", ".join(f"{name}/" for name in folders)
            raise ProjectError(
                f"no dependency file at the root, and {compose} builds its services from several folders "
                f"that hold a Python project ({listed}); give the app's folder: dockwright init {folders[0]}"
            )
        folder = folders[0]
        why = (
            f"no dependency file at the root (its .py files are not the app); {compose} builds its "
            f"service from {folder}/, which holds a Python project, so it is the app and its own build "
            "context"
        )
    else:
        found = app_folder(tree)
        if found is None:
            return Location(path, path)
        folder = found
        why = (
            f"no dependency file or .py file at the root; {folder}/ is the one folder that holds a Python "
            "project (or, of several, the one whose console script the root's Dockerfile runs), so it is "
            "the app and its own build context"
        )
    inner = locate(path / folder)
    if inner.workspace is not None:
        return inner
    evidence = Evidence(folder, None, why)
    facts = WorkspaceFacts("subdirectory", str(path / folder), Fact(".", (evidence,)), "", None)
    return Location(path / folder, path / folder, facts)


# ------------------------------------------------------------------------------------------ folder apps


def _root_only_names(path: Path, tree: ProjectTree) -> None:
    """Refuse a lock-less project naming a package its monorepo's root installs from a folder
    (``project/sibling_names.py``)."""
    from dockwright.project.pathdeps import _roots, declared_packages
    from dockwright.project.sibling_names import refuse_root_only_names

    if not tree.is_file("pyproject.toml"):
        return
    pyproject = tree.read_toml("pyproject.toml")
    refuse_root_only_names(path, _roots(pyproject), lambda: {n for n, _f, _l in declared_packages(tree)})


def is_python_project(tree: ProjectTree) -> bool:
    """A dependency manager's file (the managers' own candidates: a pyproject.toml holding only tool
    settings is none) or a ``.py`` file at the top of the tree."""
    return bool(_declares_dependencies(tree)) or any(f.endswith(".py") for f in tree.top_files())


def _declares_dependencies(tree: ProjectTree) -> bool:
    from dockwright.project.managers import find_candidates

    pyproject = tree.read_toml("pyproject.toml") if tree.is_file("pyproject.toml") else None
    return bool(find_candidates(tree, pyproject))


def _folder_declares_dependencies(tree: ProjectTree) -> bool:
    try:
        return _declares_dependencies(tree)
    except ProjectError:  # a broken file in some other folder is not this app's concern
        return False


def compose_folders(tree: ProjectTree) -> tuple[str, list[str]] | None:
    """The root's compose file and the folders below the root its services are built from (``build:
    app/`` or ``build: {context: ./app}``) that hold a Python project, when none is built from the root
    itself; None otherwise. A repository whose compose file builds its images from ``app/`` and ``bot/``
    keeps its code there, whatever stray ``.py`` file (an editor's template ``main.py``) sits at the root."""
    from dockwright.project.detectors.compose import _compose_in

    found = _compose_in(tree)
    if found is None:
        return None
    name, services = found
    folders: list[str] = []
    for service in services.values():
        build = service.get("build") if isinstance(service, dict) else None
        if isinstance(build, dict):
            build = build.get("context", ".")
        if not isinstance(build, str) or "://" in build or build.startswith("git@"):
            continue
        context = build.strip().removeprefix("./").rstrip("/") or "."
        if context in (".", "") or context.startswith(("/", "..")) or "/../" in f"/{context}/":
            return None  # the root is built too: it is a project of its own
        if not (tree.root / context).is_dir() or context in folders:
            continue
        if any(part.lower() in NOT_APP_FOLDERS - _CLIENT_FOLDERS for part in context.split("/")):
            continue  # a docs site's or the tests' image (`build: ./docs` for mkdocs)
        if _folder_declares_dependencies(ProjectTree(tree.root / context)):
            folders.append(context)
    return (name, folders) if folders else None


def service_folders_note(tree: ProjectTree) -> str | None:
    """A note when the root declares dependencies of its own (a list for a linter or CI) but its compose
    file builds every service from folders that each hold a project (``build: ./api``): the repository's
    images are those folders', which ``dockwright init FOLDER`` plans; None otherwise."""
    if not _declares_dependencies(tree):
        return None  # locate() already made the folder the app, or refused
    built = compose_folders(tree)
    if built is None:
        return None
    compose, folders = built
    listed = ", ".join(f"{name}/" for name in folders)
    return (
        f"{compose} builds its services from {listed} (each with dependencies of its own), none from the "
        "root: this plan is the root's dependency list with the app the scan found; to build a service "
        f"as the repository does, give its folder (dockwright init {folders[0]})"
    )


def app_folder(tree: ProjectTree) -> str | None:
    """The one top-level folder holding a Python project; None when there is none; several: an error."""
    found = [
        name
        for name in tree.top_dirs()
        if not name.startswith(".")
        and name.lower() not in NOT_APP_FOLDERS
        and _folder_declares_dependencies(ProjectTree(tree.root / name))
    ]
    if not found:
        found = _nested_apps(tree)
    if len(found) > 1:
        started = _started_by_own_image(tree, found)
        if started is not None:
            return started
        listed = ", ".join(f"{name}/" for name in found)
        raise ProjectError(
            f"no Python project at the root, but several folders hold one ({listed}); "
            f"give the app's folder: dockwright init {found[0]}"
        )
    return found[0] if found else None


def _started_by_own_image(tree: ProjectTree, folders: list[str]) -> str | None:
    """Of several folders holding a project (``packages/tool``, ``packages/tool-plugin``), the one whose
    console script the root's own Dockerfile runs (``ENTRYPOINT ["tool"]`` after ``pip install
    ./packages/tool[all]``): the app the repository ships; None when not exactly one declares it."""
    from dockwright.project.own_image import own_final, unwrapped

    own = own_final(tree)
    argv = unwrapped(list(own[2].argv)) if own is not None else []
    if not argv:
        return None
    program = argv[0].rsplit("/", 1)[-1]
    declaring = []
    for folder in folders:
        sub = ProjectTree(tree.root / folder)
        try:
            data = sub.read_toml("pyproject.toml") if sub.is_file("pyproject.toml") else {}
        except ProjectError:
            continue  # said where that folder is planned
        project = data.get("project") if isinstance(data, dict) else None
        scripts = project.get("scripts") if isinstance(project, dict) else None
        if isinstance(scripts, dict) and program in scripts:
            declaring.append(folder)
    return declaring[0] if len(declaring) == 1 else None


def _nested_apps(tree: ProjectTree) -> list[str]:
    """The projects one level further down (a monorepo's ``services/api``, ``libs/common``) that no
    other of them installs by path: the apps, its libraries left out."""
    nested = [
        f"{top}/{name}"
        for top in tree.top_dirs()
        if not top.startswith(".") and top.lower() not in NOT_APP_FOLDERS
        for name in ProjectTree(tree.root / top).top_dirs()
        if not name.startswith(".")
        and name.lower() not in NOT_APP_FOLDERS
        and _folder_declares_dependencies(ProjectTree(tree.root / top / name))
    ]
    libraries: set[str] = set()
    for folder in nested:
        try:
            local = path_dependencies((tree.root / folder).resolve())
        except ProjectError:
            continue  # refused later, when that app is planned
        if local is not None:
            context = Path(local.context)
            libraries |= {
                (context / c.value).relative_to(tree.root.resolve()).as_posix() for c in local.copies
            }
    return sorted(f for f in nested if f not in libraries)


# ------------------------------------------------------------------------------------------ uv workspaces


def _workspace_table(tree: ProjectTree) -> dict[str, Any] | None:
    if not tree.is_file("pyproject.toml"):
        return None
    data = tree.read_toml("pyproject.toml")
    table = data.get("tool", {}).get("uv", {}).get("workspace")
    return table if isinstance(table, dict) else None


def workspace_root(path: Path) -> Path | None:
    """``path`` or the nearest parent whose ``[tool.uv.workspace]`` has ``path`` as a member."""
    for depth, folder in enumerate((path, *path.parents)):
        if depth > MAX_PARENTS:
            return None
        table = _workspace_table(ProjectTree(folder))
        if table is None:
            continue
        if folder == path:
            return folder
        rel = path.relative_to(folder).as_posix()
        if rel in member_folders(ProjectTree(folder), table):
            return folder
        return None  # a workspace that does not claim it: uv treats path as its own project
    return None


def _strings(value: Any, key: str) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ProjectError(f"[tool.uv.workspace] {key} must be a list of strings", file="pyproject.toml")
    return list(value)


def member_folders(tree: ProjectTree, table: dict[str, Any]) -> list[str]:
    """Folders (relative, sorted) the member globs match minus ``exclude``, each with a pyproject.toml."""
    exclude = _strings(table.get("exclude"), "exclude")
    found: set[str] = set()
    for pattern in _strings(table.get("members"), "members"):
        for folder in _glob(tree, pattern.strip("/")):
            excluded = any(fnmatch.fnmatchcase(folder, e.strip("/")) for e in exclude)
            if not excluded and tree.is_file(f"{folder}/pyproject.toml"):
                found.add(folder)
    return sorted(found)


def _glob(tree: ProjectTree, pattern: str) -> list[str]:
    """Folders matching a ``/``-separated glob (``*``, ``?``, ``[...]`` per segment), inside the tree."""
    found = ["."]
    for segment in pattern.split("/"):
        step: list[str] = []
        for base in found:
            names = tree.listdir(base)
            for name in names if any(c in segment for c in "*?[") else [segment]:
                child = name if base == "." else f"{base}/{name}"
                if fnmatch.fnmatchcase(name, segment) and tree.is_dir(child) and not name.startswith("."):
                    step.append(child)
        found = step
    return found


@dataclass(frozen=True)
class _LockNode:
    name: str
    folder: str | None  # local packages: their folder relative to the lock; else None
    is_package: bool  # an editable (built) member, not a virtual one
    deps: tuple[tuple[str, tuple[str, ...]], ...]  # (name, extras asked)
    extras: dict[str, tuple[tuple[str, tuple[str, ...]], ...]]
    groups: dict[str, tuple[tuple[str, tuple[str, ...]], ...]]  # [package.dev-dependencies]


def _edges(items: Any) -> tuple[tuple[str, tuple[str, ...]], ...]:
    out = []
    for item in items or []:
        if isinstance(item, dict) and item.get("name"):
            extras = item.get("extra") or ()
            out.append((canonicalize_name(str(item["name"])), tuple(str(e) for e in extras)))
    return tuple(out)


def _lock_nodes(tree: ProjectTree) -> dict[str, _LockNode]:
    data = tree.read_toml("uv.lock")
    nodes: dict[str, _LockNode] = {}
    for pkg in data.get("package", []):
        name = canonicalize_name(str(pkg.get("name", "")))
        source = pkg.get("source") or {}
        folder = next(
            (str(source[k]) for k in ("editable", "virtual", "directory", "path") if k in source), None
        )
        extras: dict[str, tuple[tuple[str, tuple[str, ...]], ...]] = {
            canonicalize_name(str(extra)): _edges(items)
            for extra, items in (pkg.get("optional-dependencies") or {}).items()
        }
        groups: dict[str, tuple[tuple[str, tuple[str, ...]], ...]] = {
            canonicalize_name(str(group)): _edges(items)
            for group, items in (pkg.get("dev-dependencies") or {}).items()
        }
        node = _LockNode(
            name, folder, "virtual" not in source, _edges(pkg.get("dependencies")), extras, groups
        )
        first = nodes.setdefault(name, node)
        if first is not node:  # one name locked twice (torch for cpu and for gpu): either one's edges
            nodes[name] = dataclasses.replace(
                first,
                deps=(*first.deps, *node.deps),
                extras={
                    k: (*first.extras.get(k, ()), *node.extras.get(k, ()))
                    for k in {*first.extras, *node.extras}
                },
            )
    return nodes


def reachable(
    nodes: dict[str, _LockNode], start: str, extras: tuple[str, ...] = (), groups: tuple[str, ...] = ()
) -> list[str]:
    """Names the lock installs for ``start`` (dependencies and the extras edges ask for; of its own
    extras and dependency groups, ``extras`` and ``groups`` only)."""
    seen: dict[str, set[str]] = {}
    node = nodes.get(start)
    own = [e for g in groups for e in (node.groups.get(canonicalize_name(g), ()) if node else ())]
    queue: list[tuple[str, tuple[str, ...]]] = [(start, extras), *own]
    while queue:
        name, extras = queue.pop(0)
        node = nodes.get(name)
        if node is None:
            continue
        done = seen.get(name)
        todo = list(node.deps) if done is None else []
        done = seen.setdefault(name, set())
        for extra in extras:
            if extra not in done:
                done.add(extra)
                todo += node.extras.get(canonicalize_name(extra), ())
        queue += todo
    return list(seen)


def _member_name(tree: ProjectTree, folder: str) -> str:
    data = tree.read_toml(f"{folder}/pyproject.toml" if folder != "." else "pyproject.toml")
    project = data.get("project")
    name = project.get("name") if isinstance(project, dict) else None
    if not isinstance(name, str) or not name:
        where = f"{folder}/pyproject.toml" if folder != "." else "pyproject.toml"
        raise ProjectError("a uv workspace member needs [project] name", file=where)
    return canonicalize_name(name)


def _uv_member(root: Path, path: Path, package: str | None) -> Location:
    tree = ProjectTree(root)
    table = _workspace_table(tree) or {}
    folders = member_folders(tree, table)
    if _has_project(tree):
        folders = [".", *folders]
    names = {_member_name(tree, folder): folder for folder in folders}
    locked = tree.is_file("uv.lock")
    if locked:
        nodes = _lock_nodes(tree)
    else:  # no uv.lock: the members' own pyproject sources (project/unlocked_workspace.py)
        from dockwright.project.unlocked_workspace import declared_graph

        graph, where = declared_graph(tree, names)
        nodes = {n: _LockNode(n, f, p, d, e, {}) for n, (f, p, d, e) in graph.items()}
    others: tuple[str, ...] = ()
    if path != root:
        member = path.relative_to(root).as_posix()
        name = next(n for n, f in names.items() if f == member)
        if package and canonicalize_name(package) != name:
            raise ProjectError(f"--package {package}: {member}/ is the member {name}; give one or the other")
        why = f"{member}/ is a member of the uv workspace at the root ([tool.uv.workspace] members)"
    elif package:
        name = canonicalize_name(package)
        if name not in names:
            raise ProjectError(
                f"--package {package}: no such workspace member; the members are {', '.join(sorted(names))}",
                file="pyproject.toml",
            )
        member = names[name]
        why = f"--package {package}: the workspace member in {member}/"
    else:
        name, member, why, others = _app_member(tree, names, nodes)
    evidence = Evidence("pyproject.toml", tree.line_of("pyproject.toml", r"^\[tool\.uv\.workspace\]"), why)
    if not locked:
        return _unlocked(root, name, member, evidence, graph, where)
    return Location(
        root / member if member != "." else root,
        root,
        _member_facts(tree, nodes, name, member, folders, evidence, others),
    )


def _unlocked(
    root: Path, name: str, member: str, evidence: Evidence, graph: dict[str, Any], where: dict[str, Any]
) -> Location:
    """The member of a workspace without uv.lock, planned as an app with path dependencies (its own
    context when it reaches no local package)."""
    from dockwright.project.unlocked_workspace import unlocked_facts

    app = root / member if member != "." else root
    facts = unlocked_facts(root, name, member, evidence, graph, where)
    if facts is not None:
        return Location(app, root, facts)
    if member == ".":
        return Location(root, root)
    why = (
        f"{evidence.detail}; no uv.lock and no workspace or path source: the member is its own build "
        "context, its dependencies resolved from its pyproject.toml"
    )
    own = WorkspaceFacts(
        "subdirectory", str(app), Fact(".", (Evidence(evidence.file, evidence.line, why),)), "", None
    )
    return Location(app, app, own)


def _has_project(tree: ProjectTree) -> bool:
    data = tree.read_toml("pyproject.toml")
    return isinstance(data.get("project"), dict)


def _member_facts(
    tree: ProjectTree,
    nodes: dict[str, _LockNode],
    name: str,
    member: str,
    folders: list[str],
    evidence: Evidence,
    others: tuple[str, ...],
) -> WorkspaceFacts:
    if name not in nodes:
        raise ProjectError(f"uv.lock does not lock the member {name}: run `uv lock`", file="uv.lock")
    copies, packages = _copies(tree, nodes, name)
    manifests = ("pyproject.toml", *(f"{f}/pyproject.toml" for f in folders if f != "."))
    members = _dynamic_members(tree, folders)
    return WorkspaceFacts(
        "uv-workspace",
        str(tree.root),
        Fact(member, (evidence,)),
        name,
        "uv.lock",
        tuple(copies),
        tuple(packages),
        manifests,
        others,
        metadata_files=_metadata_files(members),
        root_entries=_root_entries(tree) if "." in packages else (),
        scm_env=_scm_env(members),
    )


# (folder, its tree, its pyproject, its `[project] dynamic` list)
_DynamicMember = tuple[str, ProjectTree, dict[str, Any], list[Any]]


def _dynamic_members(tree: ProjectTree, folders: list[str]) -> list[_DynamicMember]:
    """(folder, its tree, its pyproject, its ``[project] dynamic`` list) of the root and each member
    folder whose metadata is dynamic: what ``uv sync`` has the backend build."""
    out: list[_DynamicMember] = []
    for folder in [".", *(f for f in folders if f != ".")]:
        member = tree if folder == "." else ProjectTree(tree.root / folder)
        pyproject = member.read_toml("pyproject.toml") if member.is_file("pyproject.toml") else {}
        project = pyproject.get("project")
        dynamic = project.get("dynamic") if isinstance(project, dict) else None
        if isinstance(dynamic, list) and dynamic:
            out.append((folder, member, pyproject, dynamic))
    return out


def _scm_env(
    members: list[_DynamicMember],
) -> tuple[Fact[str | None], ...]:
    """For each member (:func:`_dynamic_members`) whose version is dynamic and read from git by its
    build backend, the variable that hands it one (project/metadata.py ``scm_version_env``), its evidence
    in that member's files: ``uv sync`` builds the metadata or the wheel of every workspace package it
    installs or checks, and the build has no .git."""
    from dockwright.project.metadata import scm_version_env  # metadata imports the detectors

    found: dict[str, Fact[str | None]] = {}
    for folder, member, pyproject, dynamic in members:
        build = pyproject.get("build-system")
        requires = build.get("requires") if isinstance(build, dict) else None
        if "version" not in dynamic or not isinstance(requires, list):
            continue
        fact = scm_version_env(member, pyproject, tuple(str(r) for r in requires))
        if fact.value is not None and fact.value not in found:
            where = "pyproject.toml" if folder == "." else f"{folder}/pyproject.toml"
            found[fact.value] = Fact(
                fact.value, tuple(dataclasses.replace(e, file=where) for e in fact.evidence)
            )
    return tuple(found.values())


def _root_entries(tree: ProjectTree) -> tuple[str, ...]:
    """The workspace root's top-level files and folders, for a root that is a package the app reaches:
    what its backend builds from (``src/``, its readme ...), less hidden entries (VCS, caches, CI), the
    tests, docs and examples folders (a member there is re-included on its own), the recipes of other
    images, files the secret patterns match and descriptors holding a secret (project/secret_files.py;
    a folder holding one stays out whole)."""
    from dockwright.project.metadata import DOC_DIRS, TEST_DIRS  # metadata imports the detectors
    from dockwright.project.secret_files import secret_files

    # the root's descriptors holding a secret (a compose file's password) stay out, as a project's do
    held = {posixpath.normpath(e.file).split("/")[0] for e in secret_files(tree)}
    skipped = {*TEST_DIRS, *DOC_DIRS, *held, "examples", "Dockerfile", "Containerfile", "node_modules"}
    names = [*tree.top_dirs(), *tree.top_files()]
    return tuple(
        sorted(
            n
            for n in names
            if not n.startswith(".")
            and n not in skipped
            and not n.endswith(".dockerignore")
            and secret_match(n) is None
        )
    )


def _metadata_files(members: list[_DynamicMember]) -> tuple[str, ...]:
    """The files the backend of each member (:func:`_dynamic_members`) whose metadata is dynamic beyond
    its version reads to make it (project/metadata.py ``metadata_reads``): ``uv sync --locked
    --no-install-workspace`` builds that metadata to check the lock (a hatch metadata hook's
    dependencies), and the backend stops on a missing readme. A dynamic version alone is not built for
    that."""
    from dockwright.project.metadata import metadata_reads  # metadata imports the detectors

    out: list[str] = []
    for folder, member, pyproject, dynamic in members:
        if [d for d in dynamic if d != "version"]:
            out += [f if folder == "." else f"{folder}/{f}" for f in metadata_reads(member, pyproject)]
    return tuple(dict.fromkeys(out))


def _copies(
    tree: ProjectTree,
    nodes: dict[str, _LockNode],
    name: str,
    extras: tuple[str, ...] = (),
    groups: tuple[str, ...] = (),
) -> tuple[tuple[Fact[str], ...], tuple[str, ...]]:
    """The folders the member ``name`` reaches through the lock (its dependencies, and those of the
    ``extras`` and ``groups`` it installs), each with the lock line and why, and which are packages."""
    base = reachable(nodes, name)
    through: dict[str, str] = {}
    for kind, chosen in (("extra", extras), ("group", groups)):
        for each in chosen:
            one = (each,) if kind == "extra" else ()
            for reached in reachable(nodes, name, one, (each,) if kind == "group" else ()):
                if reached not in base:
                    through.setdefault(reached, f"{kind} {each}")
    copies: list[Fact[str]] = []
    packages: list[str] = []
    for reached in [*base, *through]:
        node = nodes[reached]
        if node.folder is None:
            continue
        folder = node.folder.strip("/") or "."
        if folder.startswith("..") or Path(folder).is_absolute():
            raise ProjectError(
                f"{reached} is installed from {node.folder}, outside the workspace root (the build "
                "context): move it into the workspace (a member) or publish it to an index",
                file="uv.lock",
            )
        line = tree.line_of("uv.lock", rf'^name = "{re.escape(reached)}"')
        if reached == name:
            detail = "the app member"
        elif reached in through:
            detail = f"{name} depends on it through its {through[reached]}, which the image installs"
        else:
            detail = f"{name} depends on it (workspace/path source)"
        copies.append(Fact(folder, (Evidence("uv.lock", line, detail),)))
        if node.is_package:
            packages.append(folder)
    return tuple(copies), tuple(packages)


def with_selection(workspace: WorkspaceFacts, selection: UvSelection | None) -> WorkspaceFacts:
    """``workspace`` whose copied folders include the members the ``selection``'s extras and groups
    reach (``uv sync --package app --extra x`` builds them from their folders); itself when none."""
    if workspace.kind != "uv-workspace" or selection is None:
        return workspace
    if not selection.extra_names and not selection.group_names:
        return workspace
    tree = ProjectTree(Path(workspace.context))
    copies, packages = _copies(
        tree, _lock_nodes(tree), workspace.package, selection.extra_names, selection.group_names
    )
    if [c.value for c in copies] == [c.value for c in workspace.copies]:
        return workspace
    return dataclasses.replace(workspace, copies=copies, packages=packages)


def _app_member(
    tree: ProjectTree, names: dict[str, str], nodes: dict[str, _LockNode]
) -> tuple[str, str, str, tuple[str, ...]]:
    """The one member that is an app: not a dependency of another member, the best start kind."""
    # a library is what another member depends on; the root's own dependencies do not count (a root
    # that depends on every member only gathers them for development)
    needed = {
        dep
        for member, folder in names.items()
        if folder != "."
        for dep, _ in (nodes[member].deps if member in nodes else ())
    }
    kinds: dict[str, str] = {}
    for name, folder in names.items():
        if name in needed or folder == ".":
            continue
        kind = _app_kind(ProjectTree(tree.root / folder, nested_members(folder, names.values())))
        if kind is not None:
            kinds[name] = kind
    root_name = next((n for n, f in names.items() if f == "."), None)
    if not kinds:
        return _without_a_leaf_app(tree, names, nodes, needed, root_name)
    if root_name is not None and root_name not in needed:
        # the root's own project may be the app itself, its members tools around it (a web service
        # with a CLI client member): it wins when it starts as a better kind than every member
        root_kind = _app_kind(ProjectTree(tree.root, nested_members(".", names.values())))
        best_member = min(_KIND_RANK[k] for k in kinds.values())
        if root_kind is not None and _KIND_RANK[root_kind] < best_member:
            listed = tuple(f"{n} ({names[n]}/): {kinds[n]}" for n in sorted(kinds))
            why = (
                f"the workspace root's own project is a {root_kind} app, ahead of the members "
                f"({'; '.join(listed)}; --package NAME picks one)"
            )
            return root_name, ".", why, listed
    listed = tuple(f"{n} ({names[n]}/): {kinds[n]}" for n in sorted(kinds))
    chosen = _best_ranked(kinds, "several members of the uv workspace are")
    others = tuple(item for item in listed if not item.startswith(f"{chosen} ("))
    why = f"the one {kinds[chosen]} app among the members no other member depends on" + (
        f" (also apps: {'; '.join(others)}; --package NAME picks one)" if others else ""
    )
    return chosen, names[chosen], why, others


def _best_ranked(kinds: dict[str, str], several: str) -> str:
    """The member whose kind ranks first (web before worker before cli ...); a tie is refused in one
    line, ``several`` saying among which members, naming them and the --package that picks one."""
    best = min(_KIND_RANK[k] for k in kinds.values())
    winners = sorted(n for n, k in kinds.items() if _KIND_RANK[k] == best)
    if len(winners) > 1:
        raise ProjectError(
            f"{several} {kinds[winners[0]]} apps ({', '.join(winners)}); "
            f"choose one with --package {winners[0]}",
            file="pyproject.toml",
        )
    return winners[0]


def _without_a_leaf_app(
    tree: ProjectTree,
    names: dict[str, str],
    nodes: dict[str, _LockNode],
    needed: set[str],
    root_name: str | None,
) -> tuple[str, str, str, tuple[str, ...]]:
    """No member outside the others' dependencies starts: the root's own project when it starts (or
    when nothing else does), else the one service (web or worker) among the members others depend
    on (a web server that a desktop shell or a packaging member wraps and imports)."""
    from_root = "no member is an app, so the workspace root's own project is"
    if root_name is not None and _app_kind(ProjectTree(tree.root, nested_members(".", names.values()))):
        return root_name, ".", from_root, ()
    wrapped: dict[str, str] = {}
    for name in sorted(needed):
        folder = names.get(name)
        if folder is None or folder == ".":
            continue
        kind = _app_kind(ProjectTree(tree.root / folder, nested_members(folder, names.values())))
        if kind in _SERVICE_KINDS:
            wrapped[name] = kind
    if not wrapped:
        if root_name is not None:
            return root_name, ".", from_root, ()
        raise ProjectError(
            f"no member of the uv workspace is an app ({', '.join(sorted(names))}); "
            "give the member with --package NAME",
            file="pyproject.toml",
        )
    chosen = _best_ranked(
        wrapped, "no member of the uv workspace is an app on its own, and several that others depend on are"
    )
    users = sorted(
        names[m]
        for m in names
        if m in nodes and names[m] != "." and any(dep == chosen for dep, _ in nodes[m].deps)
    )
    why = (
        f"no member outside the others' dependencies starts, and {chosen} is the one {wrapped[chosen]} "
        f"app among those they depend on (used by {', '.join(f'{u}/' for u in users)}; "
        "--package NAME picks another)"
    )
    return chosen, names[chosen], why, ()


def nested_members(folder: str, folders: Iterable[str]) -> frozenset[str]:
    """The member folders inside ``folder`` (a member at ``examples/`` with members at
    ``examples/servers/*``), relative to it: their sources are not the member's own."""
    prefix = "" if folder in ("", ".") else folder.strip("/") + "/"
    return frozenset(
        f.strip("/")[len(prefix) :]
        for f in folders
        if f.strip("/").startswith(prefix) and f.strip("/") != folder.strip("/") and f not in ("", ".")
    )


def _app_kind(tree: ProjectTree) -> str | None:
    """How the member starts (web, worker, cli, script), or None when it is a library."""
    from dockwright.project.apps import detect_app

    pyproject = tree.read_toml("pyproject.toml") if tree.is_file("pyproject.toml") else None
    project = (pyproject or {}).get("project") or {}
    names = frozenset(
        canonicalize_name(re.split(r"[\s\[<>=!~;(@]", str(d), maxsplit=1)[0])
        for d in project.get("dependencies", []) or []
        if str(d).strip()
    )
    try:
        app = detect_app(tree, pyproject, dependencies=names, notes=[])
    except ProjectError:
        return None
    return str(app.kind.value)


def member_dependencies(
    workspace: WorkspaceFacts, python: str, declared: tuple[str, ...], selection: UvSelection | None = None
) -> Dependencies:
    """The member's locked set: the packages of the workspace's uv.lock it reaches, with the member's
    ``selection`` of its extras and groups (what ``uv sync --package`` installs; paths are relative to
    the workspace root, ``workspace.context``)."""
    from dockwright.project.managers import read_uv_lock

    tree = ProjectTree(Path(workspace.context))
    extras = selection.extra_names if selection else ()
    groups = selection.group_names if selection else ()
    wanted = set(reachable(_lock_nodes(tree), workspace.package, extras, groups))
    parsed = read_uv_lock(tree, python, canonicalize_name(workspace.package), selection, member=True)
    locked = tuple(
        sorted(
            (p for p in parsed.locked if p.name in wanted and p.source != "path"),
            key=lambda p: (p.name, p.version),
        )
    )
    # workspace packages (local folders) are copied and built, not locked: ``workspace.copies``
    why = (
        f"the uv workspace's lock at the root, the member {workspace.package} and what it reaches "
        f"({len(locked)} locked distributions)"
    )
    return Dependencies(
        manager=Fact("uv", (Evidence("uv.lock", None, why),)),
        input_files=("uv.lock", *workspace.manifests),
        hashed_requirements=None,
        lock_file="uv.lock",
        locked=locked,
        declared=declared,
        uv_selection=selection,
    )
