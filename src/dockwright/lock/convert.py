"""Offline, deterministic conversion of manager locks (poetry, pdm, Pipfile, uv) to pip's hash format.

Each reader turns its lock into a graph of :class:`Node` plus the project's root edges; one walk
keeps what the target (CPython X.Y.Z, Linux x86_64) installs: markers evaluated, optional extras
only when asked, dev groups never (a Poetry project's other non-optional groups are installed, as
``poetry install`` does). The result is sorted by name, one ``--hash`` per file.
"""

from __future__ import annotations

import contextlib
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import canonicalize_name

from dockwright.errors import LockError, ProjectError
from dockwright.lazy_re import lazy
from dockwright.project.legacy_lock_files import files_of, legacy_files
from dockwright.project.poetry_graph import poetry_edges
from dockwright.project.poetry_groups import group_dependencies, selected
from dockwright.project.target import environment, uv_conflict_markers
from dockwright.project.target import marker_holds as holds
from dockwright.project.tree import ProjectTree, kept_toml
from dockwright.project.uv_graph import active_names, root_edges, source_key
from dockwright.safe_text import check_text
from dockwright.toml_reader import tomllib


@dataclass(frozen=True)
class Edge:
    name: str
    marker: str | None = None
    extras: tuple[str, ...] = ()
    version: str | None = None  # uv: picks one of several same-name nodes
    source: str | None = None  # uv: with the version, the one entry of several same-version ones


@dataclass
class Node:
    name: str
    version: str
    hashes: tuple[str, ...]
    deps: tuple[Edge, ...] = ()
    extra_deps: dict[str, tuple[Edge, ...]] = field(default_factory=dict)
    marker: str | None = None  # the node's own marker (pdm)
    local: bool = False  # path/editable/VCS: cannot be hash-locked
    source: str | None = None  # uv: the entry's source table as one string (uv_graph.source_key)
    url: str | None = None  # uv: a direct URL entry's file (``source = { url = ... }``), pinned by URL


@dataclass(frozen=True)
class Pinned:
    name: str
    version: str
    hashes: tuple[str, ...]
    url: str | None = None  # installed as the direct reference ``name @ url`` (no index has the file)


def _load_toml(path: Path) -> dict[str, Any]:
    """The file's table: the one detection parsed from the same text when it read the file
    (:func:`dockwright.project.tree.kept_toml`), else parsed here."""
    try:
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as error:
        raise LockError(f"not UTF-8 text (byte {error.start})", file=path.name) from error
    kept = kept_toml(path.name, text)
    if kept is not None:
        return kept
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise LockError(f"cannot read {path.name}: {error}", file=path.name) from error


def _pyproject(root: Path) -> dict[str, Any]:
    path = root / "pyproject.toml"
    return _load_toml(path) if path.is_file() else {}


def _pep508_edges(requirements: Iterable[str], where: str) -> list[Edge]:
    edges = []
    for text in requirements:
        try:
            req = Requirement(text)
        except InvalidRequirement as error:
            raise LockError(f"cannot parse requirement {text!r}: {error}", file=where) from error
        edges.append(
            Edge(
                canonicalize_name(req.name),
                str(req.marker) if req.marker else None,
                tuple(sorted(req.extras)),
            )
        )
    return edges


