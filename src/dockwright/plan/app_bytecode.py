"""Whether the app's own copied source is compiled to bytecode at build time (a RUN after its COPY).

The dependencies' bytecode is compiled at install time (``bytecode = "compile"``) and never
changes with the app's code. The app's source is different: it is the layer every edit rebuilds,
so a ``RUN python -m compileall`` after its ``COPY`` is paid on every rebuild, and most of that
step is fixed cost (a container started, a layer snapshotted), not compiling.

Measured (bench/compare.py profiles with ``--progress plain``, sandbox stand-in bases, CPython
3.13, the 2-core shared machine): the warm ``compileall`` step of the examples (1-3 modules, under
10 kB) took 0.1-0.4 s of a 0.3-1.1 s rebuild; compiling source at import costs 1.0-4.5 kB per ms
(``compile()`` + ``marshal`` of pip's, ``email``'s, ``json``'s and ``http``'s modules, loaded and
idle machine). So below :data:`COMPILE_FROM_BYTES` the import-time compile of the whole app is at
most ~0.13 s at the slowest rate measured, no more than the build step it replaces; above it the
step pays for itself on the first process start. Skipped, the runtime's ``PYTHONDONTWRITEBYTECODE=1``
keeps the app from writing ``.pyc`` into its root-owned tree (read-only-safe), and Python compiles the
few modules in memory at import.
"""

from __future__ import annotations

from dockwright.plan.model import Decision
from dockwright.plan.strategies.base import PlanOptions
from dockwright.project.facts import ProjectFacts

COMPILE_FROM_BYTES = 128 * 1024
"""App source size (bytes of ``.py``) from which ``compileall`` runs at build time (see the module doc)."""

STEP = "python -m compileall -q ."


def compile_app_source(facts: ProjectFacts, options: PlanOptions) -> tuple[bool, Decision]:
    """Should the runtime compile the copied app source, and the decision that says why."""
    size = facts.layout.source_size.value
    modules = f"{size.modules} module{'' if size.modules == 1 else 's'}"
    counted = f"{modules}, {size.bytes / 1024:.1f} kB of Python source"
    if options.bytecode != "compile":
        return False, Decision(
            "app-bytecode", "none", f"bytecode = {options.bytecode}: {counted}, not compiled"
        )
    threshold = f"{COMPILE_FROM_BYTES // 1024} kB"
    if size.bytes >= COMPILE_FROM_BYTES:
        return True, Decision(
            "app-bytecode",
            "compiled at build time",
            f"{counted} (>= {threshold}): compiling it at every process start would cost more than the "
            f"`{STEP}` step each rebuild pays, so the step runs after the source COPY, owned by root",
        )
    return False, Decision(
        "app-bytecode",
        "compiled at import",
        f"{counted} (< {threshold}): Python compiles it in memory at import in less time than the "
        f"`{STEP}` step would add to every rebuild; PYTHONDONTWRITEBYTECODE=1 keeps the non-root app from "
        "writing .pyc into its root-owned tree; the dependencies' bytecode is still compiled at install",
    )
