"""Plans for an app that is one folder of a bigger tree (a uv workspace member, a ``backend/`` folder).

A uv workspace member is built from the workspace root (its lock is there): the Dockerfile goes in the
member's folder, its ignore file beside it as ``Dockerfile.dockerignore`` (BuildKit and Podman read it
in preference to the context's ``.dockerignore``, so other apps of the repository keep theirs), and
the build runs at the root with ``-f``. Only the uv strategy installs a member (``uv sync --package``);
the others refuse with the reason. A ``backend/`` folder app is its own context: nothing changes but
where the files go, which the plan states.
"""

from __future__ import annotations

import dataclasses
import posixpath
import re
from collections.abc import Iterable

from packaging.utils import canonicalize_name

from dockwright.dockerfile.ignore import DockerIgnore
from dockwright.plan.common import ALWAYS_IGNORE, SECRETS_WHY
from dockwright.plan.model import BuildPlan, Decision, IgnoreEntry
from dockwright.plan.strategies.base import PlanOptions
from dockwright.project.facts import ProjectFacts, WorkspaceFacts
from dockwright.safe_text import ignore_line
from dockwright.secrets import SECRET_PATTERNS

_NAME = re.compile(r"[\s\[<>=!~;(@]")  # what ends a requirement's name

PATH_LOCKS = frozenset({"poetry.lock", "pdm.lock", "uv.lock"})
"""Locks whose path dependencies are refused outside a uv workspace (nothing would install them)."""

WORKSPACE_STRATEGIES = frozenset({"uv"})
"""Strategies that install a uv workspace member from the workspace's lock."""


def uv_member(facts: ProjectFacts) -> WorkspaceFacts | None:
    workspace = facts.workspace
    return workspace if workspace is not None and workspace.kind == "uv-workspace" else None


def refusal(facts: ProjectFacts, strategy: str) -> str | None:
    """Why ``strategy`` cannot package a uv workspace member, or None."""
    member = uv_member(facts)
    if member is None or strategy in WORKSPACE_STRATEGIES:
        return None
    return (
        f"{member.package} is a member of a uv workspace ({member.member.value}/, lock at the workspace "
        "root): the uv strategy installs it with `uv sync --package`"
    )


def path_refusal(facts: ProjectFacts) -> str | None:
    """Why a project whose lock installs a package from a folder (Poetry ``{path = "../lib"}``, PDM,
    uv outside a workspace) cannot be planned, with what to do; None when it has none."""
    if facts.workspace is not None and facts.workspace.kind in ("uv-workspace", "path-dependencies"):
        return None  # the packages are copied and built (workspace.copies; plan/pathdeps.py)
    deps = facts.dependencies
    declared = {
        canonicalize_name(re.split(r"[\s\[<>=!~;(@]", d.strip(), maxsplit=1)[0]) for d in deps.declared
    }
    # only what the project depends on: an old pdm.lock without groups also lists dev-only path packages
    local = tuple(p for p in deps.path_dependencies if canonicalize_name(p.value) in declared)
    if not local or deps.lock_file not in PATH_LOCKS:
        return None
    first = local[0]
    where = first.evidence[0].detail.removeprefix("installed ") if first.evidence else "from a local path"
    more = f" (and {', '.join(p.value for p in local[1:])})" if len(local) > 1 else ""
    name = first.value
    return (
        f"{deps.lock_file} installs {name} {where}{more}, which a hash-locked image "
        "build cannot take: make the repository a uv workspace ([tool.uv.workspace] at its root with "
        f"{name} a member, then `uv lock`; dockwright builds a member with the workspace packages it "
        f"uses) or install {name} from an index"
    )


def dockerfile_paths(facts: ProjectFacts) -> tuple[str, str]:
    """Where the Dockerfile and its ignore file go, relative to the build context."""
    member = uv_member(facts)
    if member is None or member.member.value == ".":
        return "Dockerfile", ".dockerignore"
    folder = member.member.value
    return f"{folder}/Dockerfile", f"{folder}/Dockerfile.dockerignore"


def build_command(facts: ProjectFacts) -> str:
    """How the user builds, from the folder ``init`` was pointed at's build context."""
    dockerfile, _ = dockerfile_paths(facts)
    flag = f"-f {dockerfile} " if dockerfile != "Dockerfile" else ""
    return f"DOCKER_BUILDKIT=1 docker build {flag}--build-arg VERSION=... --build-arg REVISION=... ."