def walk(
    nodes: Mapping[str, list[Node]],
    roots: Iterable[Edge],
    python_version: str,
    where: str,
    active: frozenset[str] = frozenset(),
) -> list[Pinned]:
    """Everything reachable from the roots on the target, with the extras each edge asks for
    (``active``: uv's conflict-marker names of the project's extras and groups installed)."""
    env = environment(python_version)

    def marker_holds(marker: str | None, env: dict[str, str], *, where: str = "") -> bool:
        return holds(uv_conflict_markers(marker, active), env, where=where)

    chosen: dict[str, Node] = {}
    extras_done: dict[str, set[str]] = {}
    queue = [e for e in roots if marker_holds(e.marker, env, where=where)]
    while queue:
        edge = queue.pop(0)
        candidates = nodes.get(edge.name)
        if not candidates:
            raise LockError(f"{where} does not lock {edge.name!r}, which the project needs", file=where)
        node = _pick(candidates, edge, env, where)
        if node is None:
            continue
        first = edge.name not in chosen
        chosen[edge.name] = node
        done = extras_done.setdefault(edge.name, set())
        if first:
            queue.extend(e for e in node.deps if marker_holds(e.marker, env, where=where))
        for extra in edge.extras:
            if extra not in done:
                done.add(extra)
                # an extra's edges carry `extra == "name"` (Poetry writes it): true while installing it
                extra_env = {**env, "extra": canonicalize_name(extra)}
                queue.extend(
                    e
                    for e in node.extra_deps.get(canonicalize_name(extra), ())
                    if marker_holds(e.marker, extra_env, where=where)
                )
    pinned = []
    for name in sorted(chosen):
        node = chosen[name]
        if node.local:
            continue
        if not node.hashes:
            raise LockError(
                f"{where} has no hashes for {name} {node.version}; cannot hash-lock it", file=where
            )
        url = _direct_url(node, where) if node.url is not None else None
        pinned.append(Pinned(name, node.version, tuple(sorted(set(node.hashes))), url))
    return pinned


# what pip reads as one direct-reference URL: no space, quote, backslash or `;` (a marker would start)
_URL = lazy(r"https?://[A-Za-z0-9.-]+(?::[0-9]+)?/[A-Za-z0-9._~/%+!$&()*,=:@?-]*")
_SUBDIRECTORY = lazy(r"[A-Za-z0-9._-]+(?:/[A-Za-z0-9._-]+)*")
# query parameters that carry a credential: GitLab's private_token / job_token, OAuth's access_token,
# S3 presigned URLs' X-Amz-Credential / X-Amz-Signature, Azure SAS's sig, a plain key= / password=
_CREDENTIAL_PARAM = lazy(r"(?:^|[?&])[^=&]*(?:token|key|sig|secret|passw|credential|auth)[^=&]*=", re.I)


def _direct_url(node: Node, where: str) -> str:
    """The direct reference of a uv.lock ``source = { url = ... }`` entry (what ``uv export`` writes:
    ``name @ URL`` with the file's hash), or a one-line refusal naming the package."""
    url, _, subdirectory = (node.url or "").partition("#subdirectory=")
    what = f"{node.name} {node.version} comes from the URL"
    if "@" in url.split("://", 1)[-1].split("/", 1)[0] or _CREDENTIAL_PARAM.search(url.partition("?")[2]):
        raise LockError(
            f"{what} of a host with credentials in it (user:password@ or a token in the query), which "
            "would be written into the image's lock; serve the file from an index and `uv lock` again",
            file=where,
        )
    if not _URL.fullmatch(url) or (subdirectory and not _SUBDIRECTORY.fullmatch(subdirectory)):
        shown = url if len(url) <= 80 else url[:77] + "..."
        raise LockError(
            f"{what} {shown!r}, which a hash-locked pip install cannot take as a direct reference "
            "(an http(s) URL without spaces, quotes or `;`): serve the file from an index and "
            "`uv lock` again",
            file=where,
        )
    return url + (f"#subdirectory={subdirectory}" if subdirectory else "")


def _pick(candidates: list[Node], edge: Edge, env: dict[str, str], where: str) -> Node | None:
    if edge.version is not None:
        # uv names the source too when one version is locked from two indexes (torch from PyPI and
        # from a CPU index for an extra): the first same-version entry may be the other index's files
        same = [n for n in candidates if n.version == edge.version]
        exact = [n for n in same if edge.source is None or n.source == edge.source]
        if exact or same:
            return (exact or same)[0]
    usable = [n for n in candidates if holds(n.marker, env, where=where)]
    return usable[0] if usable else None


_PIN_NAME = lazy(r"[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?")
_PIN_VERSION = lazy(r"[A-Za-z0-9.+!_-]+")
_PIN_HASH = lazy(r"(?:sha256|sha384|sha512):[0-9a-fA-F]+")


