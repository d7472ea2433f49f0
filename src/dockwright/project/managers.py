"""Which dependency manager a project uses, and what it pins.

Candidates are collected from the files present; one is chosen by this precedence
(the first that applies wins, the others are reported as ``alternatives``):

1. ``--manager`` on the command line.
2. A manager lock file: ``uv.lock`` (uv), ``poetry.lock`` (Poetry), ``pdm.lock`` (PDM),
   ``Pipfile.lock`` (Pipenv). A lock is the most precise statement of what to install. **Two or more
   different lock files** are ambiguous: detection stops and asks for ``--manager``.
3. pip-tools: ``requirements.in`` next to the ``requirements.txt`` compiled from it.
4. ``requirements.txt`` (else the first ``requirements*.txt`` that is not a dev/test file; with
   none at the top, the production file of a ``requirements/`` folder holding one file per
   environment: ``requirements/requirements.txt``, ``production.txt``, ``prod.txt``, ``base.txt``). A
   file layered on others (its pip-tools input's ``-c base.txt``, or the project's own ``pip-sync
   base.txt production.txt``) is read with them, bottom first (``Dependencies.layers``,
   project/requirement_layers.py), and the lock resolves them together.
5. A manager's declaration without its lock: ``Pipfile``, then ``[tool.poetry]`` in pyproject.
6. PEP 621 ``[project]`` in ``pyproject.toml`` (setuptools, hatchling, flit, pdm-backend, ...); with
   no ``[project]`` table, PEP 735 ``[dependency-groups]`` holding the app's run time (an application
   tree installed with ``pip install --group main``; project/dependency_groups.py).
7. Legacy ``setup.py`` / ``setup.cfg``.

A requirements manager beside a static ``[project].dependencies`` records the declared lines the file
leaves out (``Dependencies.uncovered``, project/dep_sources.py): the plan resolves them with the file
when the app is installed as a package, and names them in a warning otherwise.

A project with none of these but with Python files is treated as a standard-library-only
``requirements`` project with no input; a directory with neither is not a Python project.

Locked packages get canonical names (:func:`packaging.utils.canonicalize_name`), their hashes, the
distribution file names the lock lists (``files``: uv, Poetry, PDM) and ``has_wheel_for_target`` from
those names. Requirements files and ``Pipfile.lock`` list hashes but no file names, so there ``files``
is empty and ``has_wheel_for_target`` stays ``None`` (unknown).
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any
from urllib.parse import unquote, urlsplit

from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import (
    InvalidSdistFilename,
    InvalidWheelFilename,
    canonicalize_name,
    parse_sdist_filename,
    parse_wheel_filename,
)

from dockwright.errors import ProjectError
from dockwright.lazy_re import lazy
from dockwright.project import dep_sources, dependency_groups, poetry_unlocked, unreadable_sdists
from dockwright.project.facts import Dependencies, Evidence, Fact, LockedPackage, Manager, UvSelection
from dockwright.project.legacy_lock_files import files_of, legacy_files
from dockwright.project.own_requirements import own_image_requirements
from dockwright.project.poetry_graph import installed_markers
from dockwright.project.poetry_groups import group_facts, installed_groups, selected
from dockwright.project.poetry_lines import poetry_requirements
from dockwright.project.setup_script import has_setup_script
from dockwright.project.setuptools_static import read_setuptools, setup_cfg_declares_package
from dockwright.project.target import uv_conflict_markers
from dockwright.project.tree import ProjectTree
from dockwright.project.uv_graph import active_names, default_install
from dockwright.project.wheels import wheel_for_target

_HASH = lazy(r"--hash[=\s]+(\S+)")  # findall: the values; sub: the whole options
_TRAILING_OPTION = lazy(r"\s--[a-z][a-z-]*(?:[=\s]+(?!-)\S+)?")  # --config-settings X, --no-binary=:all:
_EDITABLE_FLAG = lazy(r"^(-e|--editable)(=|\s+)")

MANAGERS: tuple[Manager, ...] = (
    "requirements",
    "pip-tools",
    "poetry",
    "uv",
    "pdm",
    "pipenv",
    "pep621",
    "setuppy",
)
LOCK_FILES: dict[str, Manager] = {
    "uv.lock": "uv",
    "poetry.lock": "poetry",
    "pdm.lock": "pdm",
    "Pipfile.lock": "pipenv",
}
GENERATED_LOCK = "requirements.lock"  # dockwright's default lock name (PlanOptions.lock_name)
_DEV_WORDS = re.compile(r"(dev|test|lint|doc|ci)", re.IGNORECASE)
_VCS_PREFIXES = ("git+", "hg+", "svn+", "bzr+")


@dataclass(frozen=True)
class Candidate:
    manager: Manager
    rank: int
    evidence: Evidence


@dataclass
class _Parsed:
    input_files: list[str] = field(default_factory=list)
    hashed: str | None = None
    lock_file: str | None = None
    locked: list[LockedPackage] = field(default_factory=list)
    declared: list[str] = field(default_factory=list)
    declared_evidence: list[Evidence] = field(default_factory=list)
    dynamic: Evidence | None = None
    path_dependencies: list[Fact[str]] = field(default_factory=list)


# ---------------------------------------------------------------------------------------------- candidates


# A `requirements/` folder with one file per environment (pip-tools' layered layout: requirements.in
# compiled to requirements.txt beside dev.txt, tests.txt ...): its production file, in this order.
# https://pip-tools.readthedocs.io/en/stable/#workflow-for-layered-requirements
FOLDER_REQUIREMENTS = (
    "requirements/requirements.txt",
    "requirements/production.txt",
    "requirements/prod.txt",
    "requirements/base.txt",
)


def requirements_files(tree: ProjectTree) -> list[str]:
    """Top-level ``requirements*.txt``, production files first (``requirements.txt`` before the rest,
    unless it includes a production-named file, which then comes first: :func:`_production_include`);
    with none, the production file of a ``requirements/`` folder (:data:`FOLDER_REQUIREMENTS`), else the
    one the repository's own image installs (project/own_requirements.py)."""
    files = [f for f in tree.top_files() if f.startswith("requirements") and f.endswith(".txt")]
    if not files:
        folder = [f for f in FOLDER_REQUIREMENTS if tree.is_file(f)][:1]
        # the root is the project (its pyproject.toml) but keeps its requirements below: the one its own
        # image installs (`src/requirements.txt`); without a pyproject.toml, the app's folder is found
        own = own_image_requirements(tree) if not folder and tree.is_file("pyproject.toml") else None
        return folder or ([own] if own else [])
    first = _production_include(tree) or "requirements.txt"
    return sorted(
        files,
        key=lambda f: (
            f != first,
            f != "requirements.txt",
            bool(_DEV_WORDS.search(posixpath.basename(f)[12:])),
            f,
        ),
    )


