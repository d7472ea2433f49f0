"""A call a library's later releases removed: the lock keeps a release that still has it.

What it does: for each row of ``data/removed_calls.toml`` whose distribution the project depends on,
when one of the project's modules calls the removed attribute through the library's module (``import
flet as ft`` ... ``ft.app(main)``, or ``from flet import app``), ``<distribution><<removed_in>``
(``flet<1.0``) joins what the start adds to the lock: an unpinned flet then resolves to the last
release with ``flet.app``, a pinned older one stays, and a pin on a newer one stops the lock with the
one line naming both.

Why: flet 1.0 renamed ``flet.app`` to ``flet.run``. A script calling ``ft.app(target=main)`` beside an
unpinned ``flet`` got 1.0.5, and the container stopped at start: ``AttributeError: module 'flet' has
no attribute 'app'``.

Then (``[[bound]]`` rows): a library kept before a release (by that bound or the project's own pin)
may pass an argument a newer release of another distribution removed; the lock keeps that
distribution below it too (flet before 1.0 builds ``FastAPI(openapi_prefix=...)``, gone in FastAPI
0.145: ``fastapi<0.145``).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable
from functools import cache
from typing import NamedTuple

from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import canonicalize_name

from dockwright.project.adds_in_lock import add_name
from dockwright.project.detectors.scan import ModuleScan
from dockwright.project.facts import AppFacts, Evidence, Fact
from dockwright.project.tree import ProjectTree, data_table
from dockwright.project.unrequired_imports import released_since


class Removed(NamedTuple):
    distribution: str
    module: str
    call: str
    removed_in: str
    instead: str


class Bound(NamedTuple):
    distribution: str
    before: str
    requirement: str
    why: str


@cache
def bounds() -> tuple[Bound, ...]:
    return tuple(
        Bound(str(r["distribution"]), str(r["before"]), str(r["requirement"]), str(r["why"]))
        for r in data_table("removed_calls.toml").get("bound", [])
    )


@cache
def rows() -> tuple[Removed, ...]:
    return tuple(
        Removed(
            str(r["distribution"]), str(r["module"]), str(r["call"]), str(r["removed_in"]), str(r["instead"])
        )
        for r in data_table("removed_calls.toml")["row"]
    )


def _caller(tree: ProjectTree, scans: Iterable[ModuleScan], row: Removed) -> Evidence | None:
    """Where a module calls ``row``'s removed attribute through the library's module, else None."""
    alias = re.compile(rf"^\s*import\s+{re.escape(row.module)}\s+as\s+(\w+)", re.M)
    for scan in scans:
        if row.module not in scan.imports:
            continue
        text = tree.read_text(scan.rel) if tree.is_file(scan.rel) else ""
        heads = {row.module, *alias.findall(text)}
        for call in scan.invocations:
            head, _, last = call.name.rpartition(".")
            direct = not head and scan.from_imports.get(call.name) == f"{row.module}.{row.call}"
            if direct or (head in heads and last == row.call):
                return Evidence(scan.rel, call.line, f"{call.name}(...)")
    return None


def _kept_already(declared: Iterable[str], distribution: str, below: str) -> bool:
    """Whether a declared requirement on ``distribution`` already admits no release from ``below`` on
    (``flet==0.28.3``, ``flet<0.90``)."""
    for text in declared:
        try:
            requirement = Requirement(text)
        except InvalidRequirement:
            continue
        spec = str(requirement.specifier)
        if canonicalize_name(requirement.name) == distribution and spec and not released_since(spec, below):
            return True
    return False


def _with_bounds(dependencies: frozenset[str], declared: tuple[str, ...], app: AppFacts) -> AppFacts:
    """``app`` with each ``[[bound]]`` row's requirement added when the project keeps a release of its
    library before the row's ``before`` (its own requirement, or a bound added above)."""
    for row in bounds():
        if row.distribution not in dependencies or row.requirement in app.adds.value:
            continue
        added = f"{row.distribution}<{row.before}" in app.adds.value
        if not added and not _kept_already(declared, row.distribution, row.before):
            continue
        why = (
            f"the image keeps {row.distribution} before {row.before}: {row.why}; "
            f"the lock keeps {row.requirement}"
        )
        app = dataclasses.replace(
            app,
            adds=Fact((*app.adds.value, row.requirement), (*app.adds.evidence, Evidence("", None, why))),
        )
    return app


def with_removed_calls(
    tree: ProjectTree,
    scans: Iterable[ModuleScan],
    dependencies: frozenset[str],
    declared: Iterable[str],
    app: AppFacts,
) -> AppFacts:
    """``app`` whose lock keeps a release of each library that still has the call its code makes (unless
    the project's own requirement keeps one already)."""
    scans, declared = tuple(scans), tuple(declared)
    for row in rows():
        if row.distribution not in dependencies or _kept_already(declared, row.distribution, row.removed_in):
            continue
        found = _caller(tree, scans, row)
        if found is None:
            continue
        requirement = f"{row.distribution}<{row.removed_in}"
        if requirement in app.adds.value:
            continue
        why = (
            f"{found.detail} calls {row.module}.{row.call}, which {row.distribution} {row.removed_in} "
            f"removed ({row.instead} since): the lock keeps {requirement}"
        )
        kept = tuple(a for a in app.adds.value if add_name(a) != row.distribution)
        app = dataclasses.replace(
            app, adds=Fact((*kept, requirement), (*app.adds.evidence, Evidence(found.file, found.line, why)))
        )
    return _with_bounds(dependencies, declared, app)