def _check_pin(pin: Pinned) -> None:
    """A lock line carries a name, a version and hashes only: anything else would be a pip option."""
    for value, pattern, what in (
        (pin.name, _PIN_NAME, "name"),
        (pin.version, _PIN_VERSION, "version"),
        *((h, _PIN_HASH, "hash") for h in pin.hashes),
    ):
        check_text(value, f"lock entry {pin.name[:40]!r} {what}")
        if not pattern.fullmatch(value):
            raise LockError(f"lock entry {pin.name[:40]!r} has an invalid {what}: {value[:60]!r}")


def render(pinned: Iterable[Pinned]) -> str:
    lines = []
    for pin in pinned:
        _check_pin(pin)
        lines.append(f"{pin.name} @ {pin.url} \\" if pin.url else f"{pin.name}=={pin.version} \\")
        hashes = [f"    --hash={h}" for h in pin.hashes]
        lines.extend(h + " \\" for h in hashes[:-1])
        lines.append(hashes[-1])
    return "\n".join(lines) + ("\n" if lines else "")


# --- poetry -------------------------------------------------------------------------------------

_NAME = lazy(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)")


def _poetry_edges(name: str, spec: Any) -> list[tuple[Edge, bool]]:
    """(edge, optional) for one [package.dependencies] or [tool.poetry.dependencies] item."""
    return [(Edge(e.name, e.marker, e.extras), e.optional) for e in poetry_edges(name, spec)]


def read_poetry(root: Path, lock_name: str = "poetry.lock") -> tuple[dict[str, list[Node]], list[Edge]]:
    data = _load_toml(root / lock_name)
    legacy = legacy_files(data)
    nodes: dict[str, list[Node]] = {}
    for pkg in data.get("package", []):
        name = canonicalize_name(pkg["name"])
        files = pkg.get("files") or files_of(legacy, name, str(pkg["version"]))
        deps: list[Edge] = []
        optional: dict[str, Edge] = {}
        for dep_name, spec in (pkg.get("dependencies") or {}).items():
            for edge, is_optional in _poetry_edges(dep_name, spec):
                if is_optional:
                    optional[edge.name] = edge
                else:
                    deps.append(edge)
        extra_deps: dict[str, tuple[Edge, ...]] = {}
        for extra, members in (pkg.get("extras") or {}).items():
            picked = []
            for member in members:
                match = _NAME.match(member)
                if match and canonicalize_name(match[1]) in optional:
                    picked.append(optional[canonicalize_name(match[1])])
            extra_deps[canonicalize_name(extra)] = tuple(picked)
        source = pkg.get("source") or {}
        nodes.setdefault(name, []).append(
            Node(
                name,
                str(pkg["version"]),
                tuple(f["hash"] for f in files if f.get("hash")),
                tuple(deps),
                extra_deps,
                local=source.get("type") in {"directory", "file", "git", "url"} and not files,
            )
        )
    pyproject = _pyproject((root / lock_name).parent)  # the project beside its lock
    with contextlib.suppress(ProjectError):  # less the groups the own image leaves out (poetry_groups.py)
        pyproject = selected(pyproject, ProjectTree((root / lock_name).parent))
    roots: list[Edge] = []
    poetry = pyproject.get("tool", {}).get("poetry", {})
    # the main group, then the other groups `poetry install` installs (project/poetry_groups.py)
    for dep_name, spec in [
        *(poetry.get("dependencies") or {}).items(),
        *group_dependencies(pyproject).items(),
    ]:
        if dep_name.lower() == "python":
            continue
        roots.extend(edge for edge, is_optional in _poetry_edges(dep_name, spec) if not is_optional)
    roots.extend(_pep508_edges(pyproject.get("project", {}).get("dependencies", []) or [], "pyproject.toml"))
    return nodes, _dedupe(roots)


def _dedupe(edges: Iterable[Edge]) -> list[Edge]:
    seen: dict[Edge, None] = {}
    for edge in edges:
        seen.setdefault(edge, None)
    return list(seen)


# --- pdm ----------------------------------------------------------------------------------------