# `-r requirements-prod.txt` (or `--requirement=...`) in requirements.txt
_INCLUDE = lazy(r"^\s*(?:-r|--requirement)(?:\s+|=)(\S+)")
_PRODUCTION_NAME = lazy(r"prod", re.IGNORECASE)


def _production_include(tree: ProjectTree) -> str | None:
    """A top-level production-named requirements file (``requirements-prod.txt``) that
    ``requirements.txt`` includes: the project keeps what runs there and adds its development tools
    around it in ``requirements.txt`` (hedy: pytest, pylint, pyinstaller beside ``-r
    requirements-prod.txt``), so the image installs the included file."""
    if not tree.is_file("requirements.txt"):
        return None
    for line in tree.read_text("requirements.txt").splitlines():
        match = _INCLUDE.match(line)
        target = posixpath.normpath(match.group(1)) if match else ""
        if target and "/" not in target and _PRODUCTION_NAME.search(target) and tree.is_file(target):
            return target
    return None


def requirements_input(tree: ProjectTree, kind: Manager) -> str:
    """The requirements file the ``requirements`` or ``pip-tools`` manager reads (pip-tools: the
    compiled ``.txt`` whose ``.in`` is beside it)."""
    reqs = requirements_files(tree)
    prod = [f for f in reqs if not _DEV_WORDS.search(posixpath.basename(f)[12:])] or reqs
    txt = prod[0] if prod else "requirements.txt"
    if kind == "pip-tools":
        ins = [f for f in prod if tree.is_file(f[:-4] + ".in")]
        txt = ins[0] if ins else txt
    return txt


def find_candidates(tree: ProjectTree, pyproject: dict[str, Any] | None) -> list[Candidate]:
    out: list[Candidate] = []
    for lock, manager in LOCK_FILES.items():
        if tree.is_file(lock):
            out.append(Candidate(manager, 2, Evidence(lock, None, f"{manager} lock file")))
    reqs = requirements_files(tree)
    prod = [f for f in reqs if not _DEV_WORDS.search(posixpath.basename(f)[12:])]
    for txt in prod:
        src = txt[:-4] + ".in"
        if tree.is_file(src):
            out.append(Candidate("pip-tools", 3, Evidence(src, None, f"pip-tools input compiled to {txt}")))
            break
    if prod:
        included = prod[0] != "requirements.txt" and prod[0] == _production_include(tree)
        why = "requirements file" + (
            " (requirements.txt includes it beside development tools)" if included else ""
        )
        out.append(Candidate("requirements", 4, Evidence(prod[0], None, why)))
    if tree.is_file("Pipfile") and not tree.is_file("Pipfile.lock"):
        out.append(Candidate("pipenv", 5, Evidence("Pipfile", None, "Pipfile without Pipfile.lock")))
    tool = (pyproject or {}).get("tool", {})
    if isinstance(tool, dict) and "poetry" in tool and not tree.is_file("poetry.lock"):
        out.append(
            Candidate("poetry", 5, Evidence("pyproject.toml", None, "[tool.poetry] without poetry.lock"))
        )
    if pyproject and isinstance(pyproject.get("project"), dict):
        build = pyproject.get("build-system")
        backend = build.get("build-backend") if isinstance(build, dict) else None
        detail = f"PEP 621 [project] table, build backend {backend}" if backend else "PEP 621 [project] table"
        out.append(Candidate("pep621", 6, Evidence("pyproject.toml", None, detail)))
    elif dependency_groups.applies(pyproject):
        detail = "PEP 735 [dependency-groups], no [project] table: an application tree"
        out.append(Candidate("pep621", 6, Evidence("pyproject.toml", None, detail)))
    if has_setup_script(tree):
        out.append(Candidate("setuppy", 7, Evidence("setup.py", None, "legacy setuptools project")))
    elif setup_cfg_declares_package(tree):
        # setup.cfg with only tool sections ([flake8], [tool:pytest]) declares nothing.
        out.append(Candidate("setuppy", 7, Evidence("setup.cfg", None, "setup.cfg [metadata]/[options]")))
    return out


# the installer commands of a container recipe, by the manager whose lock they install
_RECIPE_INSTALLS = {
    "uv": lazy(r"\buv\s+sync\b"),
    "poetry": lazy(r"\bpoetry\s+(?:install|sync)\b"),
    "pdm": lazy(r"\bpdm\s+(?:install|sync)\b"),
    "pipenv": lazy(r"\bpipenv\s+(?:install|sync)\b"),
}


