"""The ``nuitka`` strategy: the app compiled to C with ``--standalone``, run from ``scratch`` (seeds §3.2).

Nuitka translates the entry and everything it imports to C and links a standalone folder (the
binary plus the extension modules and libraries it needs). The builder copies the libraries ``ldd``
names (the loader and glibc) with their paths into a root filesystem; the runtime is that root
filesystem on ``scratch`` (or ``gcr.io/distroless/cc-debian12:nonroot`` with ``--runtime distroless``),
with tini-static and the static probe, running as UID 10001.
"""

from __future__ import annotations

from dockwright.errors import PlanError
from dockwright.plan import common
from dockwright.plan.model import AptPackage, BuildPlan, Decision, Step
from dockwright.plan.strategies import frozen, standalone
from dockwright.plan.strategies.base import PlanOptions, Verdict
from dockwright.project.facts import ProjectFacts

DISTROLESS = "gcr.io/distroless/cc-debian12:nonroot"
DIST = "/out/app"


class NuitkaStrategy:
    """A Nuitka standalone build on scratch: compiled code, only the libraries ldd names."""

    name = "nuitka"
    summary = "Nuitka --standalone build (C-compiled) on scratch with the libraries ldd names"
    runtimes = ("scratch", "distroless")

    def applies(self, facts: ProjectFacts) -> Verdict:
        version = facts.python.version.value
        if not version or version.count(".") != 2:
            return Verdict(False, f"no concrete Python version to pin (got {version!r})")
        app = frozen.analyse(facts)
        if isinstance(app, str):
            return Verdict(False, app)
        return Verdict(True, f"the start command can be compiled: {app.entry.why}")

    def plan(self, facts: ProjectFacts, options: PlanOptions) -> BuildPlan:
        app = frozen.analyse(facts)
        if isinstance(app, str):
            raise PlanError(f"strategy nuitka cannot package this project: {app}")
        entry = app.entry
        decisions: list[Decision] = []
        version = facts.python.version.value
        builder_image = f"python:{version}-slim-bookworm"
        scratch = options.runtime != "distroless"
        runtime_image = "scratch" if scratch else DISTROLESS
        decisions.append(
            Decision(
                "base-image",
                f"builder {builder_image}, runtime {runtime_image}",
                f"Nuitka links against CPython {version} from the builder; "
                + (
                    "scratch holds only the loader and glibc libraries ldd names, CA certificates and /tmp"
                    if scratch
                    else "distroless cc provides glibc and libstdc++"
                ),
            )
        )
        lock, lock_decision = common.lock_plan(facts, options)
        decisions.append(lock_decision)
        probe, probe_reason, probe_decision = common.healthcheck(facts, prober="static")
        decisions.append(probe_decision)
        probe_files, probe_steps = standalone.probe_support(probe)
        extra = [
            AptPackage("gcc", "Nuitka compiles the generated C (builder only)"),
            AptPackage("libc6-dev", "C library headers for the generated C and the static probe"),
            common.PYTHON_HEADERS,
            AptPackage("patchelf", "Nuitka rewrites the rpath of the libraries it copies (standalone mode)"),
        ]
        builder_apt, toolchain = standalone.builder_apt(facts, extra)
        decisions.append(toolchain)
        decisions.append(Decision("entry", entry.target, entry.why))

        tools_file, tools_path = standalone.tools_lock("nuitka")
        support = [tools_file, *probe_files]
        if entry.kind == "script":
            script = entry.target
        else:
            script = f"{standalone.TOOLS_DIR}/entry.py"
            support.append(standalone.entry_script(script))
        stem = script.rsplit("/", 1)[-1].removesuffix(".py")
        flags = ["--standalone", "--assume-yes-for-downloads", "--output-dir=/out/build"]
        flags += ["--output-filename=app", "--python-flag=unbuffered", "--nofollow-import-to=*.tests"]
        flags += [f"--include-module={m}" for m in entry.hidden_imports]
        flags += [f"--include-package={m}" for m in entry.collect_submodules]
        flags += [f"--include-data-dir={src}={dest}" for src, dest in entry.data]

        builder_steps: list[Step] = [
            Step(
                "RUN",
                common.apt_install(builder_apt),
                why="builder only: C compiler, headers, patchelf, tini",
            ),
            *standalone.install_tools("Nuitka", tools_path),
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
                    standalone.wrapped("python -m nuitka", [*flags, script]),
                    f"mv /out/build/{stem}.dist {DIST}",
                    f"! ldd {DIST}/app | grep -q 'not found'",
                ),
                why="compile the start command to a standalone folder; ldd proves its libraries resolve",
            )
        )
        if scratch:
            builder_steps.append(standalone.scratch_rootfs(f"{DIST}/app"))
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
            Step(
                "COPY",
                (f"{DIST}/", "/app/"),
                flags=("--from=builder",),
                why="the compiled program and the libraries Nuitka collected (owned by root)",
            ),
        ]
        cmd = ("/app/app", *app.args)
        decisions.append(
            Decision("start", " ".join(cmd), "exec form under tini; the binary takes the arguments")
        )
        header = [
            "Generated by dockwright (strategy: nuitka) - review, commit, and regenerate with "
            "`dockwright init --force`.",
            f"The app compiled by Nuitka (--standalone) on {runtime_image}: no shell, no interpreter.",
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
            warnings=list(facts.notes),
            header=header,
            builder_title="builder: locked dependencies + Nuitka, compiles the app to a standalone folder",
            runtime_title=f"runtime: {runtime_image.split('/')[-1]}, the program, tini, the probe; non-root",
            needed={script},
            entry=entry,
        )
