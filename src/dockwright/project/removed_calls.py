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


def _kept_already(declared: Iterable[str], row: Removed) -> bool:
    """Whether a declared requirement on ``row``'s distribution already admits no release from
    ``removed_in`` on (``flet==0.28.3``, ``flet<0.90``)."""
    for text in declared:
        try:
            requirement = Requirement(text)
        except InvalidRequirement:
            continue
        named = canonicalize_name(requirement.name) == row.distribution
        if (
            named
            and str(requirement.specifier)
            and not released_since(str(requirement.specifier), row.removed_in)
        ):
            return True
    return False


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
        if row.distribution not in dependencies or _kept_already(declared, row):
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
    return app