def _recipe_lock(tree: ProjectTree, candidates: list[Candidate]) -> Fact[Manager] | None:
    """With several lock files, the manager whose lock the repository's own image installs (``uv sync``
    in its Dockerfile beside a stale poetry.lock), when it runs one of them only; else None."""
    locks = {c.manager for c in candidates if c.rank == 2}
    if len(locks) < 2:
        return None
    from dockwright.project.own_image import own_dockerfile  # own_image reads the managers' files

    recipe = own_dockerfile(tree)
    text = tree.read_text(recipe) if recipe else ""
    used = [m for m in sorted(locks) if m in _RECIPE_INSTALLS and _RECIPE_INSTALLS[m].search(text)]
    if recipe is None or len(used) != 1:
        return None
    line = next((n for n, ln in tree.numbered_lines(recipe) if _RECIPE_INSTALLS[used[0]].search(ln)), None)
    files = ", ".join(sorted(c.evidence.file for c in candidates if c.rank == 2))
    why = f"of the lock files {files}, the repository's own image installs {used[0]}'s"
    return Fact(used[0], (Evidence(recipe, line, why),))


def choose(
    candidates: list[Candidate], override: str | None
) -> tuple[Fact[Manager], tuple[Fact[Manager], ...]]:
    """Apply the precedence in the module docstring; raise ProjectError when it cannot decide."""
    if override is not None:
        if override not in MANAGERS:
            raise ProjectError(f"unknown --manager {override!r}; choose one of: {', '.join(MANAGERS)}")
        found = {c.manager: c.evidence.file for c in candidates}
        if override not in found:  # nothing of it to read: its dependencies would be none, silently
            seen = ", ".join(f"{manager} ({file})" for manager, file in found.items()) or "none"
            raise ProjectError(f"--manager {override}: the project has no {override} files (found: {seen})")
        chosen = Fact(override, (Evidence("command line", None, f"--manager {override}"),))
        alts = tuple(Fact(c.manager, (c.evidence,)) for c in candidates if c.manager != override)
        return chosen, alts
    if not candidates:
        raise ProjectError("no dependency manager found")
    locks = sorted({c.manager for c in candidates if c.rank == 2})
    if len(locks) > 1:
        files = ", ".join(sorted(c.evidence.file for c in candidates if c.rank == 2))
        raise ProjectError(
            f"several lock files ({files}) disagree on the dependency manager; "
            f"choose one with --manager {{{','.join(locks)}}}"
        )
    ordered = sorted(candidates, key=lambda c: c.rank)
    first = ordered[0]
    why = Evidence(
        first.evidence.file, None, f"{first.evidence.detail}; chosen by precedence rank {first.rank}"
    )
    alts = tuple(
        Fact(
            c.manager,
            (Evidence(c.evidence.file, None, f"{c.evidence.detail}; not chosen: lower precedence"),),
        )
        for c in ordered[1:]
    )
    return Fact(first.manager, (why,)), alts


# ---------------------------------------------------------------------------------------------- requirements


@dataclass(frozen=True)
class ReqLine:
    file: str
    line: int
    text: str
    name: str | None
    version: str | None
    hashes: tuple[str, ...]
    markers: str | None
    source: str
    editable: bool


_COMMENT_LINE = lazy(r"^\s*#")
_COMMENT = lazy(r"(^|\s)#.*$")


@lru_cache(maxsize=32)
def logical_lines(text: str) -> tuple[tuple[int, str], ...]:
    """A requirements file's lines as pip reads them: backslash continuations joined, comments and
    blank lines dropped; each with its first line's number. Kept per text: one planning reads a
    file's lines several times (its pins, path dependencies, pip options, indexes)."""
    return tuple(_logical_lines(text))


def _logical_lines(text: str) -> Iterator[tuple[int, str]]:
    buf: list[str] = []
    start = 0
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw
        if not buf:
            start = number
        line = "" if _COMMENT_LINE.match(line) else _COMMENT.sub("", line)
        if line.rstrip().endswith("\\"):
            buf.append(line.rstrip()[:-1])
            continue
        buf.append(line)
        joined = " ".join(part.strip() for part in buf).strip()
        buf = []
        if joined:
            yield start, joined
    if buf:
        joined = " ".join(part.strip() for part in buf).strip()
        if joined:
            yield start, joined


def _egg_name(url: str) -> str | None:
    match = re.search(r"[#&]egg=([A-Za-z0-9_.\-]+)", url)
    return canonicalize_name(match.group(1)) if match else None


_BARE_URL = re.compile(r"^(?:https?|ftp)://", re.IGNORECASE)


def _bare_url_name(url: str) -> str | None:
    """The distribution a URL line of its own installs, as pip names it: its ``#egg=``, else its
    wheel's or sdist's file name (``en_core_web_sm-3.8.0-py3-none-any.whl``, ``tool-2.1.tar.gz``)."""
    egg = _egg_name(url)
    if egg:
        return egg
    file = unquote(urlsplit(url.split(";", 1)[0].strip()).path.rsplit("/", 1)[-1])
    try:
        if file.endswith(".whl"):
            return str(parse_wheel_filename(file)[0])
        if file.endswith((".tar.gz", ".zip")):
            return str(parse_sdist_filename(file)[0])
    except (InvalidWheelFilename, InvalidSdistFilename):
        return None
    return None


MAX_INCLUDE_DEPTH = 50
"""Deepest chain of ``-r``/``-c`` includes read (real projects nest two or three)."""


def include_of(parts: list[str]) -> tuple[str, bool] | None:
    """The file a ``-r``/``-c`` line names (relative to the including file) and whether it is a
    constraints file; None for any other line."""
    head = parts[0]
    if not (
        head in ("-r", "--requirement", "-c", "--constraint")
        or head.startswith(("--requirement=", "--constraint=", "-r", "-c"))
    ):
        return None
    if "=" in head and head.startswith("--"):
        target = head.split("=", 1)[1]
    elif head in ("-r", "--requirement", "-c", "--constraint"):
        target = parts[1] if len(parts) > 1 else ""
    else:
        target = head[2:]
    return target, head.startswith(("-c", "--constraint"))


