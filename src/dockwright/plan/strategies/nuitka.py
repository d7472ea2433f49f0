"""The ``nuitka`` strategy: the app compiled to C with ``--standalone``, run from ``scratch`` (seeds §3.2).

Nuitka translates the entry and everything it imports to C and links a standalone folder (the
binary plus the extension modules and libraries it needs). The builder copies the libraries ``ldd``
names (the loader and glibc) with their paths into a root filesystem; the runtime is that root
filesystem on ``scratch`` (or ``gcr.io/distroless/cc-debian13:nonroot`` with ``--runtime distroless``),
with tini (tini-static on scratch) and the static probe, running as UID 10001.
"""

from __future__ import annotations

from dockwright.plan import bases, common
from dockwright.plan.model import AptPackage, BuildPlan, Step
from dockwright.plan.strategies import frozen, standalone
from dockwright.plan.strategies.base import PlanOptions, Verdict
from dockwright.project.facts import ProjectFacts

DIST = "/out/app"


class NuitkaStrategy:
    """A Nuitka standalone build on scratch: compiled code, only the libraries ldd names."""

    name = "nuitka"
    summary = "Nuitka --standalone build (C-compiled) on scratch with the libraries ldd names"
    runtimes = ("scratch", "distroless")

    def applies(self, facts: ProjectFacts) -> Verdict:
        return frozen.verdict(facts, "compiled")

    def plan(self, facts: ProjectFacts, options: PlanOptions) -> BuildPlan:
        scratch = options.runtime != "distroless"
        prepared = frozen.prepare(
            facts,
            options,
            strategy=self.name,
            tool="Nuitka",
            tool_apt=[
                AptPackage("gcc", "Nuitka compiles the generated C (builder only)"),
                AptPackage("libc6-dev", "C library headers for the generated C and the static probe"),
                common.PYTHON_HEADERS,
                AptPackage("patchelf", "Nuitka rewrites the rpath of the libraries it copies (standalone)"),
            ],
            scratch=scratch,
            runtime_image="scratch" if scratch else bases.distroless_cc(facts),
            runtime_reason=(
                "scratch holds only the loader and glibc libraries ldd names, CA certificates and /tmp"
                if scratch
                else "distroless cc provides glibc and libstdc++"
            ),
        )
        entry = prepared.app.entry
        stem = prepared.script.rsplit("/", 1)[-1].removesuffix(".py")
        flags = ["--standalone", "--assume-yes-for-downloads", "--output-dir=/out/build"]
        # no --nofollow-import-to=*.tests: real modules are named so (jinja2.tests); Nuitka's own
        # anti-bloat already leaves test suites out
        flags += ["--output-filename=app", "--python-flag=unbuffered"]
        flags += [f"--include-module={m}" for m in entry.hidden_imports]
        flags += [f"--include-package={m}" for m in entry.collect_submodules]
        flags += [f"--include-data-dir={src}={dest}" for src, dest in entry.data]
        builder_steps = [
            *prepared.builder_steps,
            Step(
                "RUN",
                (
                    standalone.wrapped("python -m nuitka", [*flags, prepared.script]),
                    f"mv /out/build/{stem}.dist {DIST}",
                    f"! ldd {DIST}/app | grep -q 'not found'",
                ),
                why="compile the start command to a standalone folder; ldd proves its libraries resolve",
            ),
        ]
        if scratch:
            builder_steps.append(standalone.scratch_rootfs(f"{DIST}/app"))
        program = Step(
            "COPY",
            (f"{DIST}/", "/app/"),
            flags=("--from=builder",),
            why="the compiled program and the libraries Nuitka collected (owned by root)",
        )
        return frozen.assemble(
            prepared,
            facts,
            options,
            strategy=self.name,
            builder_steps=builder_steps,
            runtime_steps=prepared.runtime_steps(program),
            decisions=list(prepared.decisions),
            notes=[f"The app compiled by Nuitka (--standalone) on {prepared.runtime_image}: no shell."],
            builder_title="builder: locked dependencies + Nuitka, compiles the app to a standalone folder",
        )
