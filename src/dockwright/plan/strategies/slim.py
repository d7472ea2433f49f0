"""The ``slim`` strategy: interpreter + deps on a pinned ``python:X.Y.Z-slim-bookworm`` (seeds §3.1).

Multi-stage. The builder verifies the lock's hashes and turns every dependency into a wheel
(compilers and -dev headers only when something compiles); the runtime installs those exact wheels
offline from a bind mount, so neither wheels, pip cache nor compilers land in a layer. The app is a
wheel when it is a package, else its source is copied after the dependency layers.
"""

from __future__ import annotations

from dockwright.errors import PlanError
from dockwright.plan import common
from dockwright.plan.model import (
    AppInstall,
    AptPackage,
    BuildPlan,
    Decision,
    EnvVar,
    Step,
    User,
)
from dockwright.plan.strategies.base import PlanOptions, Verdict
from dockwright.project.facts import ProjectFacts


class SlimStrategy:
    """Interpreter + deps, multi-stage, Debian slim: robust with manylinux wheels and C extensions."""

    name = "slim"
    summary = "interpreter + locked wheels on python:X.Y.Z-slim-bookworm, multi-stage, non-root"

    def applies(self, facts: ProjectFacts) -> Verdict:
        unpinned = common.unpinned_python(facts)
        if unpinned:
            return Verdict(False, unpinned)
        return Verdict(
            True,
            "Debian slim with manylinux wheels works for pure-Python and C-extension apps alike "
            "(the seeds' rule of thumb); a builder compiles only what has no wheel",
        )

    def plan(self, facts: ProjectFacts, options: PlanOptions) -> BuildPlan:
        verdict = self.applies(facts)
        if not verdict.ok:
            raise PlanError(f"strategy slim cannot package this project: {verdict.reason}")
        decisions: list[Decision] = []
        warnings: list[str] = list(facts.notes)
        version = facts.python.version.value
        image = f"python:{version}-slim-bookworm"
        decisions.append(
            Decision(
                "base-image",
                image,
                f"Python pinned to {version} for ABI and wheel compatibility; Debian (glibc) slim, never "
                "Alpine, so manylinux wheels install; the builder uses the same image so wheels match",
            )
        )

        lock, lock_decision = common.lock_plan(facts, options)
        decisions.append(lock_decision)
        warnings += common.lock_warnings(lock)

        # --- native needs: compilers only when something compiles -------------------------------
        builder_apt, who, toolchain = common.compile_toolchain(facts)
        decisions.append(toolchain)

        runtime_apt: list[AptPackage] = [AptPackage("tini", "PID 1 that forwards signals and reaps zombies")]
        loaded = [n for n in facts.native if n.run_apt]
        for need in loaded:
            how = "links against" if need.compiles else "loads at run time (no compiled extension)"
            for pkg in need.run_apt:
                if pkg not in {a.name for a in runtime_apt}:
                    runtime_apt.append(AptPackage(pkg, f"shared library {need.package} {how}"))
        if len(runtime_apt) > 1:
            who = "; ".join(
                f"{n.package} {'(built from source)' if n.compiles else '(loads it with dlopen)'}: "
                f"{' '.join(n.run_apt)} [{n.source}]"
                for n in loaded
            )
            decisions.append(
                Decision(
                    "runtime-libraries",
                    " ".join(a.name for a in runtime_apt[1:]),
                    f"system libraries loaded at run time, no -dev headers, no compiler: {who}",
                )
            )

        # --- environment -------------------------------------------------------------------------
        builder_env = (
            EnvVar("PYTHONDONTWRITEBYTECODE", "1", "no stray .pyc files while building"),
            EnvVar("PYTHONUNBUFFERED", "1", "build logs appear as they happen"),
            EnvVar("PIP_DISABLE_PIP_VERSION_CHECK", "1", "no network call to check for a newer pip"),
        )
        bytecode_env_why = (
            "the app runs as non-root over root-owned code: it must not try to write .pyc at run time"
            if options.bytecode == "compile"
            else "no .pyc files: smaller image"
        )
        runtime_env = (
            EnvVar("PYTHONUNBUFFERED", "1", "logs reach stdout/stderr immediately"),
            EnvVar("PYTHONDONTWRITEBYTECODE", "1", bytecode_env_why),
            EnvVar("PIP_NO_CACHE_DIR", "1", "no pip cache in the image"),
            EnvVar("PIP_DISABLE_PIP_VERSION_CHECK", "1", "no network call to check for a newer pip"),
            EnvVar("LANG", "C.UTF-8", "UTF-8 locale without installing locales"),
            EnvVar("TZ", "UTC", "predictable timestamps"),
        )
        decisions.append(
            Decision(
                "pip-cache",
                "cache mount in builder, PIP_NO_CACHE_DIR=1 in runtime",
                "the builder reuses downloads across builds through a BuildKit cache mount (so it does not "
                "set PIP_NO_CACHE_DIR); the runtime never keeps a cache",
            )
        )
        if options.bytecode == "compile":
            decisions.append(
                Decision(
                    "bytecode",
                    "compiled at install time",
                    "pip compiles .pyc while installing (faster start, owned by root); "
                    "PYTHONDONTWRITEBYTECODE=1 stops the non-root app from trying to write more",
                )
            )
        else:
            decisions.append(
                Decision("bytecode", "none", "--no-compile and PYTHONDONTWRITEBYTECODE=1: smallest image")
            )

        # --- app install mode --------------------------------------------------------------------
        command = facts.app.command.value
        if not command:
            raise PlanError('no start command was detected; give --start "..."')
        file_args = [a for a in command if a.endswith(".py")]
        app_install: AppInstall
        if facts.layout.is_package.value and not file_args:
            app_install = "wheel"
            backend = facts.layout.build_backend.value or "its build backend"
            decisions.append(
                Decision(
                    "app-install",
                    "wheel",
                    f"the project is a package ({backend}): the builder runs `pip wheel --no-deps .` and the "
                    "runtime installs that wheel, never `pip install .` with the source tree",
                )
            )
        else:
            app_install = "source"
            why = (
                f"the start command runs {', '.join(file_args)} from the source tree"
                if file_args
                else "the project is not a package (no build backend), so its source is copied"
            )
            decisions.append(Decision("app-install", "source", why + "; copied after the dependency layers"))

        user = User("app", options.uid, options.uid, "/home/app")
        decisions.append(
            Decision(
                "user",
                f"{user.uid}:{user.gid}",
                "non-root with a fixed UID/GID so volumes and Kubernetes runAsUser line up; numeric USER "
                "lets the engine verify non-root without reading /etc/passwd",
            )
        )

        # --- builder steps -----------------------------------------------------------------------
        builder_steps: list[Step] = []
        if builder_apt:
            builder_steps.append(
                Step(
                    "RUN",
                    common.apt_install(tuple(builder_apt)),
                    why=f"builder only: {who} compiles from source",
                )
            )
        builder_steps += common.build_wheels(lock)
        if app_install == "wheel":
            scm_steps, scm_prefix, scm_decision = common.scm_version(facts)
            builder_steps += scm_steps
            if scm_decision:
                decisions.append(scm_decision)
            builder_steps.append(Step("COPY", (".", "."), why=""))
            builder_steps.append(
                Step(
                    "RUN",
                    (f"{scm_prefix}pip wheel --no-deps --wheel-dir /dist .",),
                    flags=(common.PIP_CACHE_MOUNT, common.PIP_SECRET_MOUNT),
                    why="the app as a wheel; its dependencies are already in /wheels",
                )
            )

        # --- runtime steps -----------------------------------------------------------------------
        compile_flag = "" if options.bytecode == "compile" else " --no-compile"
        runtime_steps: list[Step] = [
            Step("RUN", common.apt_install(tuple(runtime_apt)), why="no -dev headers or compilers here"),
            Step(
                "RUN",
                (
                    f"groupadd --gid {user.gid} {user.name}",
                    f"useradd --uid {user.uid} --gid {user.gid} --no-log-init --create-home "
                    f"--home-dir {user.home} --shell /usr/sbin/nologin {user.name}",
                ),
                why="fixed UID/GID 10001 for volumes and Kubernetes",
            ),
        ]
        if not lock.empty:
            runtime_steps.append(
                Step(
                    "RUN",
                    (f"pip install --no-index --no-deps{compile_flag} /tmp/wheels/*.whl",),
                    flags=("--mount=type=bind,from=builder,source=/wheels,target=/tmp/wheels",),
                    why="offline install of the builder's wheels, bind-mounted: no wheel lands in a layer",
                )
            )
        if app_install == "wheel":
            runtime_steps.append(
                Step(
                    "RUN",
                    (f"pip install --no-index --no-deps{compile_flag} /tmp/dist/*.whl",),
                    flags=("--mount=type=bind,from=builder,source=/dist,target=/tmp/dist",),
                    why="the app's own wheel, after the dependency layer so code changes rebuild only this",
                )
            )
        else:
            runtime_steps.append(
                Step("COPY", (".", "."), why="source last: code changes keep the dependency layers")
            )
            if options.bytecode == "compile":
                runtime_steps.append(
                    Step(
                        "RUN",
                        ("python -m compileall -q .",),
                        why="bytecode for the copied source, owned by root",
                    )
                )

        # --- start, probe, labels, ignore ---------------------------------------------------------
        entrypoint = (common.TINI, "--")
        decisions.append(
            Decision(
                "start",
                " ".join(command),
                "exec form under tini (PID 1 forwards SIGTERM and reaps zombies); "
                + common.evidence_text(facts.app.command.evidence),
            )
        )
        expose = facts.app.port.value if facts.app.kind.value == "web" else None
        probe, probe_reason, probe_decision = common.healthcheck(facts)
        decisions.append(probe_decision)
        args = common.build_args(facts)
        needed = {lock.path, *facts.layout.files_build_reads}
        needed.update(facts.dependencies.input_files)
        ignore, ignore_decision = common.dockerignore(facts, options, needed)
        decisions.append(ignore_decision)
        name = common.image_name(facts, options)
        decisions.append(
            Decision("image-name", name, "default tag <name>:<version> from the project metadata")
        )

        if lock.empty:
            note = "The project has no third-party dependencies, so there is no dependency layer."
        elif lock.generate:
            note = (
                f"Dependencies install from {lock.path}: hash-locked, generated by dockwright "
                f"from {lock.source}."
            )
        else:
            note = f"Dependencies install from {lock.path} (hash-locked, verified with --require-hashes)."
        header = common.header(
            self.name,
            [note],
            after=["Private index: add --secret id=pipconf,src=pip.conf (never lands in a layer)."],
        )

        return BuildPlan(
            strategy=self.name,
            python_version=version,
            builder_image=image,
            runtime_image=image,
            builder_apt=tuple(builder_apt),
            runtime_apt=tuple(runtime_apt),
            builder_env=builder_env,
            runtime_env=runtime_env,
            builder_workdir="/src",
            builder_steps=tuple(builder_steps),
            runtime_steps=tuple(runtime_steps),
            user=user,
            workdir="/app",
            app_install=app_install,
            lock=lock,
            entrypoint=entrypoint,
            cmd=command,
            expose=expose,
            healthcheck=probe,
            healthcheck_reason=probe_reason,
            labels=common.labels(facts),
            build_args=tuple((a.name, a.default) for a in args),
            build_arg_docs=args,
            secrets=((common.PIP_SECRET_ID, common.PIP_SECRET_TARGET),),
            image_name=name,
            dockerignore=ignore,
            files=common.lock_files(lock),
            syntax_directive=options.syntax_directive,
            header=header,
            decisions=tuple(decisions),
            warnings=tuple(warnings),
            facts=facts,
            builder_title="builder: wheels for every locked dependency"
            + (" and the app" if app_install == "wheel" else ""),
            runtime_title="runtime: interpreter + installed wheels, no compilers, non-root",
        )
