"""Plans for an app that installs packages from git (``project/gitdeps.py``).

The hash-locked set stays what it was (the git packages' own dependencies are in it, hashed; their
lines are not: ``--require-hashes`` refuses a checkout). Then, in the builder, each git package is
fetched at its exact commit by BuildKit's git source (``ADD --keep-git-dir=false URL#COMMIT``: the
fetch happens in BuildKit, not in a ``RUN``, so the image carries no git, no ``.git`` and no
credential; a private repository is reached through ``--ssh default`` or the ``GIT_AUTH_TOKEN`` build
secret, never an ``ARG``/``ENV``), built as a wheel and installed ``--no-deps`` into the venv the
runtime copies. Its build backend is the commit's ``[build-system].requires``, which ``init`` reads
(``lock/gitsource.py``) and records in the generated lock: hash-locked in the build lock beside the
app's and the path dependencies' backends, installed before the fetch, and the wheel built
``--no-index --no-build-isolation``; until then (a lock without that record) it is built isolated, its
backend from the index.

A dependency whose commit is not known yet (a branch or tag with no lock that recorded its commit) is
planned with its reference and a warning: ``init`` resolves it (the generated lock records the commit
with a ``# built from git:`` line) and writes the Dockerfile with the commit.

Only the slim strategy does this (the others install the lock in other ways: they refuse, naming it).
"""

from __future__ import annotations

import dataclasses
import posixpath
import re
import shlex
from urllib.parse import urlsplit

from dockwright.plan import common, installer
from dockwright.plan.model import BuildPlan, Decision, GeneratedFile, Step
from dockwright.plan.strategies.base import PlanOptions
from dockwright.plan.strategies.slim import BUILD_LOCK, VENV
from dockwright.project import gitdeps
from dockwright.project.facts import GitDependency, ProjectFacts

STRATEGIES = frozenset({"slim"})
"""Strategies that build git dependencies as wheels."""

GIT_DIR = "/git"
"""Where BuildKit puts each repository's tree in the builder (``/git/<name>``)."""

WHEELS = "/git-wheels"
"""Where the builder writes the git packages' wheels."""

SECRET_HINT = (
    "a private repository: build with `--ssh default` (ssh:// URL, your SSH agent) or "
    "`--secret id=GIT_AUTH_TOKEN,env=GIT_AUTH_TOKEN` (HTTPS token); BuildKit fetches it, no layer keeps it"
)


def refusal(facts: ProjectFacts, strategy: str) -> str | None:
    """Why ``strategy`` cannot package an app with git dependencies, or None."""
    found = facts.dependencies.git
    if not found or strategy in STRATEGIES:
        return None
    names = ", ".join(d.name for d in found)
    return f"{found[0].evidence[0].file} installs {names} from git: the slim strategy builds them as wheels"


def fetch_url(dep: GitDependency) -> str:
    """The URL BuildKit's git source reads: it takes a URL for a git repository when its path ends in
    ``.git`` (or it is ssh), so one is added where the project left it out (GitHub, GitLab, Gitea and
    Bitbucket answer to both)."""
    parts = urlsplit(dep.url)
    path = parts.path.rstrip("/")
    if parts.scheme != "ssh" and not path.endswith(".git"):
        path += ".git"
    return f"{parts.scheme}://{parts.netloc}{path}"


def _index_flags(plan: BuildPlan) -> str:
    """The indexes an isolated ``pip wheel`` fetches the git packages' build backends from, unhashed:
    never an explicit one (uv ``explicit``, Poetry ``priority = "explicit"``), which serves only the
    packages pinned to it; as one more place to look, a backend it lists at a higher version would win
    (dependency confusion)."""
    flags = ""
    for index in plan.lock.indexes:
        if index.explicit:
            continue
        if index.role == "default":
            flags += f" --index-url {shlex.quote(index.url)}"
        elif index.role == "extra":
            flags += f" --extra-index-url {shlex.quote(index.url)}"
    return flags


def _backend_steps(plan: BuildPlan, lock_path: str) -> tuple[Step, ...]:
    why = "the git packages' build backends, every hash verified, into the builder's interpreter"
    return (
        Step("COPY", (lock_path, "./"), why="the build backends' lock alone: its layer caches"),
        installer.system_install(BUILD_LOCK, why, use_uv=installer.planned_uv(plan)),
    )


def _wheel_command(plan: BuildPlan, folders: str) -> tuple[str, str]:
    """The ``pip wheel`` command and why: offline against the locked backends once init read them,
    else isolated with the backend from the index."""
    if gitdeps.build_requires(plan.facts.dependencies.git) is not None:
        return (
            f"pip wheel --no-index --no-deps --no-build-isolation --wheel-dir {WHEELS} {folders}",
            "each git package built as a wheel offline with its locked build backend",
        )
    return (
        f"pip wheel --no-deps{_index_flags(plan)} --wheel-dir {WHEELS} {folders}",
        "each git package built as a wheel (its build backend from the index, isolated: `dockwright init` "
        "locks it once it has read the commit's pyproject.toml)",
    )


