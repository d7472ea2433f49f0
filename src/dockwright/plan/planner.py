"""The planner: pick a strategy (the user's, or the first in the registry that applies) and say why.

Issue 6's strategies plug in by adding an instance to :data:`STRATEGIES` (order = preference).
"""

from __future__ import annotations

import dataclasses

from dockwright.errors import PlanError
from dockwright.plan import (
    buildsteps,
    foreign,
    gitdeps,
    hook_node,
    kept_selection,
    migration_files,
    pathdeps,
    private_index,
    programs,
    provided_env,
    reproducible,
    start,
    start_build_steps,
    system_packages,
    trim,
    wheel_cache,
    workspace,
)
from dockwright.plan.model import BuildPlan, Decision
from dockwright.plan.strategies.alpine import AlpineStrategy
from dockwright.plan.strategies.base import PlanOptions, Strategy, Verdict
from dockwright.plan.strategies.nuitka import NuitkaStrategy
from dockwright.plan.strategies.pex import PexStrategy
from dockwright.plan.strategies.pyinstaller import PyInstallerStrategy
from dockwright.plan.strategies.shiv import ShivStrategy
from dockwright.plan.strategies.slim import SlimStrategy
from dockwright.plan.strategies.uv import UvStrategy
from dockwright.project.facts import ProjectFacts

STRATEGIES: tuple[Strategy, ...] = (
    SlimStrategy(),
    PyInstallerStrategy(),
    NuitkaStrategy(),
    PexStrategy(),
    ShivStrategy(),
    AlpineStrategy(),
    UvStrategy(),
)
"""Every strategy, in order of preference when the user names none."""


def strategy_names() -> tuple[str, ...]:
    return tuple(s.name for s in STRATEGIES)


def get_strategy(name: str) -> Strategy:
    for strategy in STRATEGIES:
        if strategy.name == name:
            return strategy
    raise PlanError(f"unknown strategy {name!r}; choose one of: {', '.join(strategy_names())}")


def verdict_of(strategy: Strategy, facts: ProjectFacts) -> Verdict:
    """The strategy's own verdict, after the one every strategy shares: a uv workspace member needs a
    strategy that installs from the workspace's lock."""
    refused = (
        workspace.refusal(facts, strategy.name)
        or pathdeps.refusal(facts, strategy.name)
        or gitdeps.refusal(facts, strategy.name)
    )
    return Verdict(False, refused) if refused else strategy.applies(facts)


def choose(facts: ProjectFacts, options: PlanOptions) -> tuple[Strategy, Decision]:
    """The strategy to use and the decision that explains the choice."""
    if options.strategy:
        strategy = get_strategy(options.strategy)
        verdict = verdict_of(strategy, facts)
        if not verdict.ok:
            raise PlanError(f"strategy {strategy.name!r} does not fit this project: {verdict.reason}")
        return strategy, Decision("strategy", strategy.name, f"asked for; {verdict.reason}")
    refused: list[str] = []
    for strategy in STRATEGIES:
        verdict = verdict_of(strategy, facts)
        if verdict.ok:
            reason = verdict.reason
            if refused:
                reason += " (not " + "; ".join(refused) + ")"
            return strategy, Decision("strategy", strategy.name, reason)
        refused.append(f"{strategy.name}: {verdict.reason}")
    raise PlanError("no strategy fits this project: " + "; ".join(refused))


def make_plan(facts: ProjectFacts, options: PlanOptions | None = None) -> BuildPlan:
    """ProjectFacts -> BuildPlan, the strategy decision first among the plan's decisions."""
    options = options or PlanOptions()
    refused = workspace.path_refusal(facts)
    if refused:
        raise PlanError(refused)
    strategy, decision = choose(facts, options)
    runtimes: tuple[str, ...] = getattr(strategy, "runtimes", ())
    if options.runtime and options.runtime not in runtimes:
        raise PlanError(
            f"--runtime {options.runtime} does not apply to strategy {strategy.name!r} "
            "(it picks its own runtime image); it is for standalone binaries: pyinstaller, nuitka"
        )
    plan = migration_files.apply(
        workspace.apply(
            start.apply(
                provided_env.apply_after_build(
                    start_build_steps.apply(
                        hook_node.apply(
                            buildsteps.apply(foreign.apply(provided_env.apply(strategy.plan(facts, options))))
                        )
                    )
                )
            )
        )
    )
    plan = programs.apply(
        gitdeps.apply(pathdeps.apply(plan, options), options), options
    )  # before trim: it moves the apt step
    plan = system_packages.apply(plan, options)  # the same apt step
    plan = reproducible.apply(wheel_cache.apply(trim.apply(plan, options)))
    plan = private_index.apply(plan, options)
    plan = kept_selection.apply(plan)
    chosen = (decision, alternatives(facts, strategy), python_decision(facts))
    return dataclasses.replace(plan, decisions=(*chosen, *plan.decisions))


def python_decision(facts: ProjectFacts) -> Decision:
    """The Python the image runs and why (the request, the lock's pins, the source's grammar)."""
    why = "; ".join(str(e) for e in facts.python.version.evidence)
    return Decision("python", facts.python.version.value, why or "the version the facts give (no evidence)")


def alternatives(facts: ProjectFacts, chosen: Strategy) -> Decision:
    """The other strategies and whether each fits, so a user sees what ``--strategy`` could pick."""
    fits: list[str] = []
    notes: list[str] = []
    for strategy in STRATEGIES:
        if strategy is chosen:
            continue
        verdict = verdict_of(strategy, facts)
        if verdict.ok:
            fits.append(strategy.name)
            notes.append(f"{strategy.name} fits ({strategy.summary})")
        else:
            notes.append(f"{strategy.name} does not: {verdict.reason}")
    choice = ", ".join(fits) if fits else "none"
    reason = "; ".join(notes) if notes else "no other strategy is registered"
    if fits:
        reason += "; pick one with --strategy NAME"
    return Decision("alternatives", choice, reason)
