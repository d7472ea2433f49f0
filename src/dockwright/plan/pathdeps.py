"""Plans for an app that installs local folders (``project/pathdeps.py``: Poetry/PDM/uv path
entries, requirements ``-e ../lib`` lines).

The third-party set stays what it was: hash-locked, converted from ``poetry.lock``/``pdm.lock``/
``uv.lock`` or resolved from the requirements (path entries never reach it: the converter leaves local
packages out and keeps their own dependencies; the resolver's folder lines are dropped) and installed
with ``--require-hashes`` in a cached layer before any source. Then the builder installs the folders'
build backends from a hash-locked build lock, copies each folder (from the build context, after the
dependency layer) and builds it as a wheel with ``--no-build-isolation``; the runtime installs those
wheels ``--no-deps`` into the venv. Poetry's ``develop = true`` and PDM's ``-e`` are development
settings: the image installs wheels, never editable folders.

When the folders sit beside the app (``../libs/mylib``), the build context is the smallest folder
holding them all: every path the plan copies or writes is made relative to it, the Dockerfile and its
ignore file go in the app's folder (``Dockerfile.dockerignore``, read in preference to the context's
``.dockerignore``), and the build runs at the context with ``-f``. Only the slim strategy does this.
"""

from __future__ import annotations

import dataclasses
import posixpath
from pathlib import Path

from dockwright.dockerfile.ignore import DockerIgnore
from dockwright.plan import common, installer
from dockwright.plan.model import BuildPlan, Decision, GeneratedFile, IgnoreEntry, Step
from dockwright.plan.strategies.base import PlanOptions
from dockwright.plan.strategies.slim import (
    BUILD_LOCK,
    SOURCE_DIR,
    SOURCE_STAGE,
    VENV,
    WHEEL_STAGE,
    source_stage,
)
from dockwright.project import gitdeps
from dockwright.project.facts import ProjectFacts, WorkspaceFacts
from dockwright.safe_text import ignore_line
from dockwright.secrets import SECRET_PATTERNS

STRATEGIES = frozenset({"slim"})
"""Strategies that build path dependencies as wheels."""

DEPS_DIR = "/deps"
"""Where the builder copies each path dependency's folder (its context path below it)."""


def local(facts: ProjectFacts) -> WorkspaceFacts | None:
    workspace = facts.workspace
    return workspace if workspace is not None and workspace.kind == "path-dependencies" else None


def refusal(facts: ProjectFacts, strategy: str) -> str | None:
    """Why ``strategy`` cannot package an app with path dependencies, or None."""
    found = local(facts)
    if found is None or strategy in STRATEGIES:
        return None
    folders = ", ".join(f.value + "/" for f in found.copies)
    where = found.member.evidence[0].file
    return f"{where} installs {folders} from local folders: the slim strategy builds them as wheels"


def build_requires(facts: ProjectFacts, app_is_wheel: bool) -> tuple[str, ...]:
    """What the build lock holds: the app's backend (a wheel app), the path dependencies' and the git
    dependencies' backends (once ``init`` read them from their commits)."""
    found = local(facts)
    git = gitdeps.build_requires(facts.dependencies.git) or ()
    if found is None and not git:
        return facts.layout.build_requires
    own = facts.layout.build_requires if app_is_wheel else ()
    return tuple(dict.fromkeys((*own, *(found.build_requires if found else ()), *git)))


def distributions(facts: ProjectFacts) -> tuple[str, ...]:
    """The path dependencies built from their folders: a generated lock leaves their lines out."""
    found = local(facts)
    return found.distributions if found else ()


def app_relative_folders(facts: ProjectFacts) -> tuple[str, ...]:
    """The path dependencies' folders relative to the app's (as its requirements lines name them)."""
    found = local(facts)
    if found is None:
        return ()
    return tuple(posixpath.relpath(f.value, found.member.value) for f in found.copies)


def resolver_paths(facts: ProjectFacts) -> tuple[str, ...]:
    """The folders' paths as the resolver may write them: relative to the app (its requirements
    lines), and absolute (``-e file:///repo/libs/core``, uv's line for a workspace source)."""
    found = local(facts)
    if found is None:
        return ()
    absolute = tuple(posixpath.normpath(f"{Path(found.context).as_posix()}/{f.value}") for f in found.copies)
    return (*app_relative_folders(facts), *absolute)


def prefixed(member: str, path: str) -> str:
    """``path`` (relative to the app's folder) relative to the build context."""
    if member == ".":
        return path
    return member if path in (".", "./", "") else posixpath.normpath(f"{member}/{path}")


def build_lock_source(facts: ProjectFacts, default: str) -> str:
    """The file the build lock's header names (``default`` is relative to the app's folder)."""
    found = local(facts)
    return prefixed(found.member.value, default) if found else default


