"""Plans for an app that installs packages from git (``project/gitdeps.py``).

The hash-locked set stays what it was (the git packages' own dependencies are in it, hashed; their
lines are not: ``--require-hashes`` refuses a checkout). Then, in the builder, each git package is
fetched at its exact commit by BuildKit's git source (``ADD --keep-git-dir=false URL#COMMIT``: the
fetch happens in BuildKit, not in a ``RUN``, so the image carries no git, no ``.git`` and no
credential; a private repository is reached through ``--ssh default`` or the ``GIT_AUTH_TOKEN`` build
secret, never an ``ARG``/``ENV``), built as a wheel (``pip wheel --no-deps``) and installed
``--no-deps`` into the venv the runtime copies.

A dependency whose commit is not known yet (a branch or tag with no lock that recorded its commit) is
planned with its reference and a warning: ``init`` resolves it (the generated lock records the commit
with a ``# built from git:`` line) and writes the Dockerfile with the commit.

Only the slim strategy does this (the others install the lock in other ways: they refuse, naming it).
"""

from __future__ import annotations

import dataclasses
import posixpath
from urllib.parse import urlsplit

from dockwright.plan import common
from dockwright.plan.model import BuildPlan, Decision, Step
from dockwright.plan.strategies.base import PlanOptions
from dockwright.plan.strategies.slim import VENV
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
    flags = ""
    for index in plan.lock.indexes:
        if index.role == "default":
            flags += f" --index-url {index.url}"
        elif index.role == "extra":
            flags += f" --extra-index-url {index.url}"
    return flags


def steps(plan: BuildPlan, options: PlanOptions) -> tuple[Step, ...]:
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
    return (
        *fetches,
        Step(
            "RUN",
            (
                f"pip wheel --no-deps{_index_flags(plan)} --wheel-dir {WHEELS} {folders}",
                f"pip --python {VENV}/bin/python install --no-index --no-deps{compile_flag} {WHEELS}/*.whl",
            ),
            flags=common.pip_mounts(plan.lock),
            why="each git package built as a wheel (its build backend from the index, isolated) and "
            "installed --no-deps into the venv: the hash-locked lock holds its dependencies",
        ),
    )


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
    builder[at:at] = steps(plan, options)
    shown = "; ".join(_shown(d) for d in deps)
    decision = Decision(
        "git-dependencies",
        ", ".join(f"{d.name}@{(d.commit or d.ref or 'HEAD')[:12]}" for d in deps),
        f"{shown}: pip cannot hash a checkout, so the lock leaves their lines out (their dependencies stay "
        "in it, hashed); BuildKit fetches each at its commit, the builder builds it as a wheel and installs "
        f"it --no-deps into the venv; {SECRET_HINT}",
    )
    warnings = tuple(
        f"{d.evidence[0].file}:{d.evidence[0].line or 1}: {d.name} names git ref "
        f"{d.ref or '(default branch)'}, not a commit, and no lock records its commit yet: "
        "`dockwright init` resolves it (its generated lock records the commit) and writes the Dockerfile"
        for d in deps
        if d.commit is None
    )
    return dataclasses.replace(
        plan,
        builder_steps=tuple(builder),
        decisions=(*plan.decisions, decision),
        warnings=(*plan.warnings, *warnings),
    )


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
