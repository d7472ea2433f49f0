"""The ``pex`` strategy: one PEX zipapp of the app and its locked wheels on distroless python3 (issue 6).

The builder verifies the lock's hashes while ``pip wheel`` builds every dependency, then PEX packs
exactly those wheels (``--pre-resolved-dists``, no index, no resolve) with the project's source or
wheel. The runtime is ``gcr.io/distroless/python3-debian13:nonroot``: CPython 3.13, no shell
(``python3-debian12``, CPython 3.11, for 3.11 projects).
"""

from __future__ import annotations

from dockwright.plan.model import BuildPlan, EnvVar, Step
from dockwright.plan.strategies import standalone, zipapp
from dockwright.plan.strategies.base import PlanOptions, Verdict
from dockwright.project.facts import ProjectFacts

OUT = "/out/app.pex"
PEX_ROOT = EnvVar(
    "PEX_ROOT",
    "/tmp/pex",
    "the PEX unpacks its code and wheels here at first start: distroless /tmp is writable by any user "
    "(1777), the root-owned /app and the passwd-less UID's home are not",
)
PEX_WARNINGS = EnvVar(
    "PYTHONWARNINGS",
    "ignore:Failed to detect if this interpreter is running under musl libc",
    "distroless has no ldd, so PEX's musl-libc probe warns at every start (glibc is then assumed, "
    "which is right); only that one message is silenced",
)


def _build(build: zipapp.Build) -> list[Step]:
    flags = ["--no-pypi"]
    if build.has_wheels:
        flags.append(f"--pre-resolved-dists {zipapp.WHEELS}")
    if not build.lock.empty:
        flags.append(f"-r {build.lock.path}")
    if build.package:
        flags.append(build.package)
    else:
        flags.append("-D .")
    if build.entry.console_script:
        flags.append(f"-c {build.entry.console_script}")
    flags += [f"--python-shebang {build.interpreter}", f"-o {build.out}"]
    step = Step(
        "RUN",
        (standalone.wrapped("pex", flags),),
        why="offline: PEX packs the hash-verified wheels above (no index, no resolve) with the app",
    )
    return [step]


class PexStrategy:
    """A PEX zipapp on distroless python3: app + locked wheels in one file, Python 3.13 (or 3.11) only."""

    name = "pex"
    summary = (
        "one PEX zipapp (app + locked wheels, built offline) on gcr.io/distroless/python3-debian13:nonroot"
    )

    def applies(self, facts: ProjectFacts) -> Verdict:
        return zipapp.applies(facts)

    def plan(self, facts: ProjectFacts, options: PlanOptions) -> BuildPlan:
        return zipapp.plan(
            strategy=self.name,
            tool="pex",
            tool_title="PEX",
            out=OUT,
            facts=facts,
            options=options,
            build_step=_build,
            env=(PEX_ROOT, PEX_WARNINGS),
        )
