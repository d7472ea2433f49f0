"""The ``pyinstaller`` strategy: one binary built in the builder, run from distroless ``cc`` (seeds §3.2).

The builder installs the locked dependencies and PyInstaller (both hash-verified), freezes the
start command into a stripped one-file binary (one-dir when the app reads data directories), and
checks with ``ldd`` that every shared library it needs resolves. The runtime is
``gcr.io/distroless/cc-debian13:nonroot``: glibc and libstdc++, no shell, no Python.
"""

from __future__ import annotations

from dockwright.plan import bases
from dockwright.plan.model import AptPackage, BuildPlan, Decision, Step
from dockwright.plan.strategies import frozen, standalone
from dockwright.plan.strategies.base import PlanOptions, Verdict
from dockwright.project.facts import ProjectFacts

OUT = "/out/app"


class PyInstallerStrategy:
    """A PyInstaller binary on distroless cc: no interpreter, no shell, 15-40 MB for a web app."""

    name = "pyinstaller"
    summary = "one PyInstaller binary (stripped, ldd-checked) on distroless cc (or --runtime scratch)"
    runtimes = ("distroless", "scratch")

    def applies(self, facts: ProjectFacts) -> Verdict:
        return frozen.verdict(facts, "frozen")

    def plan(self, facts: ProjectFacts, options: PlanOptions) -> BuildPlan:
        scratch = options.runtime == "scratch"
        prepared = frozen.prepare(
            facts,
            options,
            strategy=self.name,
            tool="PyInstaller",
            tool_apt=[AptPackage("binutils", "objdump and strip, which PyInstaller uses on binaries")],
            scratch=scratch,
            runtime_image="scratch" if scratch else bases.distroless_cc(facts),
            runtime_reason=(
                "scratch holds only what ldd names (the loader, glibc), CA certificates and /tmp"
                if scratch
                else "distroless cc gives it glibc and libstdc++ and nothing else (no shell, no package "
                "manager); --runtime scratch is smaller still"
            ),
        )
        entry = prepared.app.entry
        decisions = list(prepared.decisions)
        onedir = bool(entry.data)
        decisions.append(
            Decision(
                "bundle",
                "one-dir" if onedir else "one-file",
                (
                    "the app reads " + ", ".join(src for src, _ in entry.data) + " from disk: one-dir keeps "
                    "them as files beside the binary"
                    if onedir
                    else "a single file; it unpacks to /tmp at start (the runtime keeps /tmp writable)"
                ),
            )
        )
        # --strip rewrites every bundled library; libraries that wheels vendor were patched by auditwheel
        # (patchelf) and stripping those corrupts them (numpy's OpenBLAS fails to import)
        vendored = sorted({n.package for n in facts.native})
        strip = not vendored
        decisions.append(
            Decision(
                "strip",
                "yes" if strip else "no",
                "no dependency ships native libraries: symbols are stripped from the binaries"
                if strip
                else f"{', '.join(vendored)}: native libraries that auditwheel patched; stripping would "
                "corrupt them",
            )
        )
        flags = ["--onedir" if onedir else "--onefile", *(["--strip"] if strip else []), "--noconfirm"]
        flags += ["--clean", "--name app"]
        flags += ["--distpath /out", "--workpath /tmp/pyinstaller", "--specpath /tmp/pyinstaller"]
        flags += ["--python-option u", "--paths ."]
        flags += [f"--hidden-import {m}" for m in entry.hidden_imports]
        flags += [f"--collect-submodules {m}" for m in entry.collect_submodules]
        flags += [f"--add-data /src/{src}:{dest}" for src, dest in entry.data]
        if "setuptools" not in {p.name for p in facts.dependencies.locked}:
            # Libraries probe for pkg_resources only as a fallback; the builder's copy (Debian's, or none in
            # setuptools >= 81) is not the app's, and its runtime hook aborts the binary at start.
            flags.append("--exclude-module pkg_resources")
            decisions.append(
                Decision(
                    "exclude",
                    "pkg_resources",
                    "no locked dependency is setuptools: pkg_resources would be the builder's copy, "
                    "which PyInstaller's runtime hook fails to load",
                )
            )
        binary = f"{OUT}/app" if onedir else OUT
        builder_steps = [
            *prepared.builder_steps,
            Step(
                "RUN",
                (
                    standalone.wrapped("pyinstaller", [*flags, prepared.script]),
                    f"ldd {binary}",
                    f"! ldd {binary} | grep -q 'not found'",
                ),
                why="freeze the start command; ldd proves every shared library the binary needs resolves",
            ),
        ]
        if scratch:
            builder_steps.append(standalone.scratch_rootfs(binary))
        program = Step(
            "COPY",
            (OUT, "/app/" if onedir else "/app/app"),
            flags=("--from=builder",),
            why="the binary (owned by root, read-only to the app user)",
        )
        return frozen.assemble(
            prepared,
            facts,
            options,
            strategy=self.name,
            builder_steps=builder_steps,
            runtime_steps=prepared.runtime_steps(program),
            decisions=decisions,
            notes=[f"One PyInstaller binary on {prepared.runtime_image}: no shell, no interpreter."],
            builder_title="builder: locked dependencies + PyInstaller, freezes the app into one binary",
        )
