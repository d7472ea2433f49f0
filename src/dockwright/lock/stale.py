"""A build never installs from a stale generated lock without saying so.

``plan`` marks the lock ``init`` generated stale when what it was resolved from changed (the source's
digest or an include's in its header) or when it was resolved for another Python minor than the plan
chooses (its ``target:`` line). Building from it anyway gives an image without the dependency just
added (an ImportError in production) or with pins and wheels for another Python. ``build`` therefore
refuses it (one line: the reason, with the header line as evidence, and the command that regenerates
it: ``init --lock-only`` when only the lock changes, ``init --force`` for another Python, whose base
the Dockerfile names too) unless ``--allow-stale-lock`` says to build it as it is, then a warning.

The build backend's lock (``requirements-build.lock``, ``[build-system].requires`` hash-locked, its
header's ``requirements-sha256=`` the digest of those lines) is checked the same way when the
Dockerfile built reads it: a backend requirement edited since ``init`` is refused (the header's source
line as evidence, ``init --lock-only`` regenerates it) unless ``--allow-stale-lock``
(:func:`stale_locks`).

The reason is the one ``plan`` already gave (the lock's ``stale_reason``, the text of its warning), and
so is the command (its ``stale_cause``: ``python`` asks for ``init --force``); only a plan that does not
carry them (built another way) has them worked out again from the lock's header.

Build does not regenerate the lock itself: resolving needs the index (the network), may pick other
versions than the user reviewed, and the lock is a file the user commits; ``init`` writes it (with
``--diff`` to see the change first), ``build`` only reads.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from dockwright.plan.model import BuildPlan

# lock.header, lock.own_ranges and plan.pathdeps are imported where a lock is stale: a build whose
# plan says none is (the common case, and a kept plan's: dockwright.kept_plan) never loads them

FIX = "dockwright init --force"  # the suffix of the plan's reasons (lock/header.py)
LOCK_ONLY = "dockwright init --lock-only"
OVERRIDE = "--allow-stale-lock"


@dataclass(frozen=True)
class StaleLock:
    """Why a build would install from a stale generated lock, and the command that regenerates it."""

    reason: str  # the plan's reason, with the header line as evidence
    fix: str  # `init --lock-only` when only the lock changes; `init --force` for another Python

    def refusal(self) -> str:
        """The one-line error of a build refused for it."""
        return (
            f"{self.reason}: the image would not have what changed, so nothing was built; regenerate "
            f"the lock with `{self.fix}` (`--diff` shows the change first), or build from it as it is "
            f"with {OVERRIDE}"
        )

    def allowed(self) -> str:
        """The warning of a build that goes on from it (``--allow-stale-lock``)."""
        return f"{self.reason}: building from it as it is ({OVERRIDE}); `{self.fix}` regenerates it"


def lock_inputs(plan: BuildPlan) -> tuple[str, ...]:
    """The requirement lines the generated lock is resolved from when they are read statically (setup.py
    keywords, ``[project].dependencies``), else () (a requirements file, a manager's lock, a backend hook)."""
    lock, deps = plan.lock, plan.facts.dependencies
    if lock.method != "uv-compile" or deps.dynamic is not None:
        return ()
    if lock.requirements:
        return lock.requirements
    return deps.declared if lock.source == "pyproject.toml" else ()


def stale_lock(context: Path, plan: BuildPlan, dockerfile: Path | None = None) -> StaleLock | None:
    """The stale generated lock a build of ``plan`` would install from, else None. ``dockerfile``:
    the one that will be built when it exists (the project's own, or ``--file``); one that never names
    the lock's file does not read it."""
    lock = plan.lock
    if not lock.generate or not lock.stale or not _read_by(dockerfile, lock.path):
        return None
    from dockwright.lock import own_ranges
    from dockwright.lock.header import REGENERATE, other_python_reason, selection_text, stale_reason

    planned = lock.stale_reason if lock.stale_cause is not None else None
    if planned is not None:  # the plan's decision: its reason, and whether the Python changed
        reason: str | None = None if lock.stale_cause == "python" else planned
    else:
        reason = stale_reason(
            context,
            lock.path,
            lock_inputs(plan),
            lock.merged,
            lock.source,
            own_ranges.compared(plan),
            selection_text(lock.extras, lock.groups),
            layers=lock.layers,
        )
    if reason is not None:  # the header line that recorded the changed file is the evidence
        evidence = _evidence(context / lock.path, lock.path, reason)
        return StaleLock(reason.removesuffix(REGENERATE) + evidence, LOCK_ONLY)
    # resolved for another Python: the reason names the header's target line itself, and the
    # Dockerfile's base changes with the lock (init --force)
    reason = (
        planned or other_python_reason(context, lock.path, plan.python_version) or f"{lock.path} is stale"
    )
    return StaleLock(reason.removesuffix(REGENERATE), FIX)


def stale_build_lock(context: Path, plan: BuildPlan, dockerfile: Path | None = None) -> StaleLock | None:
    """The build backend's generated lock, when a build of ``plan`` would install from it and the
    build requirements it was resolved from changed since; else None."""
    extra = next((f for f in plan.files if f.kind == "build-lock"), None)
    if extra is None or not _read_by(dockerfile, extra.path):
        return None
    from dockwright.lock.header import REGENERATE, stale_reason
    from dockwright.plan.pathdeps import build_requires

    reason = stale_reason(context, extra.path, build_requires(plan.facts, plan.builds_app_wheel))
    if reason is None:
        return None
    evidence = _evidence(context / extra.path, extra.path, reason)
    return StaleLock(reason.removesuffix(REGENERATE) + evidence, LOCK_ONLY)


def stale_locks(context: Path, plan: BuildPlan, dockerfile: Path | None = None) -> tuple[StaleLock, ...]:
    """Every stale generated lock a build of ``plan`` would install from: the dependencies' lock
    (:func:`stale_lock`), then the build backend's (:func:`stale_build_lock`)."""
    found = (stale_lock(context, plan, dockerfile), stale_build_lock(context, plan, dockerfile))
    return tuple(stale for stale in found if stale is not None)


def _read_by(dockerfile: Path | None, lock_path: str) -> bool:
    """Whether the Dockerfile that will be built names the lock's file (one that does not never reads
    it); True when there is none yet (the planned one reads it)."""
    if dockerfile is None or not dockerfile.is_file():
        return True
    return PurePosixPath(lock_path).name in dockerfile.read_text(encoding="utf-8", errors="replace")


def _evidence(lock_file: Path, lock_path: str, reason: str) -> str:
    """`` (LOCK:N records FILE)``: the header line naming the file ``reason`` names (an include
    before the source, which the reason names too), else the source's line."""
    from dockwright.lock.header import INCLUDE_LINE, SOURCE_LINE

    lines = lock_file.read_text(encoding="utf-8", errors="replace").splitlines()
    for pattern in (INCLUDE_LINE, SOURCE_LINE):
        for number, line in enumerate(lines, 1):
            found = pattern.match(line)
            if found is not None and f" {found['file']}" in f" {reason}":
                return f" ({lock_path}:{number} records {found['file']})"
    for number, line in enumerate(lines, 1):  # "its requirements changed": the source's digest of them
        found = SOURCE_LINE.match(line)
        if found is not None:
            return f" ({lock_path}:{number} records {found['file']}'s)"
    return ""
