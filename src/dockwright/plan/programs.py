"""Programs the app starts that the runtime image lacks (``ProjectFacts.app.programs``): by default
their Debian packages are installed in the runtime's apt step, so the image runs instead of stopping
on ``FileNotFoundError`` at the first call.

Applied by the planner after the strategy and before the trimmed base (plan/trim.py), which moves
that apt step into its ``base`` stage (one ``RUN`` with the run-time libraries, ``--no-install-recommends``,
parallel with the builder). Only a Debian runtime with apt gets them (the slim family); Alpine
(different package names) and the standalone binaries' distroless/scratch runtimes (no package
manager) keep the warning, as does ``programs = "warn"`` (``[tool.dockwright]``, ``DOCKWRIGHT_PROGRAMS``,
``--programs warn``).

A large closure (``installed-mb`` in ``project/data/programs.toml``, e.g. ffmpeg) is still installed
by default: an image that fails at the first call is broken, a big one only costs bytes; the plan
warns with the figure and the opt-out.
"""

from __future__ import annotations

import dataclasses

from dockwright.plan.model import AptPackage, BuildPlan, Decision
from dockwright.plan.strategies import slim
from dockwright.plan.strategies.base import PlanOptions
from dockwright.project.facts import Fact
from dockwright.project.programs import ProgramRow, program_table

POLICIES = ("install", "warn")
LARGE_MB = 100
"""An installed closure this big gets its own warning: about the size of the python slim base itself."""

OPT_OUT = '`programs = "warn"` in [tool.dockwright] (or --programs warn)'


def _where(fact: Fact[str]) -> str:
    # a dependency that starts the program is named (its lock line, or the lock and why)
    shown = ", ".join(
        f"{e.file}:{e.line}" + (f" ({e.detail})" if " runs " in e.detail else "")
        if e.line
        else f"{e.file} ({e.detail})"
        for e in fact.evidence[:3]
    )
    more = len(fact.evidence) - 3
    return shown + (f" and {more} more" if more > 0 else "")


def _size(row: ProgramRow) -> str:
    return f" (about {row.installed_mb} MB installed)" if row.installed_mb else ""


def installs_here(plan: BuildPlan) -> str | None:
    """None when the runtime installs Debian packages with apt, else why it cannot."""
    image = plan.runtime_image
    if image.startswith("python:") and "-slim-" in image:
        return None
    if "alpine" in image:
        return f"{image} is Alpine (apk), whose package names the table does not give"
    return f"the runtime {image} has no package manager"


def with_runtime_packages(plan: BuildPlan, added: tuple[AptPackage, ...]) -> BuildPlan:
    """``plan`` whose runtime apt step (made if missing, after tini's copy) also installs ``added``."""
    before = plan.runtime_apt
    after = (*before, *added)
    step = slim.runtime_apt_step(after)
    steps = list(plan.runtime_steps)
    old = slim.runtime_apt_step(before) if before else None
    if old is not None and old in steps:
        steps[steps.index(old)] = step
    else:
        tini = slim.tini_step()
        steps.insert(steps.index(tini) + 1 if tini in steps else 0, step)
    return dataclasses.replace(plan, runtime_apt=after, runtime_steps=tuple(steps))


def apply(plan: BuildPlan, options: PlanOptions | None = None) -> BuildPlan:
    programs = plan.facts.app.programs
    if not programs:
        return plan
    policy = options.programs if options else "install"
    table = program_table()
    rows = {f.value: table[f.value] for f in programs}
    listed = "; ".join(
        f"{f.value} ({_where(f)}): Debian {rows[f.value].apt}{_size(rows[f.value])}" for f in programs
    )
    packages = " ".join(dict.fromkeys(r.apt for r in rows.values()))
    cannot = installs_here(plan)
    if policy == "warn" or cannot:
        why = "asked for (programs = warn)" if policy == "warn" else cannot
        warnings = [
            f"the app starts {f.value} ({_where(f)}), which {plan.runtime_image} does not have: install "
            f"the Debian package {rows[f.value].apt} in the runtime stage (apt-get install "
            f"--no-install-recommends {rows[f.value].apt}){_size(rows[f.value])}, or the call fails with "
            f"FileNotFoundError [{rows[f.value].source}]"
            for f in programs
        ]
        decision = Decision(
            "runtime-programs",
            packages,
            f"not installed: {why}; programs the app starts through subprocess/os (see the warnings): "
            + listed,
        )
        return dataclasses.replace(
            plan, warnings=(*plan.warnings, *warnings), decisions=(*plan.decisions, decision)
        )
    present = {a.name for a in plan.runtime_apt}
    added: dict[str, AptPackage] = {}
    for fact in programs:
        row = rows[fact.value]
        if row.apt not in present and row.apt not in added:
            added[row.apt] = AptPackage(
                row.apt, f"provides {fact.value}, which the app starts ({_where(fact)})"
            )
    large = [(f.value, rows[f.value]) for f in programs if rows[f.value].installed_mb >= LARGE_MB]
    warnings = [
        f"{program} (Debian {row.apt}) adds about {row.installed_mb} MB to the image with its libraries; "
        f"{OPT_OUT} leaves it out, if something else provides it (a sidecar, a static build you copy in)"
        for program, row in large
    ]
    sources = ", ".join(dict.fromkeys(r.source for r in rows.values()))
    decision = Decision(
        "runtime-programs",
        packages,
        "installed in the runtime's apt step (--no-install-recommends; in the trimmed base's stage when the "
        f"runtime is trimmed): the app starts them through subprocess/os, and the slim base has none, so "
        f"the call would fail with FileNotFoundError: {listed} [{sources}]. Installed even when the "
        "closure is large: an image that stops at the first call is broken, a big one only costs bytes "
        f"(a closure over {LARGE_MB} MB is warned about); {OPT_OUT} only warns",
    )
    planned = with_runtime_packages(plan, tuple(added.values())) if added else plan
    return dataclasses.replace(
        planned, warnings=(*planned.warnings, *warnings), decisions=(*planned.decisions, decision)
    )
