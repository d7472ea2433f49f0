"""The ``alpine`` strategy: the slim layout on ``python:X.Y.Z-alpine``, offered only when it is safe.

The seeds warn that Alpine (musl) is for pure-Python apps: a dependency without a musllinux wheel
compiles from source there (slow builds, missing headers, subtle musl differences). So the strategy
applies only when every locked dependency is pure Python or has a musllinux wheel for the target
Python, read from the lock's own file lists (uv.lock, poetry.lock, pdm.lock); otherwise it refuses,
naming the packages that would compile. It is never the planner's default.

The plan is the slim plan with Alpine's tools: ``apk add --no-cache`` instead of apt, BusyBox
``addgroup``/``adduser`` instead of ``useradd``, tini at ``/sbin/tini``.
"""

from __future__ import annotations

import dataclasses

from dockwright.errors import PlanError
from dockwright.plan import common
from dockwright.plan.model import AptPackage, BuildPlan, Decision, Step
from dockwright.plan.platforms import musl_blockers
from dockwright.plan.strategies import slim
from dockwright.plan.strategies.base import PlanOptions, Verdict
from dockwright.plan.strategies.slim import SlimStrategy
from dockwright.project.facts import ProjectFacts

ALPINE = "3.22"
TINI = "/sbin/tini"


class AlpineStrategy:
    """Interpreter + locked wheels on Alpine, only when no dependency would compile on musl."""

    name = "alpine"
    summary = (
        f"interpreter + locked wheels on python:X.Y.Z-alpine{ALPINE}, only when all are pure or musllinux"
    )

    def applies(self, facts: ProjectFacts) -> Verdict:
        version = facts.python.version.value
        unpinned = common.unpinned_python(facts)
        if unpinned:
            return Verdict(False, unpinned)
        if facts.own_native:
            where = ", ".join(str(e) for n in facts.own_native for e in n.evidence[:1])
            return Verdict(
                False,
                f"the project's own {', '.join(n.via for n in facts.own_native)} code compiles ({where}): "
                "on musl with Alpine's toolchain; slim compiles it in a glibc builder",
            )
        needs_libraries = sorted({n.package for n in facts.native if n.run_apt})
        if needs_libraries:
            return Verdict(
                False,
                f"{', '.join(needs_libraries)} load Debian system libraries at run time (the native table "
                "names Debian packages, not Alpine ones)",
            )
        locked = facts.dependencies.locked
        if not locked and (facts.dependencies.declared or facts.dependencies.hashed_requirements):
            return Verdict(False, "no lock with file lists to prove every dependency has a musl wheel")
        blockers = musl_blockers(locked, version)
        compiling = [b.name for b in blockers if b.status in ("sdist", "missing", "source")]
        unknown = [b.name for b in blockers if b.status not in ("sdist", "missing", "source")]
        if compiling:
            return Verdict(
                False, f"no musllinux wheel for Python {version}, would compile: {_few(compiling)}"
            )
        if unknown:
            return Verdict(
                False,
                f"the lock lists no distribution files for {_few(unknown)}, so nothing proves they install "
                "on musl without compiling (uv.lock, poetry.lock and pdm.lock list them)",
            )
        return Verdict(True, "every locked dependency is pure Python or has a musllinux wheel")

    def plan(self, facts: ProjectFacts, options: PlanOptions) -> BuildPlan:
        verdict = self.applies(facts)
        if not verdict.ok:
            raise PlanError(f"strategy alpine cannot package this project: {verdict.reason}")
        base = SlimStrategy().plan(facts, options)
        image = f"python:{base.python_version}-alpine{ALPINE}"
        user = base.user
        runtime_steps: list[Step] = [
            Step("RUN", ("apk add --no-cache tini",), why="tini as PID 1; --no-cache keeps no apk index"),
            Step(
                "RUN",
                (
                    f"addgroup -S -g {user.gid} {user.name}",
                    f"adduser -S -D -u {user.uid} -G {user.name} -h {user.home} -s /sbin/nologin {user.name}",
                ),
                why=f"fixed UID/GID {user.uid} for volumes and Kubernetes (BusyBox adduser)",
            ),
        ]
        # slim's tini COPY and useradd are replaced; the venv and app installs after them carry over
        runtime_steps += base.runtime_steps[base.runtime_steps.index(slim.venv_copy_step()) :]
        decisions = [
            d for d in base.decisions if d.topic not in ("base-image", "runtime-libraries", "toolchain")
        ]
        decisions.insert(
            0,
            Decision(
                "base-image",
                image,
                f"Python pinned to {base.python_version} on Alpine {ALPINE}: {verdict.reason}; musl wheels "
                "install as they are, nothing compiles",
            ),
        )
        header = [line.replace("strategy: slim", "strategy: alpine") for line in base.header]
        return dataclasses.replace(
            base,
            strategy=self.name,
            builder_image=image,
            runtime_image=image,
            builder_apt=(),
            # slim's Debian tini stage left out: Alpine's tini comes from apk
            side_stages=tuple(
                dataclasses.replace(stage, image=image)
                for stage in base.side_stages
                if stage.name != slim.TINI_STAGE
            ),
            runtime_apt=(AptPackage("tini", "PID 1 (apk)"),),
            runtime_steps=tuple(runtime_steps),
            entrypoint=(TINI, "--"),
            decisions=tuple(decisions),
            header=tuple(header),
            runtime_title="runtime: Alpine interpreter + the venv of musl wheels, non-root",
        )


def _few(names: list[str], shown: int = 5) -> str:
    more = f" and {len(names) - shown} more" if len(names) > shown else ""
    return ", ".join(names[:shown]) + more