def apply(plan: BuildPlan, options: PlanOptions) -> BuildPlan:
    """The path dependencies built and installed, and (context above the app) every path relocated."""
    found = local(plan.facts)
    if found is None:
        return plan
    member = found.member.value
    folders = tuple(f.value for f in found.copies)
    if member != ".":
        plan = _relocate(plan, member)
    compile_flag = "" if options.bytecode == "compile" else " --no-compile"
    builder = list(plan.builder_steps)
    files = list(plan.files)
    wheels = _wheel_steps(folders)
    side = list(plan.side_stages)
    if plan.app_install == "wheel":
        # built where the app's wheel is (the builder, or the stage beside it), before the app's source:
        # the libraries change less often than the app
        stage = next((s for s in side if s.name == WHEEL_STAGE), None)
        steps = list(stage.steps) if stage is not None else builder
        at = next(i for i, s in enumerate(steps) if s.instruction == "COPY" and s.args[-1] == ".")
        steps[at:at] = wheels
        if stage is not None:
            side[side.index(stage)] = dataclasses.replace(stage, steps=tuple(steps))
    else:
        builder += [*_backend_steps(member, installer.planned_uv(plan)), *wheels, _install_step(compile_flag)]
        files.append(
            GeneratedFile(
                prefixed(member, BUILD_LOCK),
                "build-lock",
                "the path dependencies' build backends ([build-system].requires) resolved and hash-locked "
                "by `uv pip compile --generate-hashes`",
            )
        )
    runtime = list(plan.runtime_steps)
    if plan.app_install != "wheel":
        at = next(i for i, s in enumerate(runtime) if s.instruction == "COPY" and s.args[-1] == ".")
        runtime.insert(at, _copy_step())
        if member == ".":
            # the folders are inside the app: its source copy leaves them out (they are installed wheels)
            left_out = (*plan.lock.local_wheels, *folders)
            side = [s for s in side if s.name != SOURCE_STAGE] + [source_stage(plan.builder_image, left_out)]
            runtime[at + 1] = Step(
                "COPY",
                (f"{SOURCE_DIR}/", "."),
                flags=(f"--from={SOURCE_STAGE}",),
                why="source last, without the path dependencies (installed as wheels): code changes keep "
                "the dependency layers",
            )
    ignore = plan.dockerignore if member != "." else _readmitted(plan.dockerignore, folders)
    shown = "; ".join(f"{f.value}/ ({f.evidence[0].file}:{f.evidence[0].line})" for f in found.copies)
    decisions = [
        Decision(
            "path-dependencies",
            ", ".join(f + "/" for f in folders),
            f"{shown}: the locked dependencies install first (hash-verified, path entries left out of the "
            f"lock); then each folder is copied and built as a wheel (in the builder, or beside the app's "
            f"own wheel in its stage) with its locked build backend ({', '.join(found.build_requires)}), "
            "installed --no-deps under a root the runtime copies over its venv; "
            "develop = true / -e are development settings: installed as wheels, never editable",
        ),
        Decision("build-context", _context_value(found), found.member.evidence[0].detail + _how(plan)),
    ]
    return dataclasses.replace(
        plan,
        builder_steps=tuple(builder),
        runtime_steps=tuple(runtime),
        side_stages=tuple(side),
        files=tuple(files),
        dockerignore=ignore,
        decisions=(*(_counted(d, ignore) for d in plan.decisions), *decisions),
    )


def _counted(decision: Decision, ignore: tuple[IgnoreEntry, ...]) -> Decision:
    """The ``dockerignore`` decision with the count of the lines written."""
    if decision.topic != "dockerignore":
        return decision
    reason = decision.reason
    if ignore and ignore[0].pattern == "*":
        reason = "only the app and its path dependencies enter the context; inside them: " + reason
    return dataclasses.replace(decision, choice=f"{len(ignore)} entries", reason=reason)


def _readmitted(entries: tuple[IgnoreEntry, ...], folders: tuple[str, ...]) -> tuple[IgnoreEntry, ...]:
    """The project's ignore lines with each path dependency's folder re-included where a line drops it
    (a library under ``tools/`` or ``tests/``), before the secret patterns, which stay last."""
    rules = DockerIgnore.parse("\n".join(e.pattern for e in entries))
    secrets = {s.pattern for s in SECRET_PATTERNS}
    at = next((i for i, e in enumerate(entries) if e.pattern in secrets), len(entries))
    added = tuple(
        IgnoreEntry("!" + ignore_line(folder), "a path dependency the builder builds, so it is re-included")
        for folder in folders
        if rules.excluded(folder)
    )
    return (*entries[:at], *added, *entries[at:])


def _context_value(found: WorkspaceFacts) -> str:
    if found.member.value == ".":
        return "the project"
    return f"{Path(found.context).name}/"


def _how(plan: BuildPlan) -> str:
    if plan.dockerfile_path == "Dockerfile":
        return ""
    return (
        f"; init writes {plan.dockerfile_path} and {plan.dockerignore_path} (read instead of the context's "
        f".dockerignore); build there with `docker build -f {plan.dockerfile_path} .` (or `dockwright build`)"
    )


def _backend_steps(member: str, use_uv: bool) -> tuple[Step, ...]:
    why = "the path dependencies' build backends, every hash verified, into the builder's interpreter"
    return (
        Step(
            "COPY",
            (prefixed(member, BUILD_LOCK), "./"),
            why="the build backends' lock alone: its layer caches",
        ),
        installer.system_install(BUILD_LOCK, why, use_uv=use_uv),
    )