def included_path(including: str, target: str) -> str:
    """The project-relative path of ``target`` named by an include line of ``including`` (normalized,
    so ``reqs/../requirements.txt`` is the file already read and a cycle through ``..`` ends)."""
    return posixpath.normpath(posixpath.join(posixpath.dirname(including), target))


def requirement_includes(tree: ProjectTree, rel: str) -> tuple[str, ...]:
    """The files ``rel``'s ``-r``/``-c`` lines include, nested, in the order read (``rel`` left out).
    Only include lines are read, so any file may be asked; a missing or unreadable include is left out
    (resolving it fails on its own)."""
    seen = {rel}
    found: list[str] = []
    todo = [(rel, 0)]
    while todo:
        current, depth = todo.pop(0)
        try:
            text = tree.read_text(current)
        except ProjectError:
            continue
        if current != rel:
            found.append(current)
        for _number, line in logical_lines(text):
            include = include_of(line.split())
            target = included_path(current, include[0]) if include is not None and include[0] else None
            if target is not None and target not in seen and depth < MAX_INCLUDE_DEPTH:
                seen.add(target)
                todo.append((target, depth + 1))
    return tuple(found)


def parse_requirements(
    tree: ProjectTree,
    rel: str,
    *,
    seen: set[str] | None = None,
    constraint: bool = False,
    depth: int = 0,
) -> tuple[list[ReqLine], list[str]]:
    """Parse a requirements file and its ``-r``/``-c`` includes. Returns (requirements, files read)."""
    if depth > MAX_INCLUDE_DEPTH:
        raise ProjectError(f"requirements includes nest deeper than {MAX_INCLUDE_DEPTH} files", file=rel)
    seen = set() if seen is None else seen
    if rel in seen:
        return [], []
    seen.add(rel)
    if not tree.is_file(rel):
        if rel.startswith("../"):  # a monorepo's shared pins (-r ../../libs/common/requirements.txt)
            raise ProjectError(
                "requirements include outside the project, which dockwright does not read: copy its "
                "lines into the project's requirements, or install the library by path (-e ../../libs/x)",
                file=rel,
            )
        raise ProjectError("requirements include not found", file=rel)
    text = tree.read_text(rel)
    reqs: list[ReqLine] = []
    files = [rel]
    for number, line in logical_lines(text):
        parts = line.split()
        include = include_of(parts)
        if include is not None:
            target, is_constraint = include
            sub, sub_files = parse_requirements(
                tree, included_path(rel, target), seen=seen, constraint=is_constraint, depth=depth + 1
            )
            if not is_constraint:
                reqs.extend(sub)
            files.extend(sub_files)
            continue
        if constraint:
            continue
        hashes = tuple(_HASH.findall(line))
        spec = _HASH.sub("", line).strip()
        # per-requirement options after the requirement (--config-settings, --global-option, --no-binary)
        spec = _TRAILING_OPTION.sub("", f" {spec}").strip() if " --" in spec else spec
        editable = False
        editable_flag = _EDITABLE_FLAG.match(spec)
        if editable_flag:
            editable = True
            spec = spec[editable_flag.end() :].strip()
        elif spec.startswith("-"):
            continue  # options such as --index-url, --find-links, --no-binary
        if not spec:
            continue
        if spec.startswith(_VCS_PREFIXES) or (editable and not re.match(r"^[A-Za-z0-9]", spec)):
            source = "vcs" if spec.startswith(_VCS_PREFIXES) else "path"
            reqs.append(ReqLine(rel, number, spec, _egg_name(spec), None, hashes, None, source, editable))
            continue
        if editable or spec.startswith((".", "/", "file:")):
            reqs.append(ReqLine(rel, number, spec, _egg_name(spec), None, hashes, None, "path", editable))
            continue
        if _BARE_URL.match(spec):  # pip names a URL of its own line from its file (or #egg=)
            named = _bare_url_name(spec)
            if named is None:
                reqs.append(ReqLine(rel, number, spec, None, None, hashes, None, "url", False))
                continue
            spec = f"{named} @ {spec}"
        try:
            req = Requirement(spec)
        except InvalidRequirement as exc:
            reason = str(exc).splitlines()[0]
            raise ProjectError(f"invalid requirement {spec!r}: {reason}", file=rel, line=number) from exc
        version = None
        pins = [s for s in req.specifier if s.operator in ("==", "===")]
        if len(pins) == 1 and "*" not in pins[0].version:
            version = pins[0].version
        source = "pypi"
        if req.url:
            source = "vcs" if req.url.startswith(_VCS_PREFIXES) else "url"
        reqs.append(
            ReqLine(
                rel,
                number,
                spec,
                canonicalize_name(req.name),
                version,
                hashes,
                str(req.marker) if req.marker else None,
                source,
                editable,
            )
        )
    return reqs, files


def _installs_project(req: ReqLine) -> bool:
    """A ``.`` / ``-e .`` / ``.[extra]`` line of a top-level requirements file: the project itself, which
    pip installs with its declared dependencies (the resolver follows them into the lock too)."""
    if req.source != "path" or "/" in req.file:
        return False
    target = re.sub(r"\[[^\]]*\]$", "", req.text.removeprefix("file:").strip())
    return posixpath.normpath(target) == "."


