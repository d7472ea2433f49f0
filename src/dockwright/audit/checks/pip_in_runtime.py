r"""## What it does
Finds `pip`, `setuptools`, `wheel` and `distribute` in the app's site-packages when the image's
command does not run them: WARN. When the app runs in a virtualenv (its `bin` first on PATH, or
the command names a program in that `bin`, as `/opt/app/bin/start.sh`), only
that venv counts; the base image's copy outside it is named in the summary. A tool that an
installed distribution requires at run time is one of the app's dependencies, not a leftover: the
`Requires-Dist` lines of the distributions' `METADATA` in the same site-packages say so (gunicorn
before 21 requires setuptools, as it imports `pkg_resources`; so does Dash), without an `extra`
marker and with the image's Python for the other markers; so does an installed release that
imports `pkg_resources` without declaring setuptools (drf-yasg before 1.21.11: dockwright's table
`project/data/pkg_resources_users.toml`, the one `init` reads to add setuptools to a lock). The
summary names each tool and who requires it. With `--context`, a tool the project's lock pins is
kept the same way.

## Why is this bad?
Installers are build tools: at run time they are megabytes of code the app never imports, a
frequent source of scanner findings, and a way to install more code into a running container.

## Example
```Dockerfile
FROM python:3.12-slim
RUN python -m venv /venv && /venv/bin/pip install -r requirements.txt
ENV PATH=/venv/bin:$PATH
```

## Use instead
```Dockerfile
FROM python:3.12-slim
RUN python -m venv --without-pip /venv \
    && pip --python /venv/bin/python install -r requirements.txt
ENV PATH=/venv/bin:$PATH
```
"""

from __future__ import annotations

import re

from dockwright.audit.checks.base import CheckOptions, CheckResult, Evidence, Status, _cap
from dockwright.audit.checks.common import (
    _BOOTSTRAP,
    _app_venv,
    _command,
    _group_dirs,
    _site_trees,
    image_python,
)
from dockwright.audit.checks.dist_info import installed, runtime_requirers
from dockwright.audit.image import ImageFacts
from dockwright.errors import DockwrightError
from dockwright.output import fmt_bytes

ID = "pip-in-runtime"
TITLE = "No pip/setuptools/wheel in the runtime"
GROUP = "python"


def _pinned_tooling(facts: ImageFacts, options: CheckOptions) -> tuple[set[str], str]:
    """With --context: the installer tools the project's lock pins as run-time dependencies (Dash
    requires setuptools, older libraries import pkg_resources), and the lock file; else nothing."""
    if options.context is None:
        return set(), ""
    from dockwright.audit.inventory import project_lock

    try:
        locked, lock_file = project_lock(options.context, image_python(facts))
    except DockwrightError:
        return set(), ""
    return {p.name.lower() for p in locked} & _BOOTSTRAP, lock_file


def check_pip_in_runtime(facts: ImageFacts, options: CheckOptions) -> CheckResult:
    """pip/setuptools/wheel left in a runtime whose command does not use them (with --context, a tool
    the project's lock pins is one of the app's own dependencies, not a leftover).

    When the app runs in a virtualenv (its ``bin`` first on PATH), only that venv is the app's
    environment: the base image's own pip outside it cannot be removed without whiteouts that hide
    no bytes, and the venv's interpreter does not import it (a venv leaves out the system
    site-packages by default); it is reported in the summary, not warned about. (dockwright's own slim
    runtime is a copy of the base without it: nothing is left to report, docs/strategies.md.)"""
    title = "No pip/setuptools/wheel in the runtime"
    command = " ".join(_command(facts))
    venv = _app_venv(facts)
    declared, lock_file = _pinned_tooling(facts, options)
    evidence: list[Evidence] = []
    outside: list[Evidence] = []
    needed: dict[str, set[str]] = {}  # tool -> the distributions that require it at run time
    pinned: set[str] = set()  # tools kept because the lock pins them (no installed dist requires them)
    for root, names in sorted(_site_trees(facts).items()):
        apps = venv is None or root.startswith(venv + "/")  # the app's own environment
        for name in sorted(names & _BOOTSTRAP):
            if re.search(rf"\b{name}\b", command):
                continue
            requirers = runtime_requirers(facts, root, name)
            users = {f"{r.dist} (Requires-Dist)" for r in requirers if _dist_name(r.dist) not in _BOOTSTRAP}
            if name == "setuptools":
                users |= _pkg_resources_importers(facts, root)
            if users and apps:
                needed.setdefault(name, set()).update(users)
                continue
            if name in declared:
                pinned.add(name)
                continue
            found = _group_dirs(facts, [f"{root}/{name}"], "installer tooling")
            if apps:
                evidence += found
            else:
                outside += found
    reasons = [
        f"{name} needed at run time by {_first(users)}, kept" for name, users in sorted(needed.items())
    ]
    if pinned:
        reasons.append(
            f"{', '.join(sorted(pinned))} pinned by {lock_file}: a declared run-time dependency, kept"
        )
    if not evidence:
        where = f"the app's venv /{venv}" if venv is not None else ""
        if reasons:
            summary = (f"in {where}: " if where else "") + "; ".join(reasons)
        else:
            summary = f"no installer tooling in {where}" if where else "no installer tooling left"
        if outside:
            summary += (
                f" (the base image's {fmt_bytes(sum(e.bytes for e in outside))} of it stays outside the venv)"
            )
        return CheckResult("pip-in-runtime", title, Status.PASS, summary, tuple(outside), group="python")
    total = sum(e.bytes for e in evidence)
    return CheckResult(
        "pip-in-runtime",
        title,
        Status.WARN,
        f"{fmt_bytes(total)} of left-over installer tooling: nothing the app runs or installed requires it"
        + (f" ({'; '.join(reasons)})" if reasons else ""),
        _cap(evidence),
        "python",
    )


def _dist_name(dist: str) -> str:
    """The lower-case name of a ``name-version`` (a .dist-info folder's stem)."""
    return dist.partition("-")[0].lower().replace("_", "-")


def _pkg_resources_importers(facts: ImageFacts, root: str) -> set[str]:
    """``name-version`` of the distributions in ``root`` at a release that imports pkg_resources
    without requiring setuptools (project/data/pkg_resources_users.toml)."""
    from dockwright.project.pkg_resources_users import users

    rows = {user.distribution: user.before for user in users()}
    found = set()
    for name, version in installed(facts, root):
        if name not in rows:
            continue
        # packaging loads for a distribution of the table only (see dockwright.dist_names)
        from packaging.version import InvalidVersion, Version

        try:
            older = not rows[name] or Version(version) < Version(rows[name])
        except InvalidVersion:
            continue
        if older:
            found.add(f"{name}-{version} (imports pkg_resources)")
    return found


def _first(names: set[str], shown: int = 3) -> str:
    """The first ``shown`` of ``names`` in order, and ``...`` when there are more."""
    return ", ".join(sorted(names)[:shown]) + (", ..." if len(names) > shown else "")
