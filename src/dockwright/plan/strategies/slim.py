"""The ``slim`` strategy: interpreter + deps on a pinned ``python:X.Y.Z-slim-<debian>`` (seeds §3.1).

Multi-stage. The builder makes a virtualenv without pip, setuptools or wheel (``/opt/venv``) and
installs the lock into it with every hash verified (compilers and -dev headers only when something
compiles); the runtime receives that venv in one COPY, so neither wheels, pip cache, installer tooling
nor compilers land in it. The app is a wheel when it is a package (built against a hash-locked build
backend, without build isolation), else its source is copied after the dependency layers.

Runtime layers never rewrite a file of the base image twice: tini is Debian's binary, installed in a
small stage built in parallel with the builder and copied (no apt in the runtime unless a
dependency needs a system shared library, built from source or loaded with dlopen); the user and
group are made in one layer.
"""

from __future__ import annotations

import re
import shlex

from dockwright.errors import PlanError
from dockwright.plan import app_bytecode, bases, common, installer, own_toolchain
from dockwright.plan.import_check import with_import_check
from dockwright.plan.model import (
    AppInstall,
    AptPackage,
    BuildPlan,
    Decision,
    EnvVar,
    GeneratedFile,
    LockPlan,
    SideStage,
    Step,
    User,
)
from dockwright.plan.strategies.base import PlanOptions, Verdict
from dockwright.project.facts import ProjectFacts
from dockwright.shell_lists import commands