def steps(plan: BuildPlan, options: PlanOptions, lock_path: str | None = None) -> tuple[Step, ...]:
    """The fetches, then (``lock_path``: the build lock holding their backends) the backends and the
    wheels built and installed."""
    deps = plan.facts.dependencies.git
    fetches = tuple(
        Step(
            "ADD",
            (f"{fetch_url(d)}#{d.commit or d.ref or 'HEAD'}", f"{GIT_DIR}/{d.name}"),
            flags=("--keep-git-dir=false",),
            why=f"{d.name} at commit {d.commit} ({d.ref or 'default branch'}), fetched by BuildKit: no git, "
            "no .git and no credential in any layer"
            if d.commit
            else f"{d.name} at {d.ref or 'its default branch'}: NOT pinned yet, "
            "`dockwright init` writes the commit",
        )
        for d in deps
    )
    folders = " ".join(
        posixpath.join(GIT_DIR, d.name, d.subdirectory) if d.subdirectory else f"{GIT_DIR}/{d.name}"
        for d in deps
    )
    compile_flag = "" if options.bytecode == "compile" else " --no-compile"
    command, how = _wheel_command(plan, folders)
    return (
        *(_backend_steps(plan, lock_path) if lock_path else ()),
        *fetches,
        Step(
            "RUN",
            (
                command,
                f"pip --python {VENV}/bin/python install --no-index --no-deps{compile_flag} {WHEELS}/*.whl",
            ),
            flags=common.pip_mounts(plan.lock),
            why=f"{how}, installed --no-deps into the venv: the hash-locked lock holds its dependencies",
        ),
    )


def _with_build_lock(plan: BuildPlan) -> tuple[BuildPlan, str | None]:
    """``plan`` with the build lock its git packages' backends go in (the one the app's or the path
    dependencies' backends already use, else a new one), and that lock's path; None when no backend
    is to be installed (not read yet, or none needed: an in-tree backend)."""
    if not gitdeps.build_requires(plan.facts.dependencies.git):
        return plan, None
    existing = next((f for f in plan.files if f.kind == "build-lock"), None)
    if existing is not None:
        return plan, existing.path
    added = GeneratedFile(
        BUILD_LOCK,
        "build-lock",
        "the git dependencies' build backends ([build-system].requires at their commits) resolved and "
        "hash-locked by `uv pip compile --generate-hashes`",
    )
    return dataclasses.replace(plan, files=(*plan.files, added)), BUILD_LOCK


def apply(plan: BuildPlan, options: PlanOptions) -> BuildPlan:
    """The git packages fetched at their commits and installed, after the locked set."""
    deps = plan.facts.dependencies.git
    if not deps:
        return plan
    builder = list(plan.builder_steps)
    at = next(
        (
            i + 1
            for i, s in enumerate(builder)
            if s.instruction == "RUN" and "--require-hashes" in " ".join(s.args)
        ),
        len(builder),
    )
    plan, lock_path = _with_build_lock(plan)
    builder[at:at] = steps(plan, options, lock_path)
    shown = "; ".join(_shown(d) for d in deps)
    decision = Decision(
        "git-dependencies",
        ", ".join(f"{d.name}@{(d.commit or d.ref or 'HEAD')[:12]}" for d in deps),
        f"{shown}: pip cannot hash a checkout, so the lock leaves their lines out (their dependencies stay "
        "in it, hashed); BuildKit fetches each at its commit, the builder builds it as a wheel and installs "
        f"it --no-deps into the venv{_backends(plan, lock_path)}; {SECRET_HINT}",
    )
    warnings = tuple(
        f"{d.evidence[0].file}:{d.evidence[0].line or 1}: {d.name} names git ref "
        f"{d.ref or '(default branch)'}{_abbreviated(d.ref)}, not a commit, and no lock records its commit "
        "yet: `dockwright init` resolves it (its generated lock records the commit) and writes the Dockerfile"
        for d in deps
        if d.commit is None
    )
    return dataclasses.replace(
        plan,
        builder_steps=tuple(builder),
        decisions=(*plan.decisions, decision),
        warnings=(*plan.warnings, *warnings),
    )


def _backends(plan: BuildPlan, lock_path: str | None) -> str:
    requires = gitdeps.build_requires(plan.facts.dependencies.git)
    if requires is None:
        return " (built with build isolation: `dockwright init` reads and locks the backends)"
    if not lock_path:
        return " (no build requirement: built offline, without build isolation)"
    return f"; their build backends ({', '.join(requires)}, read from each commit) hash-locked in {lock_path}"


_SHORT_COMMIT = re.compile(r"^[0-9a-f]{7,39}$")


def _abbreviated(ref: str | None) -> str:
    """What to say of a reference that reads as an abbreviated commit id (it may name another commit
    once the repository grows, and a branch or tag of the same name wins): its full id pins it."""
    if ref is None or not _SHORT_COMMIT.match(ref):
        return ""
    return " (an abbreviated commit id: write its full 40-character id to pin it)"


def _shown(dep: GitDependency) -> str:
    first = dep.evidence[0]
    where = f"{first.file}:{first.line}" if first.line else first.file
    text = f"{dep.name} from {dep.url} ({where})"
    if dep.commit and len(dep.evidence) > 1:
        pinned = dep.evidence[-1]
        text += f", {pinned.detail} ({pinned.file}:{pinned.line})" if pinned.line else f", {pinned.detail}"
    elif dep.commit:
        text += f", at commit {dep.commit} (the reference is the commit)"
    return text