def read_pdm(root: Path, lock_name: str = "pdm.lock") -> tuple[dict[str, list[Node]], list[Edge]]:
    data = _load_toml(root / lock_name)
    packages = data.get("package", [])
    grouped = any("groups" in p for p in packages)
    legacy = legacy_files(data)
    nodes: dict[str, list[Node]] = {}
    roots: list[Edge] = []
    for pkg in packages:
        name = canonicalize_name(pkg["name"])
        files = pkg.get("files") or files_of(legacy, name, str(pkg.get("version", "")))
        node = Node(
            name,
            str(pkg.get("version", "")),
            tuple(f["hash"] for f in files if f.get("hash")),
            tuple(_pep508_edges(pkg.get("dependencies", []) or [], lock_name)),
            marker=pkg.get("marker"),
            local=bool(pkg.get("path") or pkg.get("git") or pkg.get("url")) and not files,
        )
        existing = nodes.setdefault(name, [])
        if existing and any(n.version == node.version for n in existing):
            # pdm repeats a package once per extra set ("uvicorn[standard]"): merge the extra deps.
            base = next(n for n in existing if n.version == node.version)
            base.deps = tuple(_dedupe((*base.deps, *node.deps)))
        else:
            existing.append(node)
        if grouped and "default" in (pkg.get("groups") or []):
            roots.append(Edge(name, pkg.get("marker"), tuple(pkg.get("extras", ()))))
    if not grouped:
        pyproject = _pyproject((root / lock_name).parent)  # the project beside its lock
        roots = _pep508_edges(pyproject.get("project", {}).get("dependencies", []) or [], "pyproject.toml")
    return nodes, _dedupe(roots)


# --- pipenv -------------------------------------------------------------------------------------


def read_pipenv(root: Path, lock_name: str = "Pipfile.lock") -> tuple[dict[str, list[Node]], list[Edge]]:
    path = root / lock_name
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as error:
        raise LockError(f"cannot read {lock_name}: {error}", file=lock_name) from error
    nodes: dict[str, list[Node]] = {}
    roots: list[Edge] = []
    for raw_name, entry in sorted((data.get("default") or {}).items()):
        name = canonicalize_name(raw_name)
        if entry.get("editable") or entry.get("path"):
            continue  # the project itself (or a local path): installed from the source, not the lock
        if entry.get("git") or entry.get("file"):
            raise LockError(
                f"{lock_name}: {raw_name} comes from VCS/URL and cannot be hash-locked", file=lock_name
            )
        version = str(entry.get("version", "")).lstrip("=")
        if not version:
            raise LockError(f"{lock_name}: {raw_name} has no pinned version", file=lock_name)
        nodes[name] = [Node(name, version, tuple(entry.get("hashes", ())))]
        roots.append(Edge(name, entry.get("markers")))
    return nodes, roots


# --- uv -----------------------------------------------------------------------------------------


def _uv_edges(items: Iterable[Mapping[str, Any]]) -> tuple[Edge, ...]:
    return tuple(
        Edge(
            canonicalize_name(d["name"]),
            d.get("marker"),
            tuple(d.get("extra", ())),
            d.get("version"),
            source_key(d.get("source")) if d.get("version") is not None else None,
        )
        for d in items
    )


