"""Programs the app starts that the runtime image lacks (``ProjectFacts.app.programs``), planned as what
they are: a decision and a warning naming the program, where the app starts it and the Debian package
that provides it, never a silent image that stops on ``FileNotFoundError`` at the first call.

Applied by the planner after the strategy. The runtime stage does not install the package itself yet:
the runtime stage's layout (one apt step shared with the shared libraries of ``runtime-libraries``) is
the strategy's, so the warning says what to add there.
"""

from __future__ import annotations

import dataclasses

from dockwright.plan.model import BuildPlan, Decision
from dockwright.project.facts import Fact
from dockwright.project.programs import program_table


def _where(fact: Fact[str]) -> str:
    shown = ", ".join(f"{e.file}:{e.line}" for e in fact.evidence[:3])
    more = len(fact.evidence) - 3
    return shown + (f" and {more} more" if more > 0 else "")


def apply(plan: BuildPlan) -> BuildPlan:
    programs = plan.facts.app.programs
    if not programs:
        return plan
    table = program_table()
    packages = list(dict.fromkeys(table[f.value].apt for f in programs))
    runtime = plan.base_image
    warnings = [
        f"the app starts {f.value} ({_where(f)}), which {runtime} does not have: install the Debian package "
        f"{table[f.value].apt} in the runtime stage (apt-get install --no-install-recommends "
        f"{table[f.value].apt}), or the call fails with FileNotFoundError [{table[f.value].source}]"
        for f in programs
    ]
    decision = Decision(
        "runtime-programs",
        " ".join(packages),
        "programs the app starts through subprocess/os, not installed by this plan (see the warnings): "
        + "; ".join(f"{f.value} ({_where(f)}): Debian {table[f.value].apt}" for f in programs),
    )
    return dataclasses.replace(
        plan, warnings=(*plan.warnings, *warnings), decisions=(*plan.decisions, decision)
    )
