"""Packages a project installs straight from git: requirements ``pkg @ git+https://host/org/pkg@REF``
(and ``git+...#egg=pkg``, ``-e git+...``), PEP 621 ``dependencies``, ``[tool.uv.sources] pkg = { git =
..., rev|tag|branch = ... }``, Poetry ``pkg = { git = ..., rev|tag|branch = ... }``, Pipfile ``pkg =
{git = ..., ref = ...}``; and the commit each was resolved to, from the lock that recorded it
(``uv.lock`` ``source.git = "URL?rev=REF#COMMIT"``, ``poetry.lock`` ``resolved_reference``, ``pdm.lock``
``revision``, ``Pipfile.lock`` ``ref``, dockwright's generated lock ``# built from git: pkg @
git+URL@COMMIT``) or from the reference itself when it is a full commit hash.

Why: ``pip install --require-hashes`` refuses a VCS requirement (it cannot hash a checkout), so the
hash-locked lock cannot carry it. The image fetches each at its exact commit (BuildKit's git source,
``ADD URL#COMMIT``: no git and no credentials in any layer) and builds it as a wheel in the builder
(``plan/gitdeps.py``). A branch or tag moves; the commit does not, so the plan uses only commits, and
says where each came from.

Refused (ProjectError, exit 2), one line naming the dependency and the fix:
- credentials in the URL (``https://TOKEN@host/...``, ``https://user:pass@...``, ``${VAR}``): they
  would be written into the Dockerfile and the image history; private repositories go through
  BuildKit's ``--ssh default`` (``ssh://git@host/...``) or the ``GIT_AUTH_TOKEN`` build secret;
- a URL the build cannot use: ``git+file://`` (a path of this machine), ``git+git://`` (no
  authentication, and uv refuses it too).

Source: pip's secure installs (https://pip.pypa.io/en/stable/topics/secure-installs/#hash-checking-mode);
BuildKit's git source in ``ADD`` (https://docs.docker.com/reference/dockerfile/#adding-files-from-a-git-repository).
"""

from __future__ import annotations

import dataclasses
import json
import re
from typing import Any
from urllib.parse import urlsplit

from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import canonicalize_name

from dockwright.errors import ProjectError
from dockwright.lazy_re import lazy
from dockwright.project.facts import Dependencies, Evidence, GitDependency
from dockwright.project.own_native import toolchain_table
from dockwright.project.tree import ProjectTree

COMMIT = lazy(r"^[0-9a-f]{40}$")
"""A full SHA-1 commit id: the only reference that names one tree for ever."""

GENERATED_PREFIX = "# built from git: "
"""How dockwright's generated lock records a git requirement the resolver pinned to a commit (a
comment: ``--require-hashes`` never reads it)."""

SCHEMES = ("https", "http", "ssh")
"""URL schemes BuildKit's git source fetches (``git@host:org/repo`` is read as ssh)."""

_EGG = lazy(r"[#&]egg=([A-Za-z0-9][A-Za-z0-9._-]*)")
_SUBDIR = lazy(r"[#&]subdirectory=([^&]+)")
_GENERATED = lazy(r"^# built from git: (\S+) @ (git\+\S+)\s*$", re.MULTILINE)

BUILD_PREFIX = "# git build requires: "
"""How the generated lock records a git package's ``[build-system].requires``, read by ``init`` from the
commit's own ``pyproject.toml`` (a JSON list: a requirement may hold commas and semicolons)."""

_BUILD = lazy(r"^# git build requires: (\S+) (\[.*\])\s*$", re.MULTILINE)


def is_commit(ref: str | None) -> bool:
    return ref is not None and COMMIT.match(ref) is not None


