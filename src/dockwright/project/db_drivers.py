"""A database URL whose driver the project does not install.

SQLAlchemy picks the DBAPI driver from the URL's scheme: ``postgresql+psycopg://`` imports psycopg 3,
``postgresql://`` the default psycopg2, ``mysql+pymysql://`` PyMySQL
(https://docs.sqlalchemy.org/en/20/core/engines.html#database-urls). A project that names one driver in
its code or settings defaults and installs another builds fine and stops at its first ``create_engine``
on ``ModuleNotFoundError`` (every worker of the server, at import). For each URL literal of the app's
modules (a literal, an f-string's head, ``os.getenv(NAME, "postgresql+psycopg://...")``'s default)
whose scheme is in ``data/db_drivers.toml``, in a project that depends on SQLAlchemy (or an ORM on it),
and none of the driver's distributions installed: one warning naming the line and the distribution.
Only the scheme is said, never the rest of the URL (it may hold a password).

Django projects (:func:`django_driver_notes`) are read through Django's own backends: a ``DATABASES``
``ENGINE`` literal (``django.db.backends.postgresql``, GeoDjango's ``postgis``, ``mysql`` ...), or a URL
scheme dj-database-url / django-environ map to one (``postgres://``, ``mysql://``), whose driver no
installed distribution provides (``data/db_drivers.toml [[django_engine]]``, with the Django release
that made psycopg 3 an alternative) is one warning per engine.

:func:`async_notes`: ``create_async_engine`` on a URL whose driver runs plainly (``postgresql://`` is
psycopg2 before SQLAlchemy 2.1, ``mysql+pymysql://``, ``sqlite://``) fails when the engine is made
(InvalidRequestError), ``create_engine`` on an asyncio driver (``postgresql+asyncpg://``) at its first
connection (MissingGreenlet): each is said with the call's line.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache
from typing import NamedTuple

from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version

from dockwright.project.detectors.scan import ModuleScan
from dockwright.project.facts import Evidence
from dockwright.project.tree import data_table

SCHEME = re.compile(r"^([a-z][a-z0-9-]*(?:\+[a-z0-9_]+)?)://")


class Driver(NamedTuple):
    module: str
    distributions: tuple[str, ...]  # canonical names, the one to name first
    source: str
    before: str  # the row applies to SQLAlchemy releases before this one ("" = all)
    since: str  # ... or from this one on
    mode: str = "sync"  # sync | async | both: create_engine, create_async_engine, either


class DjangoEngine(NamedTuple):
    drivers: str  # the drivers, as said ("psycopg or psycopg2")
    distributions: tuple[str, ...]  # canonical names, the one to name first
    error: str
    source: str
    before: str  # the row applies to Django releases before this one ("" = all)
    since: str


@cache
def drivers() -> dict[str, tuple[Driver, ...]]:
    """URL scheme -> its rows (the default driver has one per SQLAlchemy release line)."""
    out: dict[str, tuple[Driver, ...]] = {}
    for r in data_table("db_drivers.toml")["driver"]:
        names = tuple(map(canonicalize_name, r["distributions"]))
        row = Driver(r["module"], names, r["source"], r.get("before", ""), r.get("since", ""), r["mode"])
        out[r["scheme"]] = (*out.get(r["scheme"], ()), row)
    return out


@cache
def django_engines() -> dict[str, tuple[DjangoEngine, ...]]:
    """Django ENGINE -> its rows (the PostgreSQL one has one per Django release line)."""
    out: dict[str, tuple[DjangoEngine, ...]] = {}
    for r in data_table("db_drivers.toml")["django_engine"]:
        names = tuple(map(canonicalize_name, r["distributions"]))
        row = DjangoEngine(
            r["drivers"], names, r["error"], r["source"], r.get("before", ""), r.get("since", "")
        )
        for engine in r["engines"]:
            out[engine] = (*out.get(engine, ()), row)
    return out


@cache
def django_urls() -> dict[str, str]:
    """dj-database-url / django-environ URL scheme -> the Django ENGINE it selects."""
    return dict(data_table("db_drivers.toml")["django_url"])


@cache
def mode_sources() -> tuple[str, str]:
    """The pages saying a plain driver fails under create_async_engine, and an asyncio one under
    create_engine."""
    table = data_table("db_drivers.toml")
    return table["async_source"], table["sync_source"]


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
        if driver is None or not driver.distributions or installed.intersection(driver.distributions):
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


def django_driver_notes(
    scans: Iterable[ModuleScan], installed: frozenset[str], django: str = ""
) -> list[str]:
    """One warning per Django engine the settings name (an ENGINE literal, or a URL scheme that selects
    it) whose driver no distribution of ``installed`` provides, at its first site; none outside Django.
    ``django``: the specifier the project pins or locks Django with ("" = the newest release)."""
    if "django" not in installed:
        return []
    first: dict[str, tuple[str, int, str]] = {}  # engine -> (module, line, how it is named)
    for scan in scans:
        for engine, line in scan.db_engines:
            if engine in django_engines():
                first.setdefault(engine, (scan.rel, line, f"the database engine {engine}"))
        for url, line in scan.db_urls:
            match = SCHEME.match(url)
            engine = django_urls().get(match.group(1), "") if match else ""
            if engine:
                how = f"the database URL {match.group(1) if match else ''}:// (Django's {engine})"
                first.setdefault(engine, (scan.rel, line, how))
    notes: list[str] = []
    said: set[tuple[str, ...]] = set()
    for engine, (rel, line, how) in first.items():
        row = next((r for r in django_engines()[engine] if _applies(r, django)), None)
        if row is None or installed.intersection(row.distributions) or row.distributions in said:
            continue
        said.add(row.distributions)
        notes.append(
            f"{rel}:{line}: {how} needs {row.drivers}, which the project does not install (add "
            f"{row.distributions[0]}; {row.source}): Django stops on {row.error} when it loads the backend, "
            "at the first database access (or already at the build's collectstatic when a module reaches "
            "the database at import)"
        )
    return notes


def async_notes(scans: Iterable[ModuleScan], sqlalchemy: str = "") -> list[str]:
    """``create_async_engine`` on a URL of a plain driver, ``create_engine`` on an asyncio one: one
    warning per call whose URL (written there, or bound to the name it reads, in its module, the module
    it imports the name from, or the one binding of that name among ``scans``) fixes the driver."""
    scans = tuple(scans)
    by_module = {s.module: s for s in scans}
    everywhere: dict[str, set[str]] = {}
    for scan in scans:
        for name, url in scan.url_names.items():
            everywhere.setdefault(name, set()).add(url)
    async_source, sync_source = mode_sources()
    notes: list[str] = []
    for scan in scans:
        for call in scan.engine_calls:
            url = call.url or _bound_url(scan, call.name, by_module, everywhere)
            match = SCHEME.match(url)
            scheme = match.group(1) if match else ""
            driver = next((d for d in drivers().get(scheme, ()) if _applies(d, sqlalchemy)), None)
            if driver is None or driver.mode == "both":
                continue
            if call.is_async and driver.mode == "sync":
                notes.append(
                    f"{scan.rel}:{call.line}: create_async_engine gets the database URL {scheme}://, whose "
                    f"driver {driver.module} does not run under asyncio: the app stops when the engine is "
                    f"made (name an asyncio driver in the URL, e.g. {_async_example(scheme)}; {async_source})"
                )
            elif not call.is_async and driver.mode == "async":
                notes.append(
                    f"{scan.rel}:{call.line}: create_engine gets the database URL {scheme}://, whose driver "
                    f"{driver.module} runs only under asyncio: the first connection fails (use "
                    f"create_async_engine, or a plain driver in the URL; {sync_source})"
                )
    return notes


# an asyncio driver per database, as the advice names it
_ASYNC_DRIVERS = {"postgresql": "asyncpg", "mysql": "aiomysql", "sqlite": "aiosqlite", "mariadb": "asyncmy"}


def _async_example(scheme: str) -> str:
    dialect = scheme.split("+", 1)[0]
    driver = _ASYNC_DRIVERS.get(dialect)
    return f"{dialect}+{driver}://" if driver else f"{dialect}+<asyncio driver>://"


def _bound_url(
    scan: ModuleScan, name: str, by_module: dict[str, ModuleScan], everywhere: dict[str, set[str]]
) -> str:
    if not name:
        return ""
    if name in scan.url_names:
        return scan.url_names[name]
    origin = scan.from_imports.get(name, "")
    source = by_module.get(origin.rpartition(".")[0])
    if source is not None and origin.rpartition(".")[2] in source.url_names:
        return source.url_names[origin.rpartition(".")[2]]
    found = everywhere.get(name, set())
    return next(iter(found)) if len(found) == 1 else ""


def _version(text: str) -> Version | None:
    try:
        return Version(text)
    except InvalidVersion:
        return None


def _applies(driver: Driver | DjangoEngine, specifier: str) -> bool:
    """The row holds for the newest release ``specifier`` admits (a row without a release line: always)."""
    line = driver.since or driver.before
    if not line:
        return True
    try:
        spec = SpecifierSet(specifier)
    except InvalidSpecifier:
        spec = SpecifierSet()
    # the newest admitted release is on or after `line` when the specifier admits one there: probe the
    # line's first and a late release, a far one, and the releases the specifier names (==5.1.4, >=2.1.3)
    named = [s.version.removesuffix(".*") for s in spec]
    probes = [f"{line}.0", f"{line}.99", "99.0", *named]
    first = _version(line) or Version("0")
    newer = any(spec.contains(v, prereleases=False) and (_version(v) or first) >= first for v in probes)
    return newer if driver.since else not newer


def unusable_defaults(
    scans: Iterable[ModuleScan], installed: frozenset[str], django: str = ""
) -> list[tuple[str, Evidence]]:
    """The variables whose written default URL selects a Django backend no distribution of ``installed``
    drives (canonical names), each with where and why: they are required in the image."""
    if "django" not in installed:
        return []
    out: dict[str, Evidence] = {}
    for scan in scans:
        for variable, url, line in scan.db_url_defaults:
            match = SCHEME.match(url)
            engine = django_urls().get(match.group(1), "") if match else ""
            row = next((r for r in django_engines().get(engine, ()) if _applies(r, django)), None)
            if row is None or installed.intersection(row.distributions) or variable in out:
                continue
            scheme = match.group(1) if match else ""
            why = (
                f"{variable} unset, its default {scheme}:// needs {row.drivers}, which the project does "
                f"not install: Django stops on {row.error}"
            )
            out[variable] = Evidence(scan.rel, line, why)
    return list(out.items())
