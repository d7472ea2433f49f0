"""The ``uv`` strategy: the slim runtime, but the builder is uv itself driven by the project's uv.lock.

For uv projects: no converted requirements file; ``uv sync --locked --no-dev --no-editable`` builds a
virtualenv in the builder, first with ``--no-install-project`` (the dependency layer, keyed on uv.lock
and pyproject.toml only), then with the project (the project layer). Bytecode is compiled at install
time, files are copied out of the cache mount (``UV_LINK_MODE=copy``), and the runtime receives the
finished ``/opt/venv``: no uv, no pip cache, no compiler. uv itself is bind-mounted from its image for
each sync step (plan/installer.py: dockwright's tested version), so no layer of any stage holds it.
"""

from __future__ import annotations

import dataclasses

from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import NormalizedName, canonicalize_name

from dockwright.errors import PlanError
from dockwright.plan import app_bytecode, common, installer, workspace
from dockwright.plan.common import evidence_text
from dockwright.plan.model import AptPackage, BuildPlan, Decision, EnvVar, LockPlan, Step
from dockwright.plan.strategies import slim
from dockwright.plan.strategies.base import PlanOptions, Verdict
from dockwright.plan.strategies.slim import SlimStrategy
from dockwright.project.facts import ProjectFacts, WorkspaceFacts
from dockwright.project.uv_required import refuses

VENV = slim.VENV
UV_CACHE = installer.UV_CACHE
UV_CACHE_MOUNT = installer.UV_CACHE_MOUNT
SYNC = "uv sync --locked --no-dev --no-editable"


def sync_selection(lock: LockPlan) -> str:
    """``uv sync`` options for the project's extras and groups the image installs: ``--extra X`` each;
    where the project declares ``default-groups``, ``--no-default-groups`` and ``--group G`` each (uv's
    ``--no-dev`` leaves every other default group in, development-named ones too)."""
    out = "".join(f" --extra {e}" for e in lock.extras)
    if lock.named_groups:
        out += " --no-default-groups" + "".join(f" --group {g}" for g in lock.groups)
    return out


def _scm_version(
    facts: ProjectFacts, member: WorkspaceFacts | None
) -> tuple[tuple[Step, ...], str, Decision | None]:
    """The VERSION build arg and the command prefix handing it to every SCM version plugin ``uv sync``
    runs: the project's own (its wheel is built) and, in a workspace, each package's whose metadata or
    wheel uv builds (``uv-dynamic-versioning`` at the root of a member's dependency); .git is not in the
    context, and the plugins stop without it."""
    found = [facts.layout.scm_version_env] if facts.layout.scm_version_env is not None else []
    found += list(member.scm_env) if member is not None else []
    names = list(dict.fromkeys(f.value for f in found if f.value is not None))
    if not names:
        return (), "", None
    evidence = [e for f in found if f.value is not None for e in f.evidence]
    step = Step(
        "ARG",
        (common.version_arg(facts),),
        why=f"the build backends read their version from git, and .git is not in the context: "
        f"{', '.join(names)} hand it (default: the version init derived, so a plain `docker build .` "
        "builds too)",
    )
    reason = (
        f"{evidence_text(tuple(evidence))}; the VERSION build arg ({facts.metadata.version.value}) is "
        f"passed as {', '.join(names)} to uv sync, never by copying .git"
    )
    prefix = "".join(f'{name}="${{VERSION}}" ' for name in names)
    return (step,), prefix, Decision("scm-version", ", ".join(names), reason)