def split_url(url: str, where: str) -> tuple[str, str | None, str | None]:
    """(clone URL, reference or None, subdirectory or None) of a ``git+URL@REF#subdirectory=...``."""
    subdir_match = _SUBDIR.search(url)
    subdirectory = subdir_match[1] if subdir_match else None
    url = url.split("#", 1)[0].removeprefix("git+")
    scp = re.match(r"^([\w.-]+)@([\w.-]+):(?!//)(.+)$", url)  # git@github.com:org/repo.git
    if scp:
        url = f"ssh://{scp[1]}@{scp[2]}/{scp[3]}"
    parts = urlsplit(url)
    path, ref = parts.path, None
    if "@" in path:
        path, ref = path.rsplit("@", 1)
    clone = f"{parts.scheme}://{parts.netloc}{path}"
    check_url(clone, where)
    return clone, ref or None, subdirectory


def check_url(url: str, where: str) -> None:
    """Refuse a clone URL the build cannot fetch without leaking a credential into the Dockerfile."""
    parts = urlsplit(url)
    if parts.scheme not in SCHEMES:
        over = f"git+{parts.scheme}://" if parts.scheme else "a local path"
        raise ProjectError(
            f"{where}: {url} is fetched over {over}, which the image build cannot use (a path of this "
            "machine, or a protocol without authentication): name the repository over https:// or ssh://"
        )
    user = parts.username or ""
    has_secret = parts.password is not None or "${" in url or "%24%7B" in url
    if has_secret or (parts.scheme.startswith("http") and user):
        raise ProjectError(
            f"{where}: the git URL carries a credential, which would be written into the Dockerfile and "
            f"the image history: name it as {parts.scheme}://{parts.hostname}{parts.path} and build with "
            "`--secret id=GIT_AUTH_TOKEN,env=GIT_AUTH_TOKEN` (HTTPS token) or `--ssh default` (ssh:// URL)"
        )


def _requirement(text: str) -> tuple[str, str] | None:
    """(canonical name, ``git+`` URL) of a PEP 508 or pip requirement line naming git, else None."""
    text = text.strip()
    text = re.sub(r"^(-e|--editable)(=|\s+)", "", text)
    if text.startswith("git+"):
        url = text.split()[0]
        egg = _EGG.search(url)
        if egg:
            return canonicalize_name(egg[1]), url
        # pip names it from its metadata; the repository's name stands for it until a lock says
        repo = urlsplit(url.split("#", 1)[0].removeprefix("git+")).path.split("@", 1)[0].rstrip("/")
        base = repo.rsplit("/", 1)[-1].removesuffix(".git")
        return (canonicalize_name(base), url) if base else None
    if "git+" not in text:
        return None
    try:
        req = Requirement(text)
    except InvalidRequirement:
        return None
    if req.url is None or not req.url.startswith("git+"):
        return None
    return canonicalize_name(req.name), req.url


def _from_table(
    name: str, spec: Any, ref_keys: tuple[str, ...]
) -> tuple[str, str, str | None, str | None] | None:
    if not isinstance(spec, dict) or not isinstance(spec.get("git"), str):
        return None
    ref = next((str(spec[k]) for k in ref_keys if spec.get(k)), None)
    subdirectory = spec.get("subdirectory")
    return canonicalize_name(name), str(spec["git"]), ref, str(subdirectory) if subdirectory else None


