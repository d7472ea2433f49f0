"""A generated lock for an installed package must satisfy the package's own ranges.

Beside a requirements file, the lock is resolved from that file (plus the declared names it leaves out,
project/dep_sources.py), never from the names it covers as the package declares them. When the file's
range and the declaration's exclude each other (``urllib3<2`` in requirements.txt, ``urllib3>=2`` in
``[project].dependencies``), the resolver pins a version the package refuses, and the image, which
installs the app's wheel with ``--no-deps``, would run it anyway (``pip install -r requirements.txt .``
would have refused; ``pip check`` in the image reports it). ``init`` stops there with one line naming
the lock's pin, the declaration's line and the file's line, rather than writing that lock.

The user's own exact pins (``requests==2.25.1``) are left to the plan's warning: the pin is the user's
explicit choice, and the image keeps it (plan/common.py ``uncovered_warnings``).
"""

from __future__ import annotations

from pathlib import Path

from packaging.utils import canonicalize_name

from dockwright.errors import LockError, ProjectError
from dockwright.plan.model import BuildPlan
from dockwright.project import dep_sources
from dockwright.project.managers import parse_requirements
from dockwright.project.pinned_lines import read_pins
from dockwright.project.tree import ProjectTree


def refuse_out_of_range(root: Path, plan: BuildPlan, text: str) -> None:
    """Raise LockError when ``text`` (the lock ``init`` writes) pins a version the installed package's
    declaration refuses, other than the user's own exact pins."""
    facts, lock = plan.facts, plan.lock
    deps = facts.dependencies
    if lock.method != "uv-compile" or not deps.declared_ranges or not facts.layout.is_package.value:
        return
    exempt = [c.value.split("==", 1)[0] for c in deps.range_conflicts]
    found = dep_sources.lock_violations(
        read_pins(text), lock.path, deps.declared_ranges, plan.python_version, exempt
    )
    if not found:
        return
    first, decl = found[0], found[0].evidence[1]
    also = "; also " + ", ".join(f"{f.value} ({dep_sources.where(f.evidence[1])})" for f in found[1:])
    label = dep_sources.label_of(deps.declared_ranges)
    source = lock.source or lock.path
    raise LockError(
        f"{_asked(root, source, first.value)} resolves to {first.value}, which {decl.detail} "
        f"({dep_sources.where(decl)}) refuses{also if found[1:] else ''}: the app's wheel goes in with "
        f"--no-deps, so the image would run a version its own metadata refuses; make {source} accept what "
        f"{label} declares (or widen the declaration), then run init again"
    )


def _asked(root: Path, source: str, pin: str) -> str:
    """``requirements.txt:3 'urllib3<2'``: where the requirements file names the pinned distribution
    (``requirements.txt, through a dependency,`` when it names it nowhere)."""
    name = pin.split("==", 1)[0]
    try:
        reqs, _ = parse_requirements(ProjectTree(root), source)
    except ProjectError:
        reqs = []
    for req in reqs:
        if req.name and canonicalize_name(req.name) == name:
            return f"{req.file}:{req.line} {req.text!r}"
    return f"{source}, through a dependency,"