def _read_requirements(tree: ProjectTree, rel: str) -> _Parsed:
    reqs, files = parse_requirements(tree, rel)
    parsed = _Parsed(input_files=list(dict.fromkeys(files)))
    for r in reqs:
        parsed.declared.append(r.text)
        if r.name and (r.version or r.source != "pypi"):
            parsed.locked.append(
                LockedPackage(
                    name=r.name,
                    version=r.version or "",
                    hashes=r.hashes,
                    has_wheel_for_target=False if r.source in ("vcs", "path") else None,
                    source=r.source,
                    markers=r.markers,
                )
            )
    if reqs and all(r.hashes for r in reqs):
        parsed.hashed = rel
    return parsed


def _with_layers(tree: ProjectTree, parsed: _Parsed, layered: tuple[Fact[str], ...]) -> _Parsed:
    """``parsed`` (the chosen requirements file) with the files it is layered on read beneath it
    (project/requirement_layers.py): their pins come first, their files after its own; the set is then
    resolved together (``uv pip compile --generate-hashes``), even when each file is hash-locked."""
    if not layered:
        return parsed
    below = [_read_requirements(tree, layer.value) for layer in layered]
    return _Parsed(
        input_files=list(dict.fromkeys([*parsed.input_files, *(f for b in below for f in b.input_files)])),
        locked=[p for b in below for p in b.locked] + parsed.locked,
        declared=[d for b in below for d in b.declared] + parsed.declared,
    )


def generated_lock_packages(tree: ProjectTree) -> tuple[LockedPackage, ...]:
    """The packages of the ``requirements.lock`` dockwright wrote (nothing when there is none)."""
    return tuple(_read_requirements(tree, GENERATED_LOCK).locked) if tree.is_file(GENERATED_LOCK) else ()


# ---------------------------------------------------------------------------------------------- lock files


def _filename(url_or_name: str) -> str:
    return url_or_name.split("#", 1)[0].rsplit("/", 1)[-1]


def _uv_markers(data: dict[str, Any], installed: frozenset[str] | None) -> dict[str, str]:
    """A package's install condition, from the markers of the edges that lead to it: set only when every
    edge has one (any unconditional edge installs it everywhere). ``installed``: the packages the default
    install reaches (uv_graph); only their edges lead anywhere the image goes."""
    edges: dict[str, list[str | None]] = {}
    for pkg in data.get("package", []):
        if installed is not None and canonicalize_name(str(pkg.get("name", ""))) not in installed:
            continue
        items = list(pkg.get("dependencies", []) or [])
        for group in (pkg.get("optional-dependencies") or {}).values():
            items += list(group or [])
        for group in (pkg.get("dev-dependencies") or {}).values():
            items += list(group or [])
        for dep in items:
            if isinstance(dep, dict) and dep.get("name"):
                marker = dep.get("marker")
                edges.setdefault(canonicalize_name(str(dep["name"])), []).append(
                    str(marker) if marker else None
                )
    return {
        name: " or ".join(f"({m})" for m in dict.fromkeys(markers))
        for name, markers in edges.items()
        if markers and all(markers)
    }


def read_uv_lock(
    tree: ProjectTree,
    python: str,
    project_name: str | None,
    selection: UvSelection | None = None,
    member: bool = False,
) -> _Parsed:
    """Every registry/VCS/URL package of ``uv.lock`` the default install reaches (local members and the
    project itself left out; the project's extras and dev groups too, except the ``selection`` of them
    the image installs: see uv_graph; ``member``: ``project_name`` is the workspace member installed)."""
    data = tree.read_toml("uv.lock")
    parsed = _Parsed(input_files=["pyproject.toml", "uv.lock"], lock_file="uv.lock")
    extras = selection.extra_names if selection else ()
    groups = selection.group_names if selection else ()
    installed = default_install(data, project_name, python, extras, groups, member)
    names = (
        None
        if installed is None
        else frozenset(canonicalize_name(str(p.get("name", ""))) for p in _entries(data, installed))
    )
    active = active_names(project_name or "", extras, groups)
    markers = {k: uv_conflict_markers(v, active) or v for k, v in _uv_markers(data, names).items()}
    for position, pkg in enumerate(data.get("package", [])):
        name = canonicalize_name(str(pkg.get("name", "")))
        if installed is not None and position not in installed:
            continue  # only an extra, a dev group or another platform's entry of the same name needs it
        src = pkg.get("source", {}) or {}
        own = src.get("editable", src.get("virtual"))
        if own == "." or (project_name and name == project_name and "registry" not in src):
            continue  # the project itself (another editable/virtual source is a path dependency)
        files: list[str] = []
        hashes: list[str] = []
        sdist = pkg.get("sdist")
        if isinstance(sdist, dict):
            files.append(_filename(str(sdist.get("url", sdist.get("path", "")))))
            if sdist.get("hash"):
                hashes.append(str(sdist["hash"]))
        for wheel in pkg.get("wheels", []):
            files.append(_filename(str(wheel.get("url", wheel.get("path", "")))))
            if wheel.get("hash"):
                hashes.append(str(wheel["hash"]))
        source = (
            "vcs"
            if "git" in src
            else "path"
            if ("path" in src or "directory" in src)
            else ("url" if "url" in src else "pypi")
        )
        if own is not None:
            source = "path"
        folder = (src.get("directory") or src.get("path") or own) if source == "path" else None
        parsed.locked.append(
            LockedPackage(
                name=name,
                version=str(pkg.get("version", "")),
                hashes=tuple(hashes),
                has_wheel_for_target=False if source in ("vcs", "path") else wheel_for_target(files, python),
                source=source,
                markers=markers.get(name),
                files=tuple(f for f in files if f),
            )
        )
        if folder:
            parsed.path_dependencies.append(_path_dependency(tree, "uv.lock", name, str(folder)))
    refused = unreadable_sdists.refusal(data, parsed.locked)
    if refused is not None:  # the image's uv would stop on it in the build's install step
        raise ProjectError(refused, file="uv.lock")
    return parsed