class SlimStrategy:
    """Interpreter + deps, multi-stage, Debian slim: robust with manylinux wheels and C extensions."""

    name = "slim"
    summary = "interpreter + locked wheels on python:X.Y.Z-slim-trixie, multi-stage, non-root"

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
        image = bases.slim_image(facts)
        decisions.append(
            Decision(
                "base-image",
                image,
                f"Python pinned to {version} for ABI and wheel compatibility; Debian (glibc) slim, never "
                "Alpine, so manylinux wheels install; the builder uses the same image so wheels match; "
                + bases.suite_reason(facts),
            )
        )

        lock, lock_decision = common.lock_plan(facts, options)
        decisions.append(lock_decision)
        warnings += common.lock_warnings(lock)
        warnings += common.uncovered_warnings(facts, lock)

        # --- native needs: compilers only when something compiles -------------------------------
        builder_apt, who, toolchain = common.compile_toolchain(facts)
        decisions.append(toolchain)
        warnings += own_toolchain.own_warnings(facts)

        runtime_apt: list[AptPackage] = []
        loaded = [n for n in facts.native if n.run_apt]
        for need in loaded:
            how = "links against" if need.compiles else "loads at run time (no compiled extension)"
            for pkg in need.run_apt:
                if pkg not in {a.name for a in runtime_apt}:
                    runtime_apt.append(AptPackage(pkg, f"shared library {need.package} {how}"))
        if runtime_apt:
            who = "; ".join(
                f"{n.package} {'(built from source)' if n.compiles else '(loads it with dlopen)'}: "
                f"{' '.join(n.run_apt)} [{n.source}]"
                for n in loaded
            )
            decisions.append(
                Decision(
                    "runtime-libraries",
                    " ".join(a.name for a in runtime_apt),
                    f"system libraries loaded at run time, no -dev headers, no compiler: {who}",
                )
            )
        decisions.append(
            Decision(
                "init",
                f"{common.TINI} copied from the '{TINI_STAGE}' stage",
                "Debian's tini package is downloaded and unpacked (not installed) in a small stage built "
                "in parallel with the builder, on the same base (so the same glibc it links), and only its "
                "binary is copied: the runtime "
                "runs no apt for it, so no dpkg/debconf database of the base image is rewritten (dive "
                "counts such rewrites as wasted bytes)",
            )
        )

        # --- installer and environment -----------------------------------------------------------
        use_uv, installer_decision = installer.uses_uv(facts, options)
        decisions.append(installer_decision)
        builder_env = (
            EnvVar("PYTHONDONTWRITEBYTECODE", "1", "no stray .pyc files while building"),
            EnvVar("PYTHONUNBUFFERED", "1", "build logs appear as they happen"),
            EnvVar("PIP_DISABLE_PIP_VERSION_CHECK", "1", "no network call to check for a newer pip"),
            common.PIP_NO_INPUT_ENV,
            *(installer.UV_ENV if use_uv else ()),
            *(common.NO_DEBUG_INFO_ENV if builder_apt else ()),
        )
        bytecode_env_why = (
            "the app runs as non-root over root-owned code: it must not try to write .pyc at run time"
            if options.bytecode == "compile"
            else "no .pyc files: smaller image"
        )
        runtime_env = (
            EnvVar("PATH", f"{VENV}/bin:$PATH", "the venv's console scripts and python come first"),
            EnvVar("VIRTUAL_ENV", VENV, "tools that look for an active venv find it"),
            EnvVar("PYTHONUNBUFFERED", "1", "logs reach stdout/stderr immediately"),
            EnvVar("PYTHONDONTWRITEBYTECODE", "1", bytecode_env_why),
            EnvVar("PIP_NO_CACHE_DIR", "1", "no pip cache in the image (the base image's pip may still run)"),
            EnvVar("PIP_DISABLE_PIP_VERSION_CHECK", "1", "no network call to check for a newer pip"),
            EnvVar("LANG", "C.UTF-8", "UTF-8 locale without installing locales"),
            EnvVar("TZ", "UTC", "predictable timestamps"),
        )
        decisions.append(
            Decision(
                "pip-cache",
                f"{'uv' if use_uv else 'pip'} cache mount in builder, PIP_NO_CACHE_DIR=1 in runtime",
                "the builder reuses downloads across builds through a BuildKit cache mount (so it does not "
                "set PIP_NO_CACHE_DIR"
                + (", and UV_LINK_MODE=copy: nothing in the venv points into it" if use_uv else "")
                + "); the runtime never keeps a cache",
            )
        )
        if options.bytecode == "compile":
            decisions.append(
                Decision(
                    "bytecode",
                    "compiled at install time",
                    f"{'uv' if use_uv else 'pip'} compiles .pyc while installing (faster start, owned by "
                    "root); "
                    "PYTHONDONTWRITEBYTECODE=1 stops the non-root app from trying to write more",
                )
            )
        else:
            decisions.append(
                Decision(
                    "bytecode",
                    "none",
                    ("uv without --compile-bytecode" if use_uv else "--no-compile")
                    + " and PYTHONDONTWRITEBYTECODE=1: smallest image",
                )
            )

        # --- app install mode --------------------------------------------------------------------
        command = facts.app.command.value
        if not command:
            raise PlanError('no start command was detected; give --start "..."')
        file_args = _file_args(command)
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
                else facts.layout.is_package.evidence[0].detail
                if facts.layout.build_backend.value  # a package whose start module no wheel carries
                else "the project is not a package (no build backend), so its source is copied"
            )
            decisions.append(Decision("app-install", "source", why + "; copied after the dependency layers"))
        scripts_wheel = app_install == "source" and common.wheel_beside_tree(facts)
        if scripts_wheel:
            decisions.append(own_scripts_decision(facts))

        workdir = common.workdir(facts, app_install, decisions)
        user = User("app", options.uid, options.uid, "/home/app")
        decisions.append(
            Decision(
                "user",
                f"{user.uid}:{user.gid}",
                "non-root with a fixed UID/GID so volumes and Kubernetes runAsUser line up; numeric USER "
                "lets the engine verify non-root without reading /etc/passwd",
            )
        )

        filled_by = (
            "`uv pip install --python` (uv bind-mounted for that step)"
            if use_uv
            else "the base image's pip run under the venv's python (pip's own `__pip-runner__.py`, what "
            "`pip --python` runs)"
        )
        decisions.append(
            Decision(
                "environment",
                f"virtualenv {VENV} without pip",
                f"made in the builder with `python -m venv --without-pip`, filled by {filled_by}, "
                "copied whole into the runtime: the app's environment holds no "
                "pip/setuptools/wheel and no wheel file or cache ever lands in a runtime layer",
            )
        )
        compile_flag = "" if options.bytecode == "compile" else " --no-compile"

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
        *made, install = (
            uv_venv_steps(lock, options.bytecode == "compile") if use_uv else venv_steps(lock, compile_flag)
        )
        if not lock.empty:  # the commands' installed modules import each other (plan/import_check.py)
            commands = (facts.app.command.value, *facts.app.other_commands)
            modules = facts.app.third_party_imports.value
            install = with_import_check(install, commands, f"{VENV}/bin/python", version, modules)
        builder_steps += (*made, install)
        build_files: tuple[GeneratedFile, ...] = ()
        wheel_stages: tuple[SideStage, ...] = ()
        wheel_from = "builder"
        if app_install == "wheel" or scripts_wheel:
            scm_steps, scm_prefix, scm_decision = common.scm_version(facts)
            if scm_decision:
                decisions.append(scm_decision)
            if builder_apt:  # the wheel may compile: it is built where the toolchain is
                builder_steps += app_wheel_steps(scm_steps, scm_prefix, compile_flag, use_uv=use_uv)
            else:
                wheel_from = WHEEL_STAGE
                wheel_stages = (wheel_stage(image, builder_env, scm_steps, scm_prefix, compile_flag, use_uv),)
            decisions.append(wheel_decision(wheel_from, who))
            build_files = (
                GeneratedFile(
                    BUILD_LOCK,
                    "build-lock",
                    "the build backend ([build-system].requires) resolved and hash-locked by "
                    "`uv pip compile --generate-hashes`",
                ),
            )
            decisions.append(
                Decision(
                    "build-backend",
                    f"{BUILD_LOCK}, --no-build-isolation",
                    f"{', '.join(facts.layout.build_requires)} locked with hashes and installed once in a "
                    f"cached layer of the '{wheel_from}' stage; the app's wheel is built without build "
                    "isolation, so a source edit downloads and installs nothing",
                )
            )

        # --- runtime steps -----------------------------------------------------------------------
        runtime_steps: list[Step] = [tini_step()]
        if runtime_apt:
            runtime_steps.append(runtime_apt_step(tuple(runtime_apt)))
        runtime_steps += [user_step(user), venv_copy_step()]
        if app_install == "wheel" or scripts_wheel:
            runtime_steps.append(
                Step(
                    "COPY",
                    (f"{APP_ROOT}/", "/"),
                    flags=(f"--from={wheel_from}",),
                    why="the app's wheel as installed into the venv, after the dependency layer: code "
                    "changes rebuild only this (no pip runs in the runtime)",
                )
            )
        if app_install == "source":
            copy_source = Step("COPY", (".", "."), why="source last: code changes keep the dependency layers")
            if lock.local_wheels:
                copy_source = Step(
                    "COPY",
                    (f"{SOURCE_DIR}/", "."),
                    flags=(f"--from={SOURCE_STAGE}",),
                    why="source last, without the wheels only the install reads: code changes keep the "
                    "dependency layers",
                )
            runtime_steps.append(copy_source)
            compile_app, app_decision = app_bytecode.compile_app_source(facts, options)
            decisions.append(app_decision)
            if compile_app:
                runtime_steps.append(compile_source_step())

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
        probe, probe_reason, probe_decision = common.healthcheck(facts, start=command)
        decisions.append(probe_decision)
        args = common.build_args(facts)
        needed = {lock.path, *lock.includes, *facts.layout.files_build_reads, *(f.path for f in build_files)}
        needed.update(facts.dependencies.input_files)
        needed.update(lock.local_wheels)
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
                f"from {lock.source}"
                + (
                    f" and the dependencies it leaves out that {lock.merged_from} declares."
                    if lock.merged
                    else "."
                )
            )
        else:
            note = f"Dependencies install from {lock.path} (hash-locked, verified with --require-hashes)."
        header = common.header(self.name, [note])  # the private-index line: plan/private_index.py

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
            workdir=workdir,
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
            files=(*common.lock_files(lock), *build_files),
            side_stages=(
                tini_stage(image),
                *wheel_stages,
                *(
                    (source_stage(image, lock.local_wheels),)
                    if lock.local_wheels and app_install != "wheel"
                    else ()
                ),
            ),
            syntax_directive=options.syntax_directive,
            header=header,
            decisions=tuple(decisions),
            warnings=tuple(warnings),
            facts=facts,
            builder_title="builder: a pip-less venv with every locked dependency"
            + (", installed by uv" if use_uv else "")
            + (
                ", the app's wheel"
                if (app_install == "wheel" or scripts_wheel) and wheel_from == "builder"
                else ""
            ),
            runtime_title="runtime: interpreter + the venv, no installer tooling, no compilers, non-root",
        )


