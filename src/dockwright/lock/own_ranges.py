"""A generated lock for an installed package must satisfy the package's own ranges.

Beside a requirements file, the lock is resolved from that file (plus the declared names it leaves out,
project/dep_sources.py), not from the names it covers as the package declares them. When the file's
range is wider than the declaration's (``elasticsearch>=7.0.0`` in requirements.txt,
``elasticsearch==7.0.0`` in ``install_requires``), the resolver may pin a version the package refuses,
and the image, which installs the app's wheel with ``--no-deps``, would run it anyway (``pip install -r
requirements.txt .`` resolves both together; ``pip check`` in the image reports the pair).

So ``init`` checks the lock it writes (generated now or kept) against the declaration. Pins out of range
are resolved again with the declared lines of those names beside the file (``uv pip compile FILE -``,
as pip would do with both), and the lock's header names them (``# dockwright-ranges:``). When no
version fits both (``jira<1.0.15`` in the file, ``jira>=2.0.0`` declared), ``init`` stops with one line
naming the requirements line, the resolved pin and the declaration's line, and writes nothing. When the
second resolution fails for another cause (the index unreachable, a package it does not serve, a
build), the line says that cause, as uv gave it (lock/compile.py ``failure_of``), never "no version fits".

The user's own exact pins (``requests==2.25.1``) are left to the plan's warning: the pin is the user's
explicit choice, and the image keeps it (plan/common.py ``uncovered_warnings``).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path

from packaging.utils import canonicalize_name

from dockwright.errors import LockError, ProjectError
from dockwright.lock.compile import Failure, failure_of
from dockwright.lock.header import ranges_line
from dockwright.plan.model import BuildPlan, LockPlan
from dockwright.project import dep_sources
from dockwright.project.facts import Fact
from dockwright.project.managers import parse_requirements
from dockwright.project.pinned_lines import read_pins
from dockwright.project.tree import ProjectTree


def violations(plan: BuildPlan, text: str) -> tuple[Fact[str], ...]:
    """The pins of ``text`` (the lock ``init`` writes) the installed package's declaration (or the app's
    own list: a ``[project]`` table with no build backend) refuses, other than the user's own exact pins;
    () when the lock is not generated from a requirements file beside such a declaration."""
    deps = plan.facts.dependencies
    if not compared(plan):
        return ()
    exempt = [c.value.split("==", 1)[0] for c in deps.range_conflicts]
    pins = read_pins(text)
    return dep_sources.lock_violations(
        pins, plan.lock.path, deps.declared_ranges, plan.python_version, exempt
    )


def compared(plan: BuildPlan) -> tuple[str, ...]:
    """The declaration's lines a lock generated for ``plan`` is compared with (and resolved again
    with, for the names it pins out of range): every declared line when the lock is resolved from a
    requirements file beside a declaration and the app is installed as a package; else ()."""
    facts, lock = plan.facts, plan.lock
    deps = facts.dependencies
    if lock.method != "uv-compile" or not deps.declared_ranges or lock.source is None:
        return ()
    if not facts.layout.is_package.value and not dep_sources.app_list(facts, lock.source):
        return ()
    return tuple(fact.value for fact in deps.declared_ranges)


def declared_lines(plan: BuildPlan, found: tuple[Fact[str], ...]) -> tuple[str, ...]:
    """The declaration's lines for the names of ``found``, to resolve beside the requirements file."""
    names = {f.value.split("==", 1)[0] for f in found}
    out = []
    for fact in plan.facts.dependencies.declared_ranges:
        name = dep_sources.requirement_name(fact.value)
        if name in names:
            out.append(fact.value)
    return tuple(dict.fromkeys(out))


def ranges_comment(plan: BuildPlan, lines: tuple[str, ...]) -> str:
    """``# dockwright-ranges: requirements-sha256=<digest> 'elasticsearch==7.0.0' (setup.py:35) resolved
    beside requirements.txt ...``: the digest of those lines makes the lock stale when they change."""
    where = {f.value: dep_sources.where(f.evidence[0]) for f in plan.facts.dependencies.declared_ranges}
    named = ", ".join(f"{line!r} ({where.get(line, '?')})" for line in lines)
    package = plan.facts.layout.is_package.value
    whose = "the package's own ranges" if package else "the ranges of the app's own list"
    return ranges_line(lines, named, plan.lock.source or plan.lock.path, whose)


