"""A database URL whose driver the project does not install.

SQLAlchemy picks the DBAPI driver from the URL's scheme: ``postgresql+psycopg://`` imports psycopg 3,
``postgresql://`` the default psycopg2, ``mysql+pymysql://`` PyMySQL
(https://docs.sqlalchemy.org/en/20/core/engines.html#database-urls). A project that names one driver in
its code or settings defaults and installs another builds fine and stops at its first ``create_engine``
on ``ModuleNotFoundError`` (every worker of the server, at import). For each URL literal of the app's
modules (a literal, an f-string's head, ``os.getenv(NAME, "postgresql+psycopg://...")``'s default)
whose scheme is in ``data/db_drivers.toml``, in a project that depends on SQLAlchemy (or an ORM on it),
and none of the driver's distributions installed: one warning naming the line and the distribution.
Only the scheme is said, never the rest of the URL (it may hold a password). Django projects are left
out: their URL parsers (dj-database-url) map a scheme to Django's own backend, which takes psycopg 2 or 3.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache
from typing import NamedTuple

from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.utils import canonicalize_name

from dockwright.project.detectors.scan import ModuleScan
from dockwright.project.tree import data_table

SCHEME = re.compile(r"^([a-z]+(?:\+[a-z0-9_]+)?)://")


class Driver(NamedTuple):
    module: str
    distributions: tuple[str, ...]  # canonical names, the one to name first
    source: str
    before: str  # the row applies to SQLAlchemy releases before this one ("" = all)
    since: str  # ... or from this one on


@cache
def drivers() -> dict[str, tuple[Driver, ...]]:
    """URL scheme -> its rows (the default driver has one per SQLAlchemy release line)."""
    out: dict[str, tuple[Driver, ...]] = {}
    for r in data_table("db_drivers.toml")["driver"]:
        names = tuple(map(canonicalize_name, r["distributions"]))
        row = Driver(r["module"], names, r["source"], r.get("before", ""), r.get("since", ""))
        out[r["scheme"]] = (*out.get(r["scheme"], ()), row)
    return out


@cache
def orms() -> frozenset[str]:
    return frozenset(canonicalize_name(n) for n in data_table("db_drivers.toml")["orms"])


def driver_notes(scans: Iterable[ModuleScan], installed: frozenset[str], sqlalchemy: str = "") -> list[str]:
    """One warning per driver a URL of ``scans`` names and no distribution of ``installed`` provides
    (canonical names), at its first URL; none unless the project reaches databases through SQLAlchemy.
    ``sqlalchemy``: the specifier the project pins or locks SQLAlchemy with ("" = the newest release)."""
    if not installed & orms() or "django" in installed:
        return []
    first: dict[str, tuple[str, int]] = {}
    for scan in scans:
        for url, line in scan.db_urls:
            match = SCHEME.match(url)
            scheme = match.group(1) if match else ""
            if scheme in drivers() and scheme not in first:
                first[scheme] = (scan.rel, line)
    notes: list[str] = []
    for scheme, (rel, line) in first.items():
        driver = next((d for d in drivers()[scheme] if _applies(d, sqlalchemy)), None)
        if driver is None or installed.intersection(driver.distributions):
            continue
        other = next(
            (d for d in drivers()[scheme] if d is not driver and installed & set(d.distributions)), None
        )
        instead = (
            f", or keep {other.module} by naming it: {scheme}+{other.module}://"
            if driver.since and other is not None
            else ""
        )
        notes.append(
            f"{rel}:{line}: the database URL {scheme}:// makes SQLAlchemy import {driver.module}, which the "
            f"project does not install (add {driver.distributions[0]}{instead}; {driver.source}): the app "
            "stops at its first create_engine on ModuleNotFoundError"
        )
    return notes


def _applies(driver: Driver, specifier: str) -> bool:
    """The row holds for the newest SQLAlchemy ``specifier`` admits (a row without a release line: always)."""
    line = driver.since or driver.before
    if not line:
        return True
    try:
        spec = SpecifierSet(specifier)
    except InvalidSpecifier:
        spec = SpecifierSet()
    # the newest admitted release is on or after `line` when the specifier admits one there
    newer = any(spec.contains(v, prereleases=False) for v in (f"{line}.0", f"{line}.99", "99.0"))
    return newer if driver.since else not newer