VENV = "/opt/venv"
TINI_STAGE = "tini"


TINI_UNPACKED = "/tini"


def tini_stage(image: str) -> SideStage:
    """Debian's tini package on the same base, built in parallel with the builder; the runtime copies
    its binary (dynamically linked against the base's glibc only: ~30 kB, not tini-static's 700 kB).

    ``apt-get download`` checks the .deb against the signed index as ``apt-get install`` does, and
    ``dpkg-deb -x`` unpacks it without dpkg's database, maintainer scripts and triggers: measured
    0.35-0.85 s where ``apt-get install tini`` took 1.8-3.6 s (CPU taken from the builder running
    beside it on a 2-core machine)."""
    return SideStage(
        TINI_STAGE,
        image,
        "tini: Debian's tini, built in parallel with the builder",
        (
            Step(
                "RUN",
                (
                    "apt-get update",
                    "apt-get download tini",
                    f"dpkg-deb -x tini_*.deb {TINI_UNPACKED}",
                    common.APT_LISTS,
                ),
                why="the runtime copies its binary; downloaded (hash-checked against the signed index) and "
                "unpacked, never installed: no dpkg database, no maintainer scripts",
            ),
        ),
        workdir="/tmp",
    )


SOURCE_STAGE = "source"
SOURCE_DIR = "/app-source"