class UvStrategy:
    """uv projects: ``uv sync --locked`` in the builder, the finished virtualenv in a slim runtime."""

    name = "uv"
    summary = "uv sync --locked from uv.lock into /opt/venv, copied into python:X.Y.Z-slim-trixie"

    def applies(self, facts: ProjectFacts) -> Verdict:
        unpinned = common.unpinned_python(facts)
        if unpinned:
            return Verdict(False, unpinned)
        deps = facts.dependencies
        if deps.manager.value != "uv" or deps.lock_file != "uv.lock":
            return Verdict(False, "not a uv project with a uv.lock")
        ours = installer.uv_version()
        if refuses(deps.uv_required, ours):
            at = deps.uv_required
            assert at is not None
            where = f"{at.file}:{at.line}" if at.line else at.file
            return Verdict(
                False,
                f"{where} required-version {at.detail!r} refuses uv {ours}, the uv the builder runs "
                f"`uv sync` with (uv stops on it); let it accept {ours} (e.g. '>={ours}')",
            )
        return Verdict(
            True, "a uv project with uv.lock: uv installs exactly what the lock pins, hashes included"
        )

    def plan(self, facts: ProjectFacts, options: PlanOptions) -> BuildPlan:
        verdict = self.applies(facts)
        if not verdict.ok:
            raise PlanError(f"strategy uv cannot package this project: {verdict.reason}")
        base = SlimStrategy().plan(facts, options)
        locked = {canonicalize_name(p.name): p.version for p in facts.dependencies.locked}
        beyond = tuple(a for a in base.lock.adds if not _meets(a, locked))
        if beyond:
            # uv sync installs uv.lock exactly: a server the start needs beyond it never reaches the venv
            missing, add = ", ".join(beyond), " ".join(beyond)
            slim_too = workspace.uv_member(facts) is None  # a workspace member has no other strategy
            raise PlanError(
                f"strategy uv: the start runs {missing}, which uv.lock does not install (uv sync installs "
                f"the lock exactly); add it to the project's dependencies (uv add {add}) "
                "and lock again, or give --start a command the lock installs"
                + (", or use --strategy slim (it generates a lock)" if slim_too else "")
            )
        member = workspace.uv_member(facts)
        uv_bin = installer.uv_bin_mount()
        lock = LockPlan(
            "uv.lock",
            False,
            "uv.lock",
            "uv-sync",
            base.lock.empty,
            indexes=base.lock.indexes,
            extras=base.lock.extras,
            groups=base.lock.groups,
            named_groups=base.lock.named_groups,
        )
        chosen = sync_selection(lock)
        # files the start runs (`python pkg/run.py`): a wheel in the venv would not serve them from /app
        started_files = slim._file_args(facts.app.command.value)
        if member is None:
            package = bool(facts.layout.is_package.value)
            project_files: tuple[str, ...] = ("uv.lock", "pyproject.toml")
            source_copies: tuple[str, ...] = (".",)
            deps_sync, sync = f"{SYNC}{chosen} --no-install-project", f"{SYNC}{chosen}"
            runtime_source = "" if package and not started_files else "."
        else:
            # a workspace member: the root's lock and every member's pyproject.toml (uv checks the lock
            # against them), the member and the workspace packages it reaches; nothing else
            package = bool(member.packages)
            project_files = ("uv.lock", *member.manifests, *member.metadata_files)
            source_copies = member.packages
            sync = f"{SYNC} --package {member.package}{chosen}"
            deps_sync = f"{sync} --no-install-workspace"
            app = member.member.value
            runtime_source = app if app not in member.packages or started_files else ""
        app_is_wheel = package if member is None else member.member.value in member.packages
        scm_steps, scm_prefix, scm_decision = _scm_version(facts, member)
        deps_sync, sync = scm_prefix + deps_sync, scm_prefix + sync
        binds = tuple(f"--mount=type=bind,source={f},target={f}" for f in project_files)

        git = _git_for_sources(facts, {a.name for a in base.builder_apt})
        builder_apt = (*base.builder_apt, *git)
        whys = (
            *(("dependencies compile",) if base.builder_apt else ()),
            *(("git for the lock's git sources",) if git else ()),
        )
        builder_steps: list[Step] = []
        if builder_apt:
            builder_steps.append(
                Step("RUN", common.apt_install(builder_apt), why="builder only: " + "; ".join(whys))
            )
        # uv reads a netrc for the project's own indexes (credentials never in a layer)
        netrc = (common.NETRC_SECRET_MOUNT,) if facts.dependencies.indexes else ()
        builder_steps += [
            *scm_steps,
            Step(
                "RUN",
                (deps_sync,),
                flags=(UV_CACHE_MOUNT, uv_bin, *netrc, *binds),
                why=f"dependency layer from {' and '.join(project_files[:2])}"
                + (" and the members' manifests" if member is not None else "")
                + " only: source edits keep it cached",
            ),
        ]
        if package:
            copied = set(source_copies)
            builder_steps += [
                Step(
                    "COPY",
                    (folder, folder if folder != "." else "."),
                    why="the project after its dependencies"
                    if member is None
                    else "a workspace package the app needs, after the dependency layer",
                )
                for folder in source_copies
            ]
            rebind = tuple(
                b
                for f, b in zip(project_files, binds, strict=True)
                if not any(f.startswith(folder + "/") for folder in copied)
            )
            builder_steps.append(
                Step(
                    "RUN",
                    (sync,),
                    flags=(UV_CACHE_MOUNT, uv_bin, *netrc, *(rebind if member is not None else ())),
                    why="the project itself, installed as a wheel (not editable) into the venv"
                    if member is None
                    else "the member and its workspace packages, as wheels (not editable) into the venv",
                )
            )

        venv_copy = slim.venv_copy_step()
        compile_app, app_decision = app_bytecode.compile_app_source(facts, options)
        runtime_steps: list[Step] = [
            # tini from the builder, run-time libraries, the fixed-UID user: as slim
            *base.runtime_steps[: base.runtime_steps.index(venv_copy)],
            dataclasses.replace(
                venv_copy, why="the finished virtualenv: no uv, no cache, no compiler in the runtime"
            ),
        ]
        if runtime_source:
            runtime_steps.append(
                Step(
                    "COPY",
                    (runtime_source, "."),
                    why="source last: code changes keep the dependency layers",
                )
            )
            if compile_app:
                runtime_steps.append(slim.compile_source_step())

        builder_env = (
            *(e for e in base.builder_env if e.name not in {u.name for u in installer.UV_ENV}),
            EnvVar(
                "UV_COMPILE_BYTECODE",
                "1" if options.bytecode == "compile" else "0",
                "bytecode at install time",
            ),
            EnvVar(
                "UV_LINK_MODE", "copy", "the cache is a mount: copy files out of it instead of hard-linking"
            ),
            EnvVar(
                "UV_PYTHON_DOWNLOADS", "never", "use the image's pinned interpreter, never a downloaded one"
            ),
            EnvVar("UV_PROJECT_ENVIRONMENT", VENV, "the venv the runtime copies"),
        )
        runtime_env = base.runtime_env  # PATH and VIRTUAL_ENV name the same /opt/venv
        decisions = [
            d
            for d in base.decisions
            if d.topic
            not in (
                "lock",
                "pip-cache",
                "app-install",
                "dockerignore",
                "bytecode",
                "environment",
                "app-bytecode",
                "app-wheel-stage",
                "installer",
                "scm-version",
                "build-backend",  # the slim wheel stage's locked backend: uv builds its own way (below)
            )
        ]
        if any(d.topic == "build-backend" for d in base.decisions):
            decisions.append(
                Decision(
                    "build-backend",
                    "uv's build isolation",
                    "uv sync builds the project's own packages in an isolated environment with their "
                    "[build-system] requirements from the index (kept in the uv cache mount between builds): "
                    "uv.lock pins no build dependency, so the builds are not hash-locked as the slim "
                    "strategy's requirements-build.lock is",
                )
            )
        if scm_decision is not None:
            decisions.append(scm_decision)
        if runtime_source:
            decisions.append(app_decision)
        decisions += [
            Decision(
                "lock",
                "uv.lock",
                "uv sync --locked installs exactly the lock and fails if it is stale"
                + (
                    common.uv_selection_reason(facts.dependencies.uv_selection)
                    if facts.dependencies.uv_selection
                    else ""
                )
                if member is None
                else f"uv sync --locked --package {member.package} installs exactly the member's part of "
                "the workspace's lock (its dependencies and the workspace packages it reaches) and fails if "
                "the lock is stale",
            ),
            Decision(
                "installer",
                f"uv {installer.uv_version()}",
                f"bind-mounted from {installer.uv_image()} for each sync step (uv's Docker guide), so no "
                f"layer holds it; version from dockwright's tested pin ({installer.UV_TOOLS})",
            ),
            Decision(
                "uv-cache",
                f"cache mount at {UV_CACHE}",
                "downloads are reused across builds; UV_LINK_MODE=copy so nothing in the venv points into it",
            ),
            Decision(
                "app-install",
                "wheel (uv sync, not editable)" if app_is_wheel else "source",
                ("the project is a package: uv builds and installs it into the venv")
                + (
                    f"; the start runs {', '.join(started_files)} from the source tree, so its source is "
                    "copied after the venv too"
                    if app_is_wheel and runtime_source
                    else ""
                )
                if app_is_wheel
                else "the project is not built (no build backend, or [tool.uv] package = false): its "
                "source is copied after the venv",
            ),
        ]
        if member is not None and member.member.value != ".":
            needed = set(project_files)
            ignore, ignore_decision = workspace.dockerignore(facts, options, tuple(sorted(needed)))
        else:
            needed = {*project_files, *facts.layout.files_build_reads}
            ignore, ignore_decision = common.dockerignore(facts, options, needed)
        decisions.append(ignore_decision)
        return dataclasses.replace(
            base,
            strategy=self.name,
            builder_env=builder_env,
            runtime_env=runtime_env,
            builder_apt=builder_apt,
            builder_steps=tuple(builder_steps),
            runtime_steps=tuple(runtime_steps),
            # uv sync builds and installs the project itself: slim's wheel stage has no place here
            side_stages=tuple(s for s in base.side_stages if s.name != slim.WHEEL_STAGE),
            app_install="wheel" if app_is_wheel else "source",
            lock=lock,
            secrets=(),
            dockerignore=ignore,
            files=(),
            header=common.header(
                self.name,
                ["Dependencies install from uv.lock with `uv sync --locked` (hashes verified by uv)."],
            ),
            decisions=tuple(decisions),
            # what slim said of the lock it would generate (a start's additions): uv.lock is installed
            warnings=tuple(w for w in base.warnings if w not in common.lock_warnings(base.lock)),
            builder_title="builder: uv sync --locked into /opt/venv",
            runtime_title="runtime: interpreter + the venv, no uv, no compilers, non-root",
            support_files=(),
        )


def _git_for_sources(facts: ProjectFacts, present: set[str]) -> tuple[AptPackage, ...]:
    """Debian's git in the builder when uv.lock takes a package from a git checkout: ``uv sync`` clones
    it at the locked commit with the git program (uv: "Git executable not found"); the runtime never
    gets it. Private repositories need the builder's credentials, which this does not provide."""
    cloned = sorted(p.name for p in facts.dependencies.locked if p.source == "vcs")
    if not cloned or "git" in present:
        return ()
    why = f"uv sync clones {', '.join(cloned)} from git at the commit uv.lock pins (builder only)"
    return (AptPackage("git", why),)


def _meets(add: str, locked: dict[NormalizedName, str]) -> bool:
    """uv.lock's pins (canonical name -> version) install the start's addition ``add``: the package, at a
    release its range takes (``gunicorn<26`` beside a locked gunicorn 22.0.0); an extra is never taken as
    installed (what it brings may be missing)."""
    try:
        requirement = Requirement(add)
    except InvalidRequirement:
        return False
    version = locked.get(canonicalize_name(requirement.name))
    if version is None or requirement.extras or not requirement.specifier:
        return False
    return requirement.specifier.contains(version, prereleases=True)
