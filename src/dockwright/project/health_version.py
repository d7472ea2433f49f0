"""The built-in health path of the framework release the image installs.

A framework that serves its own health endpoint may have moved it: Streamlit serves
``/_stcore/health`` from 1.18.0 on and ``/healthz`` before (frameworks.toml ``health_before``, with
the source). The probe must ask the path of the release the lock pins, else an image of an older
Streamlit reports unhealthy while it serves. The version is read where the install comes from: the
project's own lock or ``==`` pin (at detection), then the lock the build installs (``init``'s generated
lock, in :func:`dockwright.initialize.with_final_lock`). Only a path the framework table gave is
replaced (a route of the app's own stays); an unknown version keeps the current release's path.
"""

from __future__ import annotations

import dataclasses

from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version

from dockwright.project.detectors.scan import Framework, signatures
from dockwright.project.facts import AppFacts, Dependencies, Evidence, Fact

TABLE = "frameworks table"


def _framework(app: AppFacts) -> Framework | None:
    name = app.framework.value
    if not name or app.kind.value != "web":
        return None
    found = [fw for fw in signatures().frameworks if fw.name == name]
    fw = found[0] if found else None
    return fw if fw is not None and fw.health and fw.health_before else None


def package_of(app: AppFacts) -> str | None:
    """The distribution whose version picks the app's health path, when its framework's path moved."""
    fw = _framework(app)
    return canonicalize_name(fw.module) if fw is not None else None


def _built_in(app: AppFacts, fw: Framework) -> bool:
    """The app's health path is the framework's own (this or an older release's), not a route it declares."""
    known = {fw.health, *(path for _, path, _ in fw.health_before)}
    ev = app.health_path.evidence
    return app.health_path.value in known and bool(ev) and ev[0].file == TABLE


def with_version(app: AppFacts, version: str, where: str) -> AppFacts:
    """``app`` with the health path of the framework release ``version`` (pinned at ``where``)."""
    fw = _framework(app)
    if fw is None or not _built_in(app, fw):
        return app
    try:
        pinned = Version(version)
    except InvalidVersion:
        return app
    path, why = str(fw.health), f"{fw.name} {version} ({where}) serves {fw.health} itself"
    for below, older, source in sorted(fw.health_before, key=lambda h: Version(h[0])):
        if pinned < Version(below):
            path = older
            why = f"{fw.name} {version} ({where}) serves {older} itself: {fw.health} from {below} on "
            why += f"({source})"
            break
    return dataclasses.replace(app, health_path=Fact(path, (Evidence(TABLE, None, why),)))


def older_release(app: AppFacts) -> str | None:
    """Why the app's health path is an older release's of its framework (the pin and the source), or None."""
    fw = _framework(app)
    if fw is None or not _built_in(app, fw) or app.health_path.value == fw.health:
        return None
    return app.health_path.evidence[0].detail


def pinned_version(deps: Dependencies, name: str) -> str | None:
    """The version of ``name`` the project's own lock holds, else its one ``==`` requirement, else None."""
    for package in deps.locked:
        if package.name == name:
            return package.version
    for line in deps.declared:
        try:
            req = Requirement(line)
        except InvalidRequirement:
            continue
        specs = list(req.specifier)
        exact = len(specs) == 1 and specs[0].operator in ("==", "===") and "*" not in specs[0].version
        if canonicalize_name(req.name) == name and exact:
            return specs[0].version
    return None