def source_stage(image: str, left_out: tuple[str, ...]) -> SideStage:
    """The app's source without the folders only the dependency install reads (``--find-links`` wheels):
    the runtime copies this instead of the whole context, so those files are in no runtime layer."""
    removed = " ".join(f"{SOURCE_DIR}/{folder}" for folder in left_out)
    return SideStage(
        SOURCE_STAGE,
        image,
        "source: the app's files without the wheels (folders, files) the install reads",
        (
            Step("COPY", (".", f"{SOURCE_DIR}/"), why=""),
            Step("RUN", (f"rm -rf {removed}",), why="the install reads these through a bind mount only"),
        ),
    )


PIP_RUNNER = "pip_runner"
"""Shell variable naming the base image's ``pip/__pip-runner__.py``: what ``pip --python`` starts."""

FIND_PIP_RUNNER = (
    f"{PIP_RUNNER}=\"$(python -c 'import os, pip; print(os.path.dirname(pip.__file__))')/__pip-runner__.py\""
)


def venv_pip(arguments: str) -> tuple[str, str]:
    """The two command lines that run the base image's pip under the venv's interpreter (what
    ``pip --python`` does, pip started once): find its runner, then run it with ``arguments``."""
    return FIND_PIP_RUNNER, f'{VENV}/bin/python "${PIP_RUNNER}" {arguments}'


def uv_venv_steps(lock: LockPlan, compile_bytecode: bool) -> tuple[Step, ...]:
    """Builder: the lock alone, then one step that makes a venv without pip and installs the lock into
    it with uv (hashes verified), uv bind-mounted from its image for that step only."""
    make_venv = f"python -m venv --without-pip {VENV}"
    if lock.empty:
        return (Step("RUN", (make_venv,), why="the app's environment: no pip, setuptools or wheel to ship"),)
    compile_flag = " --compile-bytecode" if compile_bytecode else ""
    return (
        *common.copy_lock(lock),
        Step(
            "RUN",
            (
                make_venv,
                f"uv pip install --python {VENV}/bin/python{compile_flag} --require-hashes --no-deps "
                f"-r {lock.path}",
            ),
            flags=(installer.UV_CACHE_MOUNT, installer.uv_bin_mount(), *common.lock_mounts(lock)),
            why="a venv without pip, filled by uv (mounted for this step, in no layer); every hash verified",
        ),
    )