def apply(plan: BuildPlan) -> BuildPlan:
    """The paths of the written files and the ``build-context`` decision (no change outside a tree)."""
    workspace = plan.facts.workspace
    if workspace is None or workspace.kind == "path-dependencies":
        return plan  # path dependencies: plan/pathdeps.py
    dockerfile, ignore = dockerfile_paths(plan.facts)
    if workspace.kind == "subdirectory":
        folder = workspace.context.rstrip("/").rsplit("/", 1)[-1]
        decision = Decision(
            "build-context",
            f"{folder}/",
            f"{workspace.member.evidence[0].detail}; init writes {folder}/Dockerfile and "
            f"{folder}/.dockerignore; build with `docker build {folder}` from the repository root "
            "(or `dockwright build`)",
        )
        return dataclasses.replace(plan, decisions=(*plan.decisions, decision))
    decision = Decision(
        "build-context",
        "the workspace root",
        f"{workspace.member.evidence[0].detail}; uv.lock is at the root, so the root is the build context: "
        f"init writes {dockerfile} and {ignore} (read instead of the root's .dockerignore), the image takes "
        f"{', '.join(f.value + '/' for f in workspace.copies)} and the members' pyproject.toml only; build "
        f"at the root with `docker build -f {dockerfile} .` (or `dockwright build`)",
    )
    header = tuple(
        f"Build at the workspace root: {build_command(plan.facts)}" if line.startswith("Build: ") else line
        for line in plan.header
    )
    return dataclasses.replace(
        plan,
        dockerfile_path=dockerfile,
        dockerignore_path=ignore,
        header=header,
        decisions=(*plan.decisions, decision),
    )


def dockerignore(
    facts: ProjectFacts, options: PlanOptions, needed: tuple[str, ...]
) -> tuple[tuple[IgnoreEntry, ...], Decision]:
    """Everything of the workspace out but the member, its workspace dependencies and the manifests
    (``needed``); inside those, what the project ignore leaves out; secrets last."""
    member = uv_member(facts)
    assert member is not None
    entries: list[IgnoreEntry] = [
        IgnoreEntry("*", "the rest of the workspace: only the member, what it depends on and the manifests")
    ]
    seen = {"*"}

    def add(pattern: str, why: str) -> None:
        if pattern not in seen:
            seen.add(pattern)
            entries.append(IgnoreEntry(pattern, why))

    folders = [f.value for f in member.copies]
    if "." in folders:
        # the root is a package the app reaches: "!." re-includes nothing after "*" (Docker matches no
        # path against "."), so its entries one by one, less the members the app does not reach (the
        # manifests and the copied folders below are re-included after these)
        for entry in member.root_entries:
            add("!" + ignore_line(entry), "copied: the workspace root, a package the app reaches")
        for manifest in member.manifests:
            other = posixpath.dirname(manifest)
            if other and other not in folders and other.split("/")[0] in member.root_entries:
                add(ignore_line(other), "a workspace member the app does not reach")
    for path in needed:
        add("!" + ignore_line(path), "the build reads it (uv sync --locked checks the lock against it)")
    for folder in folders:
        if folder != ".":
            add("!" + ignore_line(folder), "copied: the app member or a workspace dependency it reaches")
    layout = facts.layout
    app = member.member.value
    for folder in folders:
        prefix = "" if folder == "." else folder + "/"
        for pattern, why in ALWAYS_IGNORE:
            add(pattern if pattern.startswith("**/") else prefix + pattern, why)
        if folder == app:
            add(prefix + "Dockerfile.dockerignore", "not needed inside the image")
            dropped = [*(() if options.include_tests else layout.tests_dirs)]
            dropped += [*(() if options.include_docs else layout.docs_dirs)]
            for sub in dropped:
                add(prefix + sub.strip("/"), "tests and docs are not part of the image")
    prefix = "" if app == "." else app + "/"
    ignored = layout.git_ignored  # what a clone lacks; a pattern matching tracked files is left out here:
    for index, fact in enumerate(ignored):  # a re-include would re-admit what the `*` above keeps out
        scoped = prefix + fact.value
        reincluded = index + 1 < len(ignored) and ignored[index + 1].value.startswith("!")
        if not fact.value.startswith("!") and not reincluded and not _excludes_any(scoped, needed):
            add(scoped, str(fact.evidence[0]))
    for secret in SECRET_PATTERNS:
        add(secret.pattern, SECRETS_WHY)
    for evidence in layout.secret_files:  # the member's descriptors holding one (project/secret_files.py)
        if prefix + evidence.file not in needed and evidence.file not in {
            r.detail for r in layout.data_reads
        }:
            add(
                ignore_line(prefix + evidence.file),
                f"{evidence}: the image never reads it, and no layer may carry it",
            )
    for evidence in layout.public_certificates:  # certificates only, checked by content: no secret
        add(
            "!" + ignore_line(prefix + evidence.file),
            f"{evidence}: public, so it stays (after the secret patterns)",
        )
    reason = (
        f"the workspace root is the context: only {', '.join(f + '/' for f in folders)} and the "
        "manifests uv reads enter it; VCS, virtualenvs, caches, build output and secrets excluded inside them"
    )
    return tuple(entries), Decision("dockerignore", f"{len(entries)} entries", reason)


def _excludes_any(pattern: str, paths: Iterable[str]) -> bool:
    """The .dockerignore line ``pattern`` leaves out one of ``paths`` (a file the build reads)."""
    rules = DockerIgnore.parse(pattern)
    return any(rules.excluded(path) for path in paths)
