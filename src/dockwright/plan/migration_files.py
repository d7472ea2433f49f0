"""The runtime copies the project's Alembic configuration and migrations beside the installed wheel.

Applied by the planner after the strategy: a plan that installs the app as a wheel, for a project whose
``alembic.ini`` and migrations folder sit at its root (``Layout.migration_files``,
project/alembic_config.py), gets ``COPY alembic.ini ./`` and ``COPY migrations/ migrations/`` as the
runtime's last steps, so ``docker run IMAGE alembic upgrade head`` finds them in the work directory;
the migrations' ``env.py`` imports the app from the wheel. A plan that runs the app from its source
tree already has them, and a standalone binary (PyInstaller, Nuitka, a zipapp) has no ``alembic``
program to run them.
"""

from __future__ import annotations

import dataclasses

from dockwright.plan.model import BuildPlan, Decision, Step

# the strategies whose runtime has the venv, with its console scripts (alembic) on PATH
_VENV_STRATEGIES = frozenset({"slim", "uv", "alpine"})


def apply(plan: BuildPlan) -> BuildPlan:
    found = plan.facts.layout.migration_files
    if (
        found is None
        or plan.app_install != "wheel"
        or plan.strategy not in _VENV_STRATEGIES
        or not plan.workdir
    ):
        return plan
    config, folder = found.value
    steps = (
        Step("COPY", (config, "./"), why="Alembic's configuration: no wheel carries it"),
        Step("COPY", (f"{folder}/", f"{folder}/"), why="the migrations it names, beside the installed app"),
    )
    decision = Decision(
        "migrations",
        f"{config} and {folder}/ copied to {plan.workdir}",
        f"{found.evidence[0]}: `alembic upgrade head` in the work directory finds them, and their env.py "
        "imports the app from the installed wheel",
    )
    return dataclasses.replace(
        plan, runtime_steps=(*plan.runtime_steps, *steps), decisions=(*plan.decisions, decision)
    )