def venv_steps(lock: LockPlan, compile_flag: str) -> tuple[Step, ...]:
    """Builder: the lock alone, then one step that makes a venv without pip and installs the lock into
    it (hashes verified) with the base image's pip run by the venv's interpreter."""
    make_venv = f"python -m venv --without-pip {VENV}"
    if lock.empty:
        return (Step("RUN", (make_venv,), why="the app's environment: no pip, setuptools or wheel to ship"),)
    return (
        *common.copy_lock(lock),
        Step(
            "RUN",
            (
                make_venv,
                *venv_pip(f"install --require-hashes --no-deps{compile_flag} -r {lock.path}"),
            ),
            flags=common.pip_mounts(lock),
            why="a venv without pip, filled by the base image's pip run under the venv's python "
            "(`pip --python` without a second pip start); every hash verified",
        ),
    )


BUILD_LOCK = "requirements-build.lock"


APP_ROOT = "/app-root"


def app_wheel_steps(
    scm_steps: tuple[Step, ...] = (),
    scm_prefix: str = "",
    compile_flag: str = "",
    *,
    make_venv: bool = False,
    use_uv: bool = False,
) -> tuple[Step, ...]:
    """Builder: the locked build backend once (cached layer), then the app as a wheel, offline
    (``scm_steps``/``scm_prefix``: the VERSION build arg an SCM-versioned backend reads), installed
    into the venv under ``--root`` :data:`APP_ROOT`: only the app's own files, which the runtime copies
    over its venv (the runtime has no pip of its own to install a wheel with). With ``use_uv`` the
    backend installs with uv (bind-mounted), without bytecode: this stage never ships it."""
    why = "the build backend, every hash verified, into this stage's interpreter (never the runtime)"
    return (
        Step("COPY", (BUILD_LOCK, "./"), why="the build backend's lock alone: its layer caches"),
        installer.system_install(BUILD_LOCK, why, use_uv=use_uv),
        *scm_steps,
        Step("COPY", (".", "."), why=""),
        Step(
            "RUN",
            (
                f"{scm_prefix}pip wheel --no-index --no-deps --no-build-isolation --wheel-dir /dist .",
                *((f"python -m venv --without-pip {VENV}",) if make_venv else ()),
                *venv_pip(f"install --no-index --no-deps{compile_flag} --root {APP_ROOT} /dist/*.whl"),
            ),
            why="the app as a wheel with the locked backend (offline, nothing downloaded on a source edit), "
            f"installed as into the venv (by the venv's python, pip started once) but under {APP_ROOT}: the "
            "app's files alone, for the runtime",
        ),
    )


WHEEL_STAGE = "wheel"


def wheel_stage(
    image: str,
    env: tuple[EnvVar, ...],
    scm_steps: tuple[Step, ...],
    scm_prefix: str,
    compile_flag: str,
    use_uv: bool = False,
) -> SideStage:
    """The app's wheel in a stage of its own, FROM the same base, which BuildKit builds in parallel with
    the builder's dependency install (it needs none of them: ``--no-deps``, and the backend runs under
    the stage's own interpreter). Its install under :data:`APP_ROOT` goes through an empty venv at the
    same path, so the files and script headers are those the builder's venv would get."""
    return SideStage(
        WHEEL_STAGE,
        image,
        "wheel: the app built with its locked backend, in parallel with the dependency install",
        app_wheel_steps(scm_steps, scm_prefix, compile_flag, make_venv=True, use_uv=use_uv),
        workdir=common.BUILDER_WORKDIR,
        env=env,
    )