def read_uv(
    root: Path,
    lock_name: str = "uv.lock",
    package: str | None = None,
    extras: tuple[str, ...] = (),
    groups: tuple[str, ...] = (),
) -> tuple[dict[str, list[Node]], list[Edge]]:
    """The lock's graph and the project's edges; ``package``: a workspace member's instead (the walk
    then reaches the workspace packages it depends on, which are local and left out of the result);
    ``extras``/``groups``: the project's own installed too (its optional and dev edges)."""
    data = _load_toml(root / lock_name)
    nodes: dict[str, list[Node]] = {}
    roots: list[Edge] = []
    if package is not None:
        project = canonicalize_name(package)
    else:
        project = canonicalize_name(str(_pyproject(root).get("project", {}).get("name", "")) or "-")
    for pkg in data.get("package", []):
        name = canonicalize_name(pkg["name"])
        source = pkg.get("source") or {}
        is_root = (package is None and (source.get("editable") == "." or source.get("virtual") == ".")) or (
            name == project and ("editable" in source or "virtual" in source)
        )
        deps = _uv_edges(pkg.get("dependencies", []) or [])
        extra_deps: dict[str, tuple[Edge, ...]] = {
            canonicalize_name(extra): _uv_edges(items)
            for extra, items in (pkg.get("optional-dependencies") or {}).items()
        }
        if is_root:
            roots.extend(_uv_edges(root_edges(pkg, extras, groups)))
            # a locked package may depend on the project itself (a plugin on its host app): the
            # project's own install satisfies that edge, so it is a node, local, left out of the pins
            nodes.setdefault(name, []).append(
                Node(name, str(pkg.get("version", "")), (), deps, extra_deps, local=True)
            )
            continue
        hashes = [w["hash"] for w in pkg.get("wheels", []) or [] if w.get("hash")]
        sdist = pkg.get("sdist") or {}
        if sdist.get("hash"):
            hashes.append(sdist["hash"])
        local = any(k in source for k in ("editable", "virtual", "directory", "path", "git"))
        url = source.get("url") if isinstance(source.get("url"), str) else None
        if url is not None and source.get("subdirectory"):
            url += f"#subdirectory={source['subdirectory']}"
        nodes.setdefault(name, []).append(
            Node(
                name,
                str(pkg.get("version", "")),
                tuple(hashes),
                deps,
                extra_deps,
                local=local,
                source=source_key(source),
                url=url,
            )
        )
    return nodes, _dedupe(roots)


def registries_of(
    root: Path, method: str, lock_name: str, pins: Mapping[str, str], hashes: frozenset[str] = frozenset()
) -> set[str]:
    """The index URLs uv.lock (``source.registry``) or poetry.lock (``[package.source] url`` of a legacy
    source) records for the pinned packages (canonical name -> version): only the entries of that
    version, and, when ``hashes`` (the lock's ``--hash`` values) are given, only an entry one of whose
    files is locked (uv.lock can hold one version from two indexes)."""
    data = _load_toml(root / lock_name)
    out: set[str] = set()
    for pkg in data.get("package", []):
        name = canonicalize_name(str(pkg.get("name", "")))
        if name not in pins or str(pkg.get("version", "")) != pins[name]:
            continue
        if hashes and method == "convert-uv":
            files = [pkg.get("sdist") or {}, *(pkg.get("wheels") or [])]
            if not any(isinstance(f, dict) and f.get("hash") in hashes for f in files):
                continue
        source = pkg.get("source") or {}
        url = source.get("registry") if method == "convert-uv" else source.get("url")
        if isinstance(url, str) and (method == "convert-uv" or source.get("type") == "legacy"):
            out.add(url)
    return out


READERS = {
    "convert-poetry": (read_poetry, "poetry.lock"),
    "convert-pdm": (read_pdm, "pdm.lock"),
    "convert-pipenv": (read_pipenv, "Pipfile.lock"),
    "convert-uv": (read_uv, "uv.lock"),
}


def convert(
    root: Path,
    method: str,
    lock_name: str,
    python_version: str,
    package: str | None = None,
    extras: tuple[str, ...] = (),
    groups: tuple[str, ...] = (),
) -> str:
    """The requirements body (no header) for a manager lock, for the target Python (``package``: the
    member of a uv workspace whose set it is; ``extras``/``groups``: a uv project's own installed)."""
    if method not in READERS:
        raise LockError(f"no converter for {method}")
    reader, _default = READERS[method]
    active: frozenset[str] = frozenset()
    if package is not None or extras or groups:
        if method != "convert-uv":
            raise LockError(f"{lock_name}: only a uv lock holds members, extras and groups to choose")
        nodes, roots = read_uv(root, lock_name, package, extras, groups)
        if extras or groups:
            name = str(_pyproject(root).get("project", {}).get("name", ""))
            active = active_names(package or name, extras, groups)
    else:
        nodes, roots = reader(root, lock_name)
    return render(walk(nodes, roots, python_version, lock_name, active))
