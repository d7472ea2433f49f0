"""A locked distribution that imports a module its metadata does not require.

What it does
    For each row of ``data/unrequired_imports.toml`` whose distribution the image installs, at a
    release the project pins or locks before the row's ``before`` or from its ``since`` on (an unpinned
    one resolves to the newest): unless the image installs the row's module's distribution already,
    the start's lock gets the row's requirement, with the row as evidence (the plan names it apart
    from what the start command needs).

Why is this bad?
    Such a release worked while another dependency brought the module along (``six`` came with
    python-dateutil until its maintainers dropped it); a lock resolved today leaves it out, and the
    app stops at import: every ``manage.py`` command, the build's collectstatic, the server's workers.

Example
    ``django-qsstats-magic==1.1.0`` in requirements.txt (its setup.py names six only in the legacy
    ``requires=`` field) -> ``six`` added to the lock.

Use instead
    Require the module's distribution yourself, or move to a release that requires it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache
from typing import NamedTuple

from packaging.requirements import Requirement
from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.utils import canonicalize_name
from packaging.version import Version

from dockwright.project.facts import Evidence
from dockwright.project.pkg_resources_users import released_before
from dockwright.project.tree import data_table


class Row(NamedTuple):
    distribution: str  # canonical name
    before: str
    since: str
    module: str
    requirement: str
    same_version: bool  # the requirement takes the distribution's pinned version (flet-web==<flet's>)
    where: str
    source: str


@cache
def rows() -> tuple[Row, ...]:
    return tuple(
        Row(
            canonicalize_name(r["distribution"]),
            r.get("before", ""),
            r.get("since", ""),
            r["module"],
            r["requirement"],
            bool(r.get("same_version", False)),
            r["where"],
            r["source"],
        )
        for r in data_table("unrequired_imports.toml")["row"]
    )


def _requirement(row: Row, spec: str) -> str:
    """The row's requirement, at the distribution's own pinned version when the row asks for it."""
    pinned = re.fullmatch(r"===?\s*([\w.+!-]+)", spec.strip())
    return f"{row.requirement}=={pinned.group(1)}" if row.same_version and pinned else row.requirement


def released_since(specifier: str, since: str) -> bool:
    """The newest release ``specifier`` admits is ``since`` or later ("" = every release is; an
    unpinned one resolves to the newest)."""
    if not since:
        return True
    try:
        spec = SpecifierSet(specifier)
    except InvalidSpecifier:
        return False
    pinned = [s.version for s in spec if s.operator in ("==", "===") and "*" not in s.version]
    if pinned:
        return Version(pinned[0]) >= Version(since)
    return any(spec.contains(v, prereleases=False) for v in (since, "99.0"))


def requirements() -> frozenset[str]:
    """Every requirement the table can add (the plan says them apart from the start's adds)."""
    return frozenset(r.requirement for r in rows())


def library_adds(installed: frozenset[str], specifier: Callable[[str], str]) -> list[tuple[str, Evidence]]:
    """The requirements to add to the lock, each with its evidence, for the distributions of
    ``installed`` (canonical names) that are a row at the release ``specifier(name)`` admits (the
    lock's exact version or the declared requirement; "" = the newest), unless the row's
    requirement's distribution is installed already."""
    out: list[tuple[str, Evidence]] = []
    for row in rows():
        needed = canonicalize_name(Requirement(row.requirement).name)
        if row.distribution not in installed or needed in installed or row.requirement in (a for a, _ in out):
            continue
        spec = specifier(row.distribution)
        if released_before(spec, row.before) and released_since(spec, row.since):
            had = (
                "only one of its extras does"
                if row.since
                else "which the project may have had through another dependency"
            )
            why = (
                f"{row.distribution}{spec} imports {row.module} ({row.where}) and does not require "
                f"{needed}, {had}: {_requirement(row, spec)} is added ({row.source})"
            )
            out.append((_requirement(row, spec), Evidence("", None, why)))
    return out