def own_scripts_decision(facts: ProjectFacts) -> Decision:
    """The wheel installed beside the source tree: the start calls the project's own console scripts
    (project/own_script_calls.py), or imports a package of its src/ layout (project/src_imports.py),
    which only an installed project has."""
    if not facts.app.own_scripts.value:
        imported = facts.app.own_imports
        where = ", ".join(f"{e.file}:{e.line}" if e.line else e.file for e in imported.evidence)
        return Decision(
            "app-scripts",
            f"the app's wheel as well ({', '.join(imported.value)})",
            f"the start runs from the source tree and imports {', '.join(imported.value)} ({where}), a "
            "package of the project's src/ layout that only the installed project provides: the project's "
            "wheel is built and installed into the venv too; the start still runs the copied tree",
        )
    names = facts.app.own_scripts.value
    where = ", ".join(f"{e.file}:{e.line}" if e.line else e.file for e in facts.app.own_scripts.evidence)
    return Decision(
        "app-scripts",
        f"the app's wheel as well ({', '.join(names)})",
        "the start runs from the source tree and calls the project's own console "
        f"{'scripts' if len(names) > 1 else 'script'} {', '.join(names)} ({where}), which a copied tree "
        "does not provide: the project's wheel is built and installed into the venv too, so the name is on "
        "PATH; the start still runs the copied tree",
    )


def wheel_decision(stage: str, who: str) -> Decision:
    if stage == WHEEL_STAGE:
        return Decision(
            "app-wheel-stage",
            f"stage '{WHEEL_STAGE}'",
            "the build backend's install and the app's wheel need none of the dependencies, so they run "
            "in a stage FROM the same base that BuildKit builds in parallel with the dependency install; "
            f"the runtime copies {APP_ROOT} from it",
        )
    return Decision(
        "app-wheel-stage",
        "builder",
        f"the builder installs compilers ({who}), which the app's wheel may need too: built there, after "
        "the dependency install (one toolchain install, not two competing for the CPU)",
    )


def compile_source_step() -> Step:
    return Step("RUN", (app_bytecode.STEP,), why="bytecode for the copied source, owned by root")


def tini_step() -> Step:
    return Step(
        "COPY",
        (f"{TINI_UNPACKED}{common.TINI}", common.TINI),
        flags=(f"--from={TINI_STAGE}",),
        why="Debian's tini (links only glibc, the same base's): no apt run, no dpkg database rewritten here",
    )


def runtime_apt_step(packages: tuple[AptPackage, ...]) -> Step:
    return Step(
        "RUN",
        common.runtime_apt_install(packages),
        why="no -dev headers or compilers here; no debconf pre-configuration: it would copy "
        "debconf's template database into this layer",
    )


def user_commands(user: User) -> tuple[str, str]:
    return (
        f"groupadd --gid {user.gid} {user.name}",
        f"useradd --uid {user.uid} --gid {user.gid} --no-log-init --create-home "
        f"--home-dir {user.home} --shell /usr/sbin/nologin {user.name}",
    )


def user_step(user: User) -> Step:
    return Step(
        "RUN",
        user_commands(user),
        why=f"fixed UID/GID {user.uid} for volumes and Kubernetes, in one layer",
    )


def venv_copy_step() -> Step:
    return Step(
        "COPY",
        (VENV, VENV),
        flags=("--from=builder",),
        why="the finished venv in one layer: no pip, no wheel files, no cache, no compiler",
    )


_ASSIGNMENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*=")


def _file_args(command: tuple[str, ...]) -> list[str]:
    """The project files a start names (``app.py``, ``./entrypoint.sh``), also the words of a ``sh -c``
    line (``./manage.py migrate && exec ./manage.py pyuwsgi``): a wheel would not carry them."""
    words = list(command)
    if len(command) == 3 and command[1] == "-c":
        words = []
        for part in commands(command[2]):
            try:
                words += shlex.split(part)
            except ValueError:
                words += part.split()
    # an environment assignment (CONF=/app/conf.py) names its value's file, not itself
    words = [_ASSIGNMENT.sub("", a) for a in words]
    return list(dict.fromkeys(a for a in words if a.endswith((".py", ".sh"))))