def declared(tree: ProjectTree, deps: Dependencies) -> list[GitDependency]:
    """The git dependencies the project declares (requirements files, pyproject, Pipfile), commit known
    only when the reference is one."""
    found: list[GitDependency] = []

    def add(
        name: str, url: str, ref: str | None, subdirectory: str | None, file: str, line: int | None
    ) -> None:
        where = f"{file}:{line}" if line else file
        clone, url_ref, url_subdir = split_url(url, where)
        ref = ref or url_ref
        evidence = Evidence(
            file, line, f"{name} from {clone}" + (f" at {ref}" if ref else " (default branch)")
        )
        commit = ref if is_commit(ref) else None
        found.append(GitDependency(name, clone, ref, commit, subdirectory or url_subdir, (evidence,)))

    for rel in deps.input_files:
        if rel.endswith((".toml", "Pipfile", ".lock", ".cfg", ".py")):
            continue
        for number, raw in enumerate(tree.read_text(rel).splitlines(), start=1):
            got = _requirement(raw.split(" #", 1)[0]) if not raw.lstrip().startswith("#") else None
            if got:
                add(got[0], got[1], None, None, rel, number)
    if tree.is_file("pyproject.toml"):
        pyproject = tree.read_toml("pyproject.toml")
        project = pyproject.get("project")
        for text in (project.get("dependencies") if isinstance(project, dict) else None) or []:
            got = _requirement(str(text))
            if got:
                add(*got, None, None, "pyproject.toml", tree.line_of("pyproject.toml", re.escape(str(text))))
        tool = pyproject.get("tool", {})
        tables = (
            ((tool.get("uv") or {}).get("sources") or {}, ("rev", "tag", "branch")),
            ((tool.get("poetry") or {}).get("dependencies") or {}, ("rev", "tag", "branch")),
        )
        for table, keys in tables:
            for name, spec in table.items():
                got_table = _from_table(str(name), spec, keys)
                if got_table:
                    line = tree.line_of(
                        "pyproject.toml", rf'^\s*"?{re.escape(str(name))}"?\s*=\s*\{{[^\n]*git'
                    )
                    add(*got_table, "pyproject.toml", line)
    if tree.is_file("Pipfile"):
        for name, spec in (tree.read_toml("Pipfile").get("packages") or {}).items():
            got_table = _from_table(str(name), spec, ("ref",))
            if got_table:
                add(*got_table, "Pipfile", tree.line_of("Pipfile", rf'^\s*"?{re.escape(str(name))}"?\s*='))
    unique: dict[str, GitDependency] = {}
    for dep in found:
        unique.setdefault(dep.name, dep)
    return list(unique.values())


def locked_commits(tree: ProjectTree, lock: str | None) -> dict[str, tuple[str, str, Evidence]]:
    """name -> (clone URL, commit, evidence) of every git package ``lock`` pins to a commit."""
    if lock is None or not tree.is_file(lock):
        return {}
    found: dict[str, tuple[str, str, Evidence]] = {}
    if lock == "Pipfile.lock":
        data = tree.read_json(lock)
        for section in ("default",):
            for name, info in (data.get(section) or {}).items():
                if isinstance(info, dict) and info.get("git") and is_commit(str(info.get("ref"))):
                    line = tree.line_of(lock, rf'^\s*"{re.escape(name)}": \{{')
                    found[canonicalize_name(name)] = (
                        str(info["git"]),
                        str(info["ref"]),
                        Evidence(lock, line),
                    )
        return found
    if not lock.endswith(".lock") or lock.endswith("requirements.lock"):
        return found
    for pkg in tree.read_toml(lock).get("package", []):
        name = str(pkg.get("name", ""))
        source = pkg.get("source") if isinstance(pkg.get("source"), dict) else {}
        url = commit = None
        if isinstance(source.get("git"), str):  # uv.lock: git = "URL?rev=main#COMMIT"
            url, _, commit = source["git"].partition("#")
            url = url.split("?", 1)[0]
        elif source.get("type") == "git":  # poetry.lock
            url, commit = source.get("url"), source.get("resolved_reference")
        elif isinstance(pkg.get("git"), str):  # pdm.lock
            url, commit = pkg["git"], pkg.get("revision")
        if url and is_commit(str(commit)):
            line = tree.line_of(lock, rf'^name = "{re.escape(name)}"')
            found[canonicalize_name(name)] = (str(url), str(commit), Evidence(lock, line))
    return found


def generated_commits(lock_path: str, text: str) -> dict[str, tuple[str, str, Evidence]]:
    """name -> (clone URL, commit, evidence) from a generated lock's ``# built from git:`` lines."""
    found: dict[str, tuple[str, str, Evidence]] = {}
    for match in _GENERATED.finditer(text):
        line = text.count("\n", 0, match.start()) + 1
        clone, ref, _ = split_url(match[2], f"{lock_path}:{line}")
        if is_commit(ref):
            assert ref is not None
            found[canonicalize_name(match[1])] = (clone, ref, Evidence(lock_path, line))
    return found