def with_ranges_comment(text: str, comment: str) -> str:
    """``comment`` after the header's comment lines of ``text``."""
    lines = text.splitlines(keepends=True)
    at = next((i for i, line in enumerate(lines) if not line.startswith("#")), len(lines))
    return "".join([*lines[:at], comment, *lines[at:]])


def refusal(root: Path, plan: BuildPlan, found: tuple[Fact[str], ...]) -> LockError:
    """The one-line error for pins out of the declared ranges that resolving together did not mend."""
    label = dep_sources.label_of(plan.facts.dependencies.declared_ranges)
    source = plan.lock.source or plan.lock.path
    pairs = "; ".join(
        f"{_asked(root, source, f.value)} and {f.evidence[1].detail} ({dep_sources.where(f.evidence[1])})"
        f" (the lock would pin {f.value})"
        for f in found
    )
    why = (
        "the app's wheel goes in with --no-deps, so the image would run a version its own metadata refuses"
        if plan.facts.layout.is_package.value
        else "pyproject.toml has no build backend, so its list is the app's own (what `uv run` installs), "
        "and the image would run a version it refuses"
    )
    return LockError(
        f"{pairs}: no version fits both, and {why}; make {source} accept what {label} declares (or widen "
        "the declaration), then run init again"
    )


def _asked(root: Path, source: str, pin: str) -> str:
    """``requirements.txt:3 'urllib3<2'``: where the requirements file names the pinned distribution
    (``requirements.txt, through a dependency,`` when it names it nowhere)."""
    name = pin.split("==", 1)[0]
    try:
        reqs, _ = parse_requirements(ProjectTree(root), source)
    except ProjectError:
        reqs = []
    for req in reqs:
        if req.name and canonicalize_name(req.name) == name:
            return f"{req.file}:{req.line} {req.text!r}"
    return f"{source}, through a dependency,"


def mend(root: Path, plan: BuildPlan, text: str, regenerate: Callable[[LockPlan], str]) -> str:
    """``text`` when its pins are in the declared ranges; else the lock ``regenerate`` resolves with the
    declared lines of the names out of range beside the file (its header naming them); raises the
    one-line refusal, naming the names no version fits (each tried alone when they fail together)."""
    found = violations(plan, text)
    if not found:
        return text
    lines = declared_lines(plan, found)
    try:
        again = regenerate(dataclasses.replace(plan.lock, ranges=lines))
    except LockError as error:
        failed = failure_of(error.message)
        if failed.kind != "conflict":  # the index, the network, a build: not the ranges
            raise other_failure(plan, found, failed) from error
        raise refusal(root, plan, _unfit(plan, found, regenerate) or found) from error
    left = violations(plan, again)
    if left:
        raise refusal(root, plan, left)
    return with_ranges_comment(again, ranges_comment(plan, lines))


def _unfit(
    plan: BuildPlan, found: tuple[Fact[str], ...], regenerate: Callable[[LockPlan], str]
) -> tuple[Fact[str], ...]:
    """Those of ``found`` whose declared lines cannot be resolved beside the file even alone."""
    if len(found) < 2:
        return found
    out = []
    for fact in found:
        try:
            regenerate(dataclasses.replace(plan.lock, ranges=declared_lines(plan, (fact,))))
        except LockError as error:
            failed = failure_of(error.message)
            if failed.kind != "conflict":
                raise other_failure(plan, (fact,), failed) from error
            out.append(fact)
    return tuple(out)


_WHAT_FAILED = {
    "missing": "the index has no such package",
    "network": "the index could not be reached",
    "other": "the resolver failed",
}


def other_failure(plan: BuildPlan, found: tuple[Fact[str], ...], failed: Failure) -> LockError:
    """The one-line error of a second resolution that failed for another cause than the ranges (the
    index unreachable, a package it does not serve, a build): uv's own cause, never "no version fits"."""
    ranges = plan.facts.dependencies.declared_ranges
    label = dep_sources.label_of(ranges)
    where = {f.value: dep_sources.where(f.evidence[0]) for f in ranges}
    named = ", ".join(f"{line!r} ({where.get(line, '?')})" for line in declared_lines(plan, found))
    pins = ", ".join(f.value for f in found)
    source = plan.lock.source or plan.lock.path
    return LockError(
        f"{source} could not be resolved again with {label} {named} beside it (the first resolution pinned "
        f"{pins}, out of that range), for another cause than the ranges: {_WHAT_FAILED[failed.kind]} "
        f"({failed.cause}); nothing was written"
    )
