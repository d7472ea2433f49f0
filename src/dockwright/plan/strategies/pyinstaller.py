"""The ``pyinstaller`` strategy: one binary built in the builder, run from distroless ``cc`` (seeds §3.2).

The builder installs the locked dependencies and PyInstaller (both hash-verified), freezes the
start command into a stripped one-file binary (one-dir when the app reads data directories), and
checks with ``ldd`` that every shared library it needs resolves. The runtime is
``gcr.io/distroless/cc-debian12:nonroot``: glibc and libstdc++, no shell, no Python.
"""

from __future__ import annotations

from dockwright.errors import PlanError
from dockwright.plan import common
from dockwright.plan.model import AptPackage, BuildPlan, Decision, Step
from dockwright.plan.strategies import frozen, standalone
from dockwright.plan.strategies.base import PlanOptions, Verdict
from dockwright.project.facts import ProjectFacts

RUNTIME_IMAGE = "gcr.io/distroless/cc-debian12:nonroot"
OUT = "/out/app"


class PyInstallerStrategy:
    """A PyInstaller binary on distroless cc: no interpreter, no shell, 15-40 MB for a web app."""

    name = "pyinstaller"
    summary = "one PyInstaller binary (stripped, ldd-checked) on distroless cc (or --runtime scratch)"
    runtimes = ("distroless", "scratch")

    def applies(self, facts: ProjectFacts) -> Verdict:
        version = facts.python.version.value
        if not version or version.count(".") != 2:
            return Verdict(False, f"no concrete Python version to pin (got {version!r})")
        app = frozen.analyse(facts)
        if isinstance(app, str):
            return Verdict(False, app)
        return Verdict(True, f"the start command can be frozen: {app.entry.why}")

    def plan(self, facts: ProjectFacts, options: PlanOptions) -> BuildPlan:
        app = frozen.analyse(facts)
        if isinstance(app, str):
            raise PlanError(f"strategy pyinstaller cannot package this project: {app}")
        entry = app.entry
        decisions: list[Decision] = []
        warnings: list[str] = list(facts.notes)
        version = facts.python.version.value
        builder_image = f"python:{version}-slim-bookworm"
        scratch = options.runtime == "scratch"
        runtime_image = "scratch" if scratch else RUNTIME_IMAGE
        decisions.append(
            Decision(
                "base-image",
                f"builder {builder_image}, runtime {runtime_image}",
                f"the binary embeds CPython {version} from the builder; "
                + (
                    "scratch holds only what ldd names (the loader, glibc), CA certificates and /tmp"
                    if scratch
                    else "distroless cc gives it glibc and libstdc++ and nothing else (no shell, no package "
                    "manager); --runtime scratch is smaller still"
                ),
            )
        )
        lock, lock_decision = common.lock_plan(facts, options)
        decisions.append(lock_decision)
        probe, probe_reason, probe_decision = common.healthcheck(facts, prober="static")
        decisions.append(probe_decision)
        probe_files, probe_steps = standalone.probe_support(probe)

        extra = [
            AptPackage("binutils", "objdump and strip, which PyInstaller uses to analyse and strip binaries")
        ]
        if probe_steps:
            extra += [
                AptPackage("gcc", "compiles the static health probe (builder only)"),
                AptPackage("libc6-dev", "static libc for the health probe (builder only)"),
            ]
        builder_apt, toolchain = standalone.builder_apt(facts, extra)
        decisions.append(toolchain)

        onedir = bool(entry.data)
        mode = "--onedir" if onedir else "--onefile"
        decisions.append(
            Decision(
                "bundle",
                "one-dir" if onedir else "one-file",
                (
                    "the app reads " + ", ".join(src for src, _ in entry.data) + " from disk: one-dir keeps "
                    "them as files beside the binary"
                    if onedir
                    else "a single file; it unpacks to /tmp at start (distroless keeps /tmp writable)"
                ),
            )
        )
        decisions.append(Decision("entry", entry.target, entry.why))

        tools_file, tools_path = standalone.tools_lock("pyinstaller")
        support = [tools_file, *probe_files]
        if entry.kind == "script":
            script = entry.target
        else:
            script = f"{standalone.TOOLS_DIR}/entry.py"
            support.append(standalone.entry_script(script))
        flags = [mode, "--strip", "--noconfirm", "--clean", "--name app", "--distpath /out"]
        flags += [
            "--workpath /tmp/pyinstaller",
            "--specpath /tmp/pyinstaller",
            "--python-option u",
            "--paths .",
        ]
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

        builder_steps: list[Step] = [
            Step(
                "RUN",
                common.apt_install(builder_apt),
                why="builder only: PyInstaller's binutils, tini-static",
            ),
            *standalone.install_tools("PyInstaller", tools_path),
            *standalone.install_locked(lock),
            Step("COPY", (".", "."), why="the source after the dependency layers"),
        ]
        if facts.layout.is_package.value:
            builder_steps.append(
                Step(
                    "RUN",
                    ("pip install --no-deps .",),
                    flags=(common.PIP_CACHE_MOUNT,),
                    why="the project's own package, so its console script's module imports",
                )
            )
        builder_steps += probe_steps
        builder_steps.append(
            Step(
                "RUN",
                (
                    standalone.wrapped("pyinstaller", [*flags, script]),
                    f"ldd {binary}",
                    f"! ldd {binary} | grep -q 'not found'",
                ),
                why="freeze the start command; ldd proves every shared library the binary needs resolves",
            )
        )

        if scratch:
            builder_steps.append(standalone.scratch_rootfs(OUT if not onedir else f"{OUT}/app"))
        runtime_steps = [
            *(
                [
                    Step(
                        "COPY",
                        ("/rootfs/", "/"),
                        flags=("--from=builder",),
                        why="loader, glibc, certificates, /tmp",
                    )
                ]
                if scratch
                else []
            ),
            *standalone.runtime_copies(bool(probe_steps)),
        ]
        runtime_steps.append(
            Step(
                "COPY",
                (OUT, "/app/" if onedir else "/app/app"),
                flags=("--from=builder",),
                why="the binary (owned by root, read-only to the app user)",
            )
        )
        cmd = ("/app/app", *app.args)
        decisions.append(
            Decision(
                "start",
                " ".join(cmd),
                "exec form under tini; the binary takes the start command's arguments",
            )
        )
        header = [
            "Generated by dockwright (strategy: pyinstaller) - review, commit, and regenerate with "
            "`dockwright init --force`.",
            f"One PyInstaller binary on {runtime_image}: no shell, no interpreter, no package manager.",
            "Build: DOCKER_BUILDKIT=1 docker build --build-arg VERSION=... --build-arg REVISION=... "
            "--build-arg CREATED=... .",
        ]
        return standalone.assemble(
            strategy=self.name,
            facts=facts,
            options=options,
            builder_image=builder_image,
            runtime_image=runtime_image,
            builder_apt=builder_apt,
            builder_steps=builder_steps,
            runtime_steps=runtime_steps,
            lock=lock,
            cmd=cmd,
            probe=probe,
            probe_reason=probe_reason,
            support=tuple(support),
            decisions=decisions,
            warnings=warnings,
            header=header,
            builder_title="builder: locked dependencies + PyInstaller, freezes the app into one binary",
            runtime_title=f"runtime: {runtime_image.split('/')[-1]}, the binary, tini, the probe; non-root",
            needed={script},
            entry=entry,
        )