def _entries(data: dict[str, Any], positions: frozenset[int]) -> list[dict[str, Any]]:
    return [p for i, p in enumerate(data.get("package", [])) if i in positions and isinstance(p, dict)]


def _path_dependency(tree: ProjectTree, lock: str, name: str, folder: str) -> Fact[str]:
    line = tree.line_of(lock, rf'^name = "{re.escape(name)}"')
    return Fact(name, (Evidence(lock, line, f"installed from the path {folder}"),))


def _read_files_lock(tree: ProjectTree, lock: str, python: str, pyproject: dict[str, Any]) -> _Parsed:
    """poetry.lock and pdm.lock share the shape ``[[package]] name/version/files=[{file|url, hash}]``."""
    data = tree.read_toml(lock)
    # Poetry 1.5-1.8: no group per package; what the main dependencies reach, with its markers
    grouped = selected(pyproject, tree)  # less the Poetry groups the own image leaves out
    reached = installed_markers(data, grouped) if lock == "poetry.lock" else None
    # Poetry before 1.5 (`category` per package): the markers live on the edges alone too
    edge_markers = installed_markers(data, grouped, with_groups=True) if lock == "poetry.lock" else None
    parsed = _Parsed(input_files=["pyproject.toml", lock], lock_file=lock)
    runtime_group = "main" if lock == "poetry.lock" else "default"
    # the other groups `poetry install` installs (a `prod` group: project/poetry_groups.py)
    installed = {runtime_group, *(installed_groups(grouped) if lock == "poetry.lock" else ())}
    # older Poetry and PDM locks list the files in one `[metadata.files]` table (project/legacy_lock_files.py)
    legacy = legacy_files(data)
    for pkg in data.get("package", []):
        groups = pkg.get("groups")
        name = canonicalize_name(str(pkg.get("name", "")))
        if isinstance(groups, list) and groups and not installed.intersection(groups):
            continue  # a development-only package: not installed in the image
        if pkg.get("category") == "dev" and (
            edge_markers is None or len(installed) == 1 or name not in edge_markers
        ):
            continue  # Poetry < 1.5 says "dev" for any group but main: kept when an installed one reaches it
        if reached is not None and name not in reached:
            continue  # only a development group or nothing reaches it: not installed either
        entries = pkg.get("files") or files_of(legacy, name, str(pkg.get("version", "")))
        files = [_filename(str(f.get("file") or f.get("url") or "")) for f in entries]
        hashes = tuple(str(f["hash"]) for f in entries if f.get("hash"))
        src = pkg.get("source", {}) or {}
        folder = None
        kind = str(src.get("type", "")) if isinstance(src, dict) else ""
        if pkg.get("git") or kind == "git":
            source = "vcs"
        elif pkg.get("path") or kind in ("directory", "file"):
            source = "path"
            folder = pkg.get("path") or (src.get("url") if isinstance(src, dict) else None)
        elif pkg.get("url") or kind == "url":
            source = "url"
        else:
            source = "pypi"
        parsed.locked.append(
            LockedPackage(
                name=name,
                version=str(pkg.get("version", "")),
                hashes=hashes,
                has_wheel_for_target=False if source in ("vcs", "path") else wheel_for_target(files, python),
                source=source,
                markers=_lock_markers(pkg, runtime_group) or (reached or edge_markers or {}).get(name),
                files=tuple(f for f in files if f),
                requires_python=_lock_requires_python(pkg),
            )
        )
        if folder:
            written = str(pkg.get("name", ""))
            parsed.path_dependencies.append(_path_dependency(tree, lock, written, str(folder)))
    return parsed


def _lock_requires_python(pkg: dict[str, Any]) -> str | None:
    """Poetry writes ``python-versions = ">=3.8"`` (``*`` = any); PDM ``requires_python``."""
    value = pkg.get("python-versions") or pkg.get("requires_python")
    if not isinstance(value, str) or value.strip() in ("", "*"):
        return None
    if "^" in value or ("~" in value and "~=" not in value) or "||" in value:
        from dockwright.project.python_version import poetry_to_pep440

        try:
            specs = poetry_to_pep440(value)
        except ProjectError:
            return None
        return str(specs[0]) if len(specs) == 1 else None
    return value


def _lock_markers(pkg: dict[str, Any], runtime_group: str) -> str | None:
    """PDM writes ``marker = "..."``; Poetry ``markers = "..."``, or per group ``{main = "..."}``."""
    value = pkg.get("marker") or pkg.get("markers")
    if isinstance(value, dict):
        value = value.get(runtime_group)
    return str(value) if value else None


def _read_pipfile_lock(tree: ProjectTree) -> _Parsed:
    data = tree.read_json("Pipfile.lock")
    if not isinstance(data, dict):
        raise ProjectError("Pipfile.lock is not a JSON object", file="Pipfile.lock")
    parsed = _Parsed(input_files=["Pipfile", "Pipfile.lock"], lock_file="Pipfile.lock")
    for name, info in sorted((data.get("default") or {}).items()):
        if not isinstance(info, dict):
            continue
        source = (
            "vcs" if any(k in info for k in ("git", "hg", "svn")) else "path" if "path" in info else "pypi"
        )
        parsed.locked.append(
            LockedPackage(
                name=canonicalize_name(name),
                version=str(info.get("version", "")).lstrip("="),
                hashes=tuple(str(h) for h in info.get("hashes", [])),
                has_wheel_for_target=False if source != "pypi" else None,
                source=source,
                markers=str(info["markers"]) if info.get("markers") else None,
            )
        )
    return parsed