def generated_build_requires(text: str) -> dict[str, tuple[str, ...]]:
    """name -> the ``[build-system].requires`` a generated lock's ``# git build requires:`` lines record."""
    found: dict[str, tuple[str, ...]] = {}
    for match in _BUILD.finditer(text):
        try:
            listed = json.loads(match[2])
        except ValueError:
            continue
        if isinstance(listed, list) and all(isinstance(r, str) for r in listed):
            found[canonicalize_name(match[1])] = tuple(listed)
    return found


def with_build_requires(
    deps: tuple[GitDependency, ...], found: dict[str, tuple[str, ...]]
) -> tuple[GitDependency, ...]:
    """``deps`` with the build requirements a lock recorded for them (a pinned dependency only)."""
    return tuple(
        dataclasses.replace(d, build_requires=found[d.name]) if d.commit and d.name in found else d
        for d in deps
    )


def build_requires(deps: tuple[GitDependency, ...]) -> tuple[str, ...] | None:
    """Every git package's build requirements (in order, once), or None while one is not known: then
    the builder builds them all with build isolation, as before ``init`` read them."""
    if not deps or any(d.build_requires is None for d in deps):
        return None
    return tuple(dict.fromkeys(r for d in deps for r in d.build_requires or ()))


def pure_built(dep: GitDependency) -> bool:
    """True when the commit's build backend only makes pure-Python wheels (``data/toolchains.toml``
    ``[pure_backends]``): building it needs no compiler. Unknown requirements: False."""
    if not dep.build_requires:
        return False
    pure = set(toolchain_table().get("pure_backends", {}).get("names", ()))
    names = []
    for text in dep.build_requires:
        try:
            names.append(canonicalize_name(Requirement(text).name))
        except InvalidRequirement:
            return False
    return all(name in pure for name in names)


def build_requires_lines(deps: tuple[GitDependency, ...]) -> str:
    """The generated lock's record of each git package's build requirements (read back by
    :func:`generated_build_requires`)."""
    return "".join(
        f"{BUILD_PREFIX}{d.name} {json.dumps(list(d.build_requires))}\n"
        for d in deps
        if d.build_requires is not None
    )


def pinned(
    deps: tuple[GitDependency, ...], commits: dict[str, tuple[str, str, Evidence]]
) -> tuple[GitDependency, ...]:
    """``deps`` with the commits a lock resolved them to, the lock's line added to the evidence."""
    out = []
    for dep in deps:
        known = commits.get(dep.name)
        if known is not None and (dep.commit is None or dep.commit == known[1]):
            _url, commit, where = known
            why = f"{dep.ref or 'the default branch'} resolved to commit {commit}"
            evidence = (*dep.evidence, Evidence(where.file, where.line, why))
            dep = dataclasses.replace(dep, commit=commit, evidence=evidence)
        out.append(dep)
    return tuple(out)


def detect_git(tree: ProjectTree, deps: Dependencies) -> tuple[GitDependency, ...]:
    """The project's git dependencies, each with the commit its manager's lock (or its own reference)
    pins, else None (``init`` resolves it: the generated lock records the commit)."""
    found = declared(tree, deps)
    commits = locked_commits(tree, deps.lock_file)
    names = {dep.name for dep in found}
    installed = {p.name for p in deps.locked if p.source == "vcs"}
    for name, (url, commit, where) in commits.items():
        if name in installed and name not in names:  # a dependency's own git dependency, from the lock
            clone = split_url(url, str(where))[0]
            evidence = Evidence(where.file, where.line, f"{name} from {clone} at commit {commit}")
            found.append(GitDependency(name, clone, commit, commit, None, (evidence,)))
    return pinned(tuple(found), commits)
