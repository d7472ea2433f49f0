"""## What it does
Reports the `.pyc` files of the app and its site-packages against the image's bytecode policy
(`PYTHONDONTWRITEBYTECODE`, compiled at build or not): informational, PASS. WARN when `.pyc`
files were compiled for another CPython version than the image's interpreters.

## Why is this bad?
Bytecode for another Python version is never used: the interpreter ignores it, recompiles at
each start (or writes new `__pycache__` as the app's user, when it can) and the stale files are
dead weight, usually copied from a developer's build context.

## Example
```Dockerfile
FROM python:3.12-slim
COPY . /app
```
with `app/__pycache__/models.cpython-311.pyc` in the build context

## Use instead
```Dockerfile
FROM python:3.12-slim
COPY . /app
RUN python -m compileall -q /app
```
with `**/__pycache__` in `.dockerignore`
"""

from __future__ import annotations

import posixpath
import re

from dockwright.audit.checks.base import CheckOptions, CheckResult, Status, _cap, _ev
from dockwright.audit.checks.common import _in_site_packages
from dockwright.audit.image import ImageFacts
from dockwright.output import fmt_bytes

ID = "bytecode"
TITLE = "Bytecode matches the policy"
GROUP = "python"


_PYC_TAG = re.compile(r"\.(cpython|pypy)-?(\d+)")


_INTERPRETER = re.compile(r"(?:usr/(?:local/)?)?bin/python3\.(\d+)")


def _interpreters(facts: ImageFacts) -> set[str]:
    found = set()
    for path in facts.files:
        match = _INTERPRETER.fullmatch(path) if "bin/python3." in path else None
        if match:
            found.add(f"3{match[1]}")
    return found


def check_bytecode(facts: ImageFacts, options: CheckOptions) -> CheckResult:
    """``__pycache__`` against the image's bytecode policy (informational); stale foreign .pyc → WARN."""
    title = "Bytecode matches the policy"
    dont_write = bool(facts.config.env_value("PYTHONDONTWRITEBYTECODE"))
    workdir = facts.config.working_dir.strip("/")
    app_roots = tuple(r + "/" for r in {workdir, "app"} if r)
    pyc = [
        e
        for e in facts.regular_files()
        if e.path.endswith(".pyc") and (e.path.startswith(app_roots) or _in_site_packages(e.path))
    ]
    versions = _interpreters(facts)
    stale = []
    for entry in pyc:
        match = _PYC_TAG.search(posixpath.basename(entry.path))
        if match and match[1] == "cpython" and versions and match[2] not in versions:
            stale.append(
                _ev(entry, f"compiled for cpython-{match[2]}, image has {', '.join(sorted(versions))}")
            )
    if stale:
        return CheckResult(
            "bytecode",
            title,
            Status.WARN,
            f"{len(stale)} .pyc for another Python (copied from the build context?)",
            _cap(stale),
            "python",
        )
    nbytes = sum(e.size for e in pyc)
    if dont_write and pyc:
        summary = (
            f"{len(pyc)} .pyc ({fmt_bytes(nbytes)}) compiled at build; "
            "PYTHONDONTWRITEBYTECODE stops runtime writes"
        )
    elif dont_write:
        summary = "no .pyc, PYTHONDONTWRITEBYTECODE set: compiled in memory at each start"
    elif pyc:
        summary = f"{len(pyc)} .pyc ({fmt_bytes(nbytes)}); PYTHONDONTWRITEBYTECODE not set"
    else:
        summary = "no .pyc and PYTHONDONTWRITEBYTECODE not set: the app may write __pycache__ at run time"
    return CheckResult("bytecode", title, Status.PASS, summary, group="python")