DEPS_ROOT = "/deps-root"


def _wheel_steps(folders: tuple[str, ...]) -> tuple[Step, ...]:
    copies = tuple(
        Step("COPY", (folder, f"{DEPS_DIR}/{folder}"), why="a path dependency, after the dependency layers")
        for folder in folders
    )
    targets = " ".join(f"{DEPS_DIR}/{folder}" for folder in folders)
    return (
        *copies,
        Step(
            "RUN",
            (f"pip wheel --no-index --no-deps --no-build-isolation --wheel-dir /dist {targets}",),
            why="each path dependency as a wheel with its locked backend, offline (not editable)",
        ),
    )


def _install_step(compile_flag: str) -> Step:
    return Step(
        "RUN",
        (
            f"pip --python {VENV}/bin/python install --no-index --no-deps{compile_flag} "
            f"--root {DEPS_ROOT} /dist/*.whl",
        ),
        why=f"the path dependencies' wheels installed as into the venv but under {DEPS_ROOT}: their files "
        "alone, for the runtime (which has no pip); --no-deps, the lock has their dependencies",
    )


def _copy_step() -> Step:
    return Step(
        "COPY",
        (f"{DEPS_ROOT}/", "/"),
        flags=("--from=builder",),
        why="the path dependencies' files over the venv, after the locked ones: a library edit keeps the "
        "venv layer",
    )


# ------------------------------------------------------------------------------------------ relocation


def _relocate_step(step: Step, member: str) -> Step:
    """A step whose context paths (COPY sources, bind mounts of the context) were the app's folder's."""
    if step.instruction == "COPY" and not any(f.startswith("--from=") for f in step.flags):
        sources = tuple(prefixed(member, s) for s in step.args[:-1])
        return dataclasses.replace(step, args=(*sources, step.args[-1]))
    flags = []
    for flag in step.flags:
        if flag.startswith("--mount=type=bind,") and ",from=" not in flag:
            parts = [
                f"source={prefixed(member, p.removeprefix('source='))}" if p.startswith("source=") else p
                for p in flag.split(",")
            ]
            flag = ",".join(parts)
        flags.append(flag)
    return dataclasses.replace(step, flags=tuple(flags))


def _relocate(plan: BuildPlan, member: str) -> BuildPlan:
    lock = plan.lock
    lock = dataclasses.replace(
        lock,
        path=prefixed(member, lock.path),
        source=prefixed(member, lock.source) if lock.source else None,
        local_wheels=tuple(prefixed(member, f) for f in lock.local_wheels),
    )
    dockerfile = prefixed(member, "Dockerfile")
    ignore = prefixed(member, "Dockerfile.dockerignore")
    build = "Build in the folder holding the app and its path dependencies: DOCKER_BUILDKIT=1 docker build "
    build += f"-f {dockerfile} --build-arg VERSION=... --build-arg REVISION=... ."
    return dataclasses.replace(
        plan,
        lock=lock,
        builder_steps=tuple(_relocate_step(s, member) for s in plan.builder_steps),
        runtime_steps=tuple(_relocate_step(s, member) for s in plan.runtime_steps),
        side_stages=tuple(
            dataclasses.replace(s, steps=tuple(_relocate_step(t, member) for t in s.steps))
            for s in plan.side_stages
        ),
        files=tuple(dataclasses.replace(f, path=prefixed(member, f.path)) for f in plan.files),
        dockerfile_path=dockerfile,
        dockerignore_path=ignore,
        dockerignore=_ignore(plan, member),
        header=tuple(build if line.startswith("Build: ") else line for line in plan.header),
    )


def _ignore(plan: BuildPlan, member: str) -> tuple[IgnoreEntry, ...]:
    """Everything of the context out but the app and its path dependencies; inside the app, the app's
    own ignore lines (relative to the context); inside the folders, what is never needed."""
    found = local(plan.facts)
    assert found is not None
    entries: list[IgnoreEntry] = [
        IgnoreEntry("*", "the rest of the build context: only the app and its path dependencies"),
        IgnoreEntry("!" + ignore_line(member), "the app"),
        *(IgnoreEntry("!" + ignore_line(f.value), "a path dependency of the app") for f in found.copies),
    ]
    seen = {e.pattern for e in entries}

    def add(pattern: str, why: str) -> None:
        if pattern not in seen:
            seen.add(pattern)
            entries.append(IgnoreEntry(pattern, why))

    for copy in found.copies:
        for pattern, why in common.ALWAYS_IGNORE:
            add(pattern if pattern.startswith("**/") else f"{copy.value}/{pattern}", why)
    add(f"{member}/Dockerfile.dockerignore", "not needed inside the image")
    for entry in plan.dockerignore:
        negated = entry.pattern.startswith("!")
        pattern = entry.pattern.removeprefix("!")
        if not pattern.startswith("**/"):
            pattern = f"{member}/{pattern}"
        add(("!" if negated else "") + pattern, entry.why)
    return tuple(entries)
