"""## What it does
Counts the site-packages (and dist-packages) trees that hold application distributions (beyond
pip, setuptools and wheel): WARN when there is more than one. When the app runs in a virtualenv
(as `pip-in-runtime` finds it), the operating system's own tree `/usr/lib/python3/dist-packages`
(what apt's `python3-*` packages install, on Debian and Ubuntu bases) is outside the app's
environment: named in the summary, not counted.

## Why is this bad?
Two trees mean two environments: packages installed into the system Python and into a
virtualenv (or a `--user` site), often two versions of the same distribution. Which one the app
imports depends on PATH and the interpreter that runs it, and both ship.

## Example
```Dockerfile
RUN pip install gunicorn
RUN python -m venv /venv && /venv/bin/pip install -r requirements.txt
```

## Use instead
```Dockerfile
RUN python -m venv /venv && /venv/bin/pip install -r requirements.txt gunicorn
ENV PATH=/venv/bin:$PATH
```
"""

from __future__ import annotations

import dataclasses

from dockwright.audit.checks.base import CheckOptions, CheckResult, Status
from dockwright.audit.checks.common import _BOOTSTRAP, _app_venv, _group_dirs, _site_trees
from dockwright.audit.image import ImageFacts

# Debian's and Ubuntu's own tree: apt's python3-* packages, never what pip installs (pip there
# writes /usr/local/lib/python3.X/dist-packages; Debian Python Policy, "Module paths").
_APT_TREE = ("usr/lib/python3/dist-packages",)

ID = "site-trees"
TITLE = "One site-packages tree"
GROUP = "python"


def check_site_trees(facts: ImageFacts, options: CheckOptions) -> CheckResult:
    """Two site-packages trees holding application packages (beyond pip/setuptools/wheel)."""
    title = "One site-packages tree"
    trees = {root: names - _BOOTSTRAP for root, names in _site_trees(facts).items()}
    used = {root: names for root, names in trees.items() if names}
    venv = _app_venv(facts)
    system = sorted(r for r in used if r.startswith(_APT_TREE)) if venv is not None else []
    for root in system:
        del used[root]
    aside = (
        f" (and the system's {', '.join('/' + r for r in system)}, apt's, outside the app's venv /{venv})"
        if system
        else ""
    )
    evidence = [
        dataclasses.replace(ev, detail=f"{ev.detail} ({len(used[ev.path.lstrip('/')])} distributions)")
        for ev in _group_dirs(facts, used, "site-packages tree")
    ]
    if len(used) > 1:
        return CheckResult(
            "site-trees",
            title,
            Status.WARN,
            f"{len(used)} site-packages trees with packages{aside}",
            tuple(evidence),
            "python",
        )
    return CheckResult(
        "site-trees",
        title,
        Status.PASS,
        f"{len(used)} site-packages tree with packages{aside}",
        tuple(evidence),
        "python",
    )