# ---------------------------------------------------------------------------------------------- declarations


def _poetry_declared(pyproject: dict[str, Any]) -> list[str]:
    """Poetry dependencies as PEP 508 strings (``^``/``~``/bare versions translated)."""
    return poetry_requirements(pyproject)


# Pipfile entry keys that install from a place no lock line can name (a git entry is a URL line, below)
_PIPFILE_UNLOCKABLE = ("hg", "svn", "bzr", "path", "file")


def _pipfile_declared(tree: ProjectTree, *, strict: bool = False) -> list[str]:
    """The [packages] of the Pipfile as requirement lines (extras and markers kept; a git entry as
    ``name @ git+URL@ref``, built from git as a requirements line's is). ``strict`` (no Pipfile.lock:
    these lines are what gets resolved): the project itself (``path = "."``) is left out, and an entry
    from another VCS, a path or a file is refused: an index would serve another project's package under
    its name."""
    data = tree.read_toml("Pipfile")
    out: list[str] = []
    for name, spec in (data.get("packages") or {}).items():
        table = spec if isinstance(spec, dict) else {}
        if strict and str(table.get("path", "")).rstrip("/") == ".":
            continue  # `app = {path = ".", editable = true}`: the project, which the image installs itself
        if strict and any(key in table for key in _PIPFILE_UNLOCKABLE):
            where = tree.line_of("Pipfile", rf"^\s*\"?{re.escape(str(name))}\"?\s*=")
            raise ProjectError(
                f"{name} comes from VCS/URL and cannot be hash-locked", file="Pipfile", line=where
            )
        version = spec if isinstance(spec, str) else str(table.get("version", ""))
        extras = table.get("extras")
        head = f"{name}[{','.join(map(str, extras))}]" if isinstance(extras, list) and extras else str(name)
        line = head if version in ("", "*") else f"{head}{version}"
        if isinstance(table.get("git"), str):
            url = "git+" + str(table["git"]).removeprefix("git+")
            ref = table.get("ref") or table.get("tag") or table.get("branch")
            url += f"@{ref}" if ref else ""
            url += f"#subdirectory={table['subdirectory']}" if table.get("subdirectory") else ""
            line = f"{head} @ {url}"
        markers = table.get("markers")
        out.append(f"{line}; {markers}" if isinstance(markers, str) and markers else line)
    return out


def _pep621_declared(pyproject: dict[str, Any]) -> list[str]:
    project = pyproject.get("project", {})
    deps = project.get("dependencies", []) if isinstance(project, dict) else []
    return [str(d) for d in deps]


def _setuptools_parsed(tree: ProjectTree) -> _Parsed:
    """install_requires of setup.py (AST) / setup.cfg (configparser); see setuptools_static."""
    files = [f for f in ("setup.py", "setup.cfg") if tree.is_file(f)]
    parsed = _Parsed(files)
    keyword = read_setuptools(tree).get("install_requires")
    if keyword is None:
        return parsed
    if keyword.dynamic:
        parsed.dynamic = Evidence(
            keyword.file,
            keyword.line,
            "install_requires is computed by code; the build backend's metadata hook resolves it",
        )
        return parsed
    detail = "install_requires" + (f" read from {keyword.via}" if keyword.via else "")
    parsed.declared = list(keyword.values)
    parsed.declared_evidence = [Evidence(keyword.file, keyword.line, detail)]
    if keyword.via:
        parsed.input_files.append(keyword.via)
    return parsed


def _dynamic_dependencies(pyproject: dict[str, Any]) -> bool:
    project = pyproject.get("project", {})
    dynamic = project.get("dynamic", []) if isinstance(project, dict) else []
    return isinstance(dynamic, list) and "dependencies" in dynamic


def _pep621_dynamic(tree: ProjectTree, pyproject: dict[str, Any]) -> _Parsed:
    """``dynamic = ["dependencies"]``: setuptools' ``{file = [...]}``, else setup.py/setup.cfg."""
    setuptools = pyproject.get("tool", {}).get("setuptools", {})
    dyn = setuptools.get("dynamic", {}) if isinstance(setuptools, dict) else {}
    spec = dyn.get("dependencies") if isinstance(dyn, dict) else None
    if isinstance(spec, dict) and spec.get("file"):
        names = spec["file"] if isinstance(spec["file"], list) else [spec["file"]]
        parsed = _Parsed(["pyproject.toml"])
        line = tree.line_of("pyproject.toml", r"^dependencies\s*=\s*\{")
        for rel in (str(n) for n in names):
            reqs, files = parse_requirements(tree, rel)
            parsed.declared += [r.text for r in reqs]
            parsed.input_files += files
            parsed.declared_evidence.append(
                Evidence("pyproject.toml", line, f"[tool.setuptools.dynamic] dependencies from {rel}")
            )
        return parsed
    parsed = _setuptools_parsed(tree)
    parsed.input_files.insert(0, "pyproject.toml")
    if not parsed.declared and parsed.dynamic is None:
        line = tree.line_of("pyproject.toml", r"^dynamic\s*=")
        parsed.dynamic = Evidence(
            "pyproject.toml",
            line,
            "dependencies are dynamic; the build backend's metadata hook resolves them",
        )
    return parsed


# ---------------------------------------------------------------------------------------------- entry point


