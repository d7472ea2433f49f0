"""A locked distribution that imports ``pkg_resources`` without requiring setuptools.

What it does
    For each row of ``data/pkg_resources_users.toml`` whose distribution the image installs, at a
    release the project pins or locks before the row's ``before`` (an unpinned one resolves to the
    newest, which no longer needs it): unless the project itself depends on setuptools, the start's
    lock gets ``setuptools<82`` (the last release line that ships ``pkg_resources``), with the row as
    evidence.

Why is this bad?
    ``import pkg_resources`` worked in a pip-made virtualenv, which came with setuptools up to Python
    3.11; the image's venv holds only the locked distributions, and setuptools 82 dropped
    ``pkg_resources`` anyway. A release that imports it in its package ``__init__`` (drf-yasg before
    1.21.11) stops the app at import: every ``manage.py`` command, the build's collectstatic, the
    server's workers.

Example
    ``drf-yasg==1.21.7`` in requirements.txt -> ``setuptools<82`` added to the lock.

Use instead
    Move to a release that no longer imports it, or require ``setuptools<82`` yourself.
    https://setuptools.pypa.io/en/latest/pkg_resources.html
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import TYPE_CHECKING, NamedTuple

from dockwright.dist_names import canonicalize_name
from dockwright.project.tree import data_table

if TYPE_CHECKING:  # the audit reads users() alone: packaging and the facts load where they are used
    from dockwright.project.facts import Evidence


class User(NamedTuple):
    distribution: str  # canonical name
    before: str
    where: str
    source: str


@cache
def users() -> tuple[User, ...]:
    rows = data_table("pkg_resources_users.toml")["user"]
    return tuple(
        User(canonicalize_name(r["distribution"]), r.get("before", ""), r["where"], r["source"]) for r in rows
    )


def setuptools_requirement() -> str:
    return str(data_table("pkg_resources_users.toml")["setuptools"])


def setuptools_add(installed: frozenset[str], specifier: Callable[[str], str]) -> tuple[str, Evidence] | None:
    """The setuptools requirement to add to the lock, with its evidence, when a distribution of
    ``installed`` (canonical names) is a row at the release ``specifier(name)`` admits (the lock's exact
    version or the declared requirement; "" = the newest); None when none is or setuptools is installed."""
    if "setuptools" in installed:
        return None
    from dockwright.project.facts import Evidence

    for user in users():
        if user.distribution in installed and released_before(specifier(user.distribution), user.before):
            spec = specifier(user.distribution)
            why = (
                f"{user.distribution}{spec} imports pkg_resources ({user.where}) and does not require "
                f"setuptools, which the venv does not hold: {setuptools_requirement()} is added, the last "
                f"releases that ship pkg_resources ({user.source}; "
                f"{data_table('pkg_resources_users.toml')['setuptools_source']})"
            )
            return setuptools_requirement(), Evidence("", None, why)
    return None


def released_before(specifier: str, before: str) -> bool:
    """The newest release ``specifier`` admits is older than ``before`` ("" = every release is)."""
    if not before:
        return True
    from packaging.specifiers import InvalidSpecifier, SpecifierSet

    try:
        spec = SpecifierSet(specifier)
    except InvalidSpecifier:
        return False
    return not any(spec.contains(v, prereleases=False) for v in (before, f"{before}.99", "99.0"))
