"""The ``shiv`` strategy: one shiv zipapp of the app and its locked wheels on distroless python3 (issue 6).

The builder verifies the lock's hashes while ``pip wheel`` builds every dependency, installs exactly
those wheels offline into a site-packages directory, and shiv zips it (``--site-packages``, so shiv
never runs pip) with the project's source or wheel. The runtime is
``gcr.io/distroless/python3-debian13:nonroot``: CPython 3.13, no shell (3.11 projects: debian12).
"""

from __future__ import annotations

from dockwright.plan import common
from dockwright.plan.model import BuildPlan, EnvVar, Step
from dockwright.plan.strategies import standalone, zipapp
from dockwright.plan.strategies.base import PlanOptions, Verdict
from dockwright.project.facts import ProjectFacts

OUT = "/out/app.pyz"
SHIV_ROOT = EnvVar(
    "SHIV_ROOT",
    "/tmp/shiv",
    "the zipapp extracts its site-packages here at first start: distroless /tmp is writable by any "
    "user (1777), the root-owned /app and the passwd-less UID's home (shiv's default ~/.shiv) are not",
)


def _build(build: zipapp.Build) -> list[Step]:
    steps: list[Step] = []
    flags: list[str] = []
    if build.has_wheels:
        steps.append(
            Step(
                "RUN",
                (
                    f"pip install --no-index --no-deps --no-compile --target {zipapp.SITE} "
                    f"{zipapp.WHEELS}/*.whl",
                ),
                flags=(common.PIP_CACHE_MOUNT,),
                why="offline install of exactly the hash-verified wheels into the site-packages shiv zips",
            )
        )
        flags.append(f"--site-packages {zipapp.SITE}")
    if not build.package:
        flags.append("--site-packages .")
    if build.entry.console_script:
        flags.append(f"-c {build.entry.console_script}")
    flags += ["--reproducible", "--compressed", f"-p {build.interpreter}", f"-o {build.out}"]
    steps.append(
        Step(
            "RUN",
            ("mkdir -p /out", standalone.wrapped("shiv", flags)),
            why="no pip arguments: shiv only zips the prepared site-packages"
            + ("" if build.package else " and the source tree"),
        )
    )
    return steps


class ShivStrategy:
    """A shiv zipapp on distroless python3: app + locked wheels in one file, Python 3.13 (or 3.11) only."""

    name = "shiv"
    summary = (
        "one shiv zipapp (app + locked wheels, built offline) on gcr.io/distroless/python3-debian13:nonroot"
    )

    def applies(self, facts: ProjectFacts) -> Verdict:
        return zipapp.applies(facts)

    def plan(self, facts: ProjectFacts, options: PlanOptions) -> BuildPlan:
        return zipapp.plan(
            strategy=self.name,
            tool="shiv",
            tool_title="shiv",
            out=OUT,
            facts=facts,
            options=options,
            build_step=_build,
            env=(SHIV_ROOT,),
        )