def read_dependencies(
    tree: ProjectTree,
    pyproject: dict[str, Any] | None,
    *,
    python: str,
    override: str | None = None,
    project_name: str | None = None,
    uv: UvSelection | None = None,
) -> Dependencies:
    """Choose the manager (see the module docstring) and read its input and lock (``uv``: the extras
    and groups a uv.lock project's image installs)."""
    candidates = find_candidates(tree, pyproject)
    if not candidates and override is None:
        if tree.python_files:
            return Dependencies(
                manager=Fact(
                    "requirements",
                    (Evidence(".", None, "no dependency file; assuming a standard-library-only project"),),
                ),
                input_files=(),
                hashed_requirements=None,
                lock_file=None,
                locked=(),
                declared=(),
            )
        raise ProjectError(
            f"not a Python project: {tree.root} has no pyproject.toml, setup.py, setup.cfg, "
            "requirements*.txt, Pipfile, lock file or .py file"
        )
    recipe = None if override else _recipe_lock(tree, candidates)
    manager, alternatives = choose(candidates, override or (recipe.value if recipe else None))
    if recipe is not None:  # chosen by the repository's own image, not on the command line
        manager = recipe
    pyproject = pyproject or {}
    kind = manager.value
    parsed: _Parsed
    uncovered: tuple[Fact[str], ...] = ()
    own: tuple[Fact[str], ...] = ()  # the package's own declaration, beside a requirements file
    conflicts: tuple[Fact[str], ...] = ()
    unread: Evidence | None = None
    layered: tuple[Fact[str], ...] = ()  # the files the requirements file is layered on
    if kind == "uv":
        parsed = (
            read_uv_lock(tree, python, project_name, uv)
            if tree.is_file("uv.lock")
            else _Parsed(["pyproject.toml"])
        )
        parsed.declared = _pep621_declared(pyproject)
    elif kind in ("poetry", "pdm"):
        lock = f"{kind}.lock"
        parsed = (
            _read_files_lock(tree, lock, python, pyproject)
            if tree.is_file(lock)
            else _Parsed(["pyproject.toml"])
        )
        parsed.declared = _poetry_declared(pyproject) or _pep621_declared(pyproject)
        if kind == "poetry" and not tree.is_file(lock) and poetry_unlocked.needs_lines(pyproject):
            # uv reads no [tool.poetry] table: the lock is resolved from these lines (stdin)
            parsed.declared, table = poetry_unlocked.unlocked_lines(tree, pyproject)
            parsed.declared_evidence = [table]
    elif kind == "pipenv":
        has_lock = tree.is_file("Pipfile.lock")
        parsed = _read_pipfile_lock(tree) if has_lock else _Parsed(["Pipfile"])
        if tree.is_file("Pipfile"):
            parsed.declared = _pipfile_declared(tree, strict=not has_lock)
            if not has_lock:  # resolved from these lines (stdin): uv cannot read a Pipfile
                line = tree.line_of("Pipfile", r"^\[packages\]")
                parsed.declared_evidence = [Evidence("Pipfile", line, "[packages]")]
    elif kind in ("pip-tools", "requirements"):
        txt = requirements_input(tree, kind)
        from dockwright.project.requirement_layers import layers as layers_of  # it reads with this module

        layered = layers_of(tree, txt) if tree.is_file(txt) else ()
        parsed = _with_layers(tree, _read_requirements(tree, txt), layered)
        files = [*(layer.value for layer in layered), txt]  # bottom layer first
        reqs = [r for file in files if tree.is_file(file) for r in parse_requirements(tree, file)[0]]
        own = dep_sources.declared(tree, pyproject)  # [project] dependencies, or install_requires
        unread = dep_sources.unread(tree, pyproject)  # install_requires only running setup.py tells
        if not any(_installs_project(r) for r in reqs):  # `-e .`: the file installs what the project declares
            named = [r.name or "" for r in reqs]
            uncovered = dep_sources.uncovered(tree, pyproject, named, txt, python, own)
        exact = [(r.name, r.version, Evidence(r.file, r.line, r.text)) for r in reqs if r.name and r.version]
        conflicts = dep_sources.pin_conflicts(exact, own, python)
        if kind == "pip-tools":
            src = txt[:-4] + ".in"
            ins = [file[:-4] + ".in" for file in files]
            parsed.declared = [r.text for f in ins if tree.is_file(f) for r in parse_requirements(tree, f)[0]]
            parsed.input_files = [src, *parsed.input_files]
    elif kind == "pep621" and (groups := dependency_groups.group_dependencies(tree, pyproject)):
        parsed = _Parsed(["pyproject.toml"], declared=list(groups.lines))
        parsed.declared_evidence = [groups.evidence]
    elif kind == "pep621":
        parsed = _Parsed(["pyproject.toml"], declared=_pep621_declared(pyproject))
        if _dynamic_dependencies(pyproject):
            parsed = _pep621_dynamic(tree, pyproject)
    else:  # setuppy
        parsed = _setuptools_parsed(tree)
    if not parsed.locked and kind in ("setuppy", "pep621") and tree.is_file(GENERATED_LOCK):
        # The lock dockwright generated and the user committed: the exact set (init checks staleness).
        parsed.locked = _read_requirements(tree, GENERATED_LOCK).locked
    locked = tuple(sorted(parsed.locked, key=lambda p: (p.name, p.version)))
    return Dependencies(
        manager=manager,
        input_files=tuple(dict.fromkeys(parsed.input_files)),
        hashed_requirements=parsed.hashed,
        lock_file=parsed.lock_file,
        locked=locked,
        declared=tuple(parsed.declared),
        alternatives=alternatives,
        declared_evidence=tuple(parsed.declared_evidence),
        dynamic=parsed.dynamic,
        path_dependencies=tuple(parsed.path_dependencies),
        uncovered=uncovered,
        declared_ranges=own,
        range_conflicts=conflicts,
        declared_unread=unread,
        uv_selection=uv if kind == "uv" and parsed.lock_file == "uv.lock" else None,
        poetry_groups=(
            group_facts(tree, selected(pyproject, tree)) if parsed.lock_file == "poetry.lock" else ()
        ),
        layers=layered,
    )
