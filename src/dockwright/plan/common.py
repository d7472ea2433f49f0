"""Pieces every strategy shares: the lock, labels and build args, the probe, the .dockerignore, tags.

Each helper returns values plus the :class:`Decision` that explains them, so a strategy is a short
composition of these and its own stage layout.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable
from pathlib import Path

from dockwright.dockerfile.ignore import DockerIgnore
from dockwright.errors import PlanError
from dockwright.lazy_re import lazy
from dockwright.plan import own_toolchain, probe_gate
from dockwright.plan.model import (
    AptPackage,
    BuildArg,
    Decision,
    EnvVar,
    GeneratedFile,
    Healthcheck,
    IgnoreEntry,
    Label,
    LockPlan,
    Step,
)
from dockwright.plan.strategies.base import PlanOptions
from dockwright.project import dep_sources, gitdeps, health_version, rye_lock
from dockwright.project.facts import Evidence, Fact, ProjectFacts, UvSelection
from dockwright.project.local_wheels import wheel_file
from dockwright.project.pkg_resources_users import setuptools_requirement
from dockwright.project.target import installs_on_target
from dockwright.project.tree import ProjectTree
from dockwright.project.unrequired_imports import requirements as library_requirements
from dockwright.project.unrequired_imports import rows as library_rows
from dockwright.safe_text import ignore_line
from dockwright.secrets import SECRET_PATTERNS, secret_match

TINI = "/usr/bin/tini"
PIP_CACHE = "/root/.cache/pip"
PIP_SECRET_ID = "pipconf"
PIP_SECRET_TARGET = "/root/.config/pip/pip.conf"
PIP_CACHE_MOUNT = f"--mount=type=cache,target={PIP_CACHE}"
PIP_SECRET_MOUNT = f"--mount=type=secret,id={PIP_SECRET_ID},target={PIP_SECRET_TARGET},required=false"
# credentials of the lock's own indexes: pip (and uv) read a netrc for the index's host
NETRC_SECRET_ID = "netrc"
NETRC_SECRET_TARGET = "/root/.netrc"
NETRC_SECRET_MOUNT = f"--mount=type=secret,id={NETRC_SECRET_ID},target={NETRC_SECRET_TARGET},required=false"


BUILDER_WORKDIR = "/src"


def local_wheels_mount(folder: str) -> str:
    """A read-only bind mount of a project folder (or wheel file) at the same relative place under the
    builder's workdir, where the lock's ``--find-links`` line (or ``./`` path) finds it; it is in no
    layer."""
    return f"--mount=type=bind,source={folder},target={BUILDER_WORKDIR}/{folder}"


def drop_local_wheels(lock: LockPlan) -> tuple[Step, ...]:
    """After the builder copies the whole source: remove the ``--find-links`` folders, so a step that
    packs the source folder (pex ``-D .``, shiv ``--site-packages .``) never packs the wheels."""
    if not lock.local_wheels:
        return ()
    folders = " ".join(f"./{folder}" for folder in lock.local_wheels)
    return (Step("RUN", (f"rm -rf {folders}",), why="the wheels were for the install only: not packed"),)


def lock_mounts(lock: LockPlan) -> tuple[str, ...]:
    """What installing ``lock`` needs whatever the installer: the netrc when the lock names its own
    indexes, and each local ``--find-links`` folder."""
    return (*((NETRC_SECRET_MOUNT,) if lock.indexes else ()), *map(local_wheels_mount, lock.local_wheels))


def pip_mounts(lock: LockPlan) -> tuple[str, ...]:
    """The pip cache, the private-index pip.conf (kept only where one is in play: plan/private_index.py)
    and :func:`lock_mounts`."""
    return (PIP_CACHE_MOUNT, PIP_SECRET_MOUNT, *lock_mounts(lock))


_CONVERTIBLE = {
    "poetry": "convert-poetry",
    "pdm": "convert-pdm",
    "pipenv": "convert-pipenv",
    "uv": "convert-uv",
}


def lock_plan(facts: ProjectFacts, options: PlanOptions) -> tuple[LockPlan, Decision]:
    """Which hash-locked file the builder installs from, and whether ``init`` must generate it; the
    indexes other than PyPI it installs from (see :func:`index_reason`)."""
    plan, decision = _lock_plan_with_adds(facts, options)
    constraints = facts.dependencies.constraints
    if constraints and plan.method == "uv-compile" and plan.source is not None:
        plan = dataclasses.replace(plan, constraints=tuple(e.detail for e in constraints))
        where = ", ".join(f"{e.detail} ({e.file}:{e.line})" for e in constraints)
        decision = dataclasses.replace(
            decision, reason=f"{decision.reason}; resolved under {where}, as pip installs"
        )
    local = facts.dependencies.local_wheels
    if local and not plan.empty:
        plan = dataclasses.replace(plan, local_wheels=tuple(e.detail for e in local))
        decision = dataclasses.replace(decision, reason=f"{decision.reason}; {_local_wheels_reason(local)}")
    indexes = facts.dependencies.indexes
    if not indexes or plan.empty:
        return plan, decision
    plan = dataclasses.replace(plan, indexes=indexes)
    return plan, dataclasses.replace(decision, reason=f"{decision.reason}; {index_reason(plan)}")


def _local_wheels_reason(local: tuple[Evidence, ...]) -> str:
    """Where the project's own wheels come from: its ``--find-links`` folders and the wheel files its
    requirements name by path, each with the line that names it."""
    folders = ", ".join(f"{e.detail} ({e.file}:{e.line})" for e in local if not wheel_file(e.detail))
    files = ", ".join(f"{e.detail} ({e.file}:{e.line})" for e in local if wheel_file(e.detail))
    said = [f"--find-links {folders}"] if folders else []
    said += [f"the project's wheel {files}, pinned by its sha256 in the lock"] if files else []
    return f"{' and '.join(said)}: bind-mounted for the install only, never copied into the runtime"


def index_reason(lock: LockPlan) -> str:
    """Why the lock names its indexes and how their credentials travel."""
    shown = []
    for index in lock.indexes:
        option = {"default": "--index-url", "extra": "--extra-index-url", "find-links": "--find-links"}
        what = f"{option[index.role]} {index.url}"
        if index.explicit:
            what += " (explicit: only its pinned packages; the lock's hashes pin their files)"
        shown.append(f"{what} [{index.evidence}]")
    where = "the generated lock names" if lock.generate else f"{lock.path} names"
    creds = sorted(
        {v for index in lock.indexes for v in re.findall(r"\$\{([A-Z0-9_]+)\}", index.login + index.password)}
    )
    secret = (
        f"credentials never enter the lock or a layer: the install step mounts BuildKit secret "
        f"'{NETRC_SECRET_ID}' ({NETRC_SECRET_TARGET}), which `dockwright build` writes from "
        + (", ".join(creds) if creds else "the index URL given to it")
        + " (or pass --secret id=netrc,src=~/.netrc)"
    )
    return f"{where} {'; '.join(shown)}; {secret}"


def _lock_plan_with_adds(facts: ProjectFacts, options: PlanOptions) -> tuple[LockPlan, Decision]:
    """When the start command needs a distribution the project does not depend on (a server), it is
    resolved against the lock's pins and appended, so the lock is always generated then."""
    plan, decision = _base_lock_plan(facts, options)
    adds = facts.app.adds.value
    if not adds:
        return plan, decision
    if plan.method == "existing":
        plan = LockPlan(own_lock_name(facts, options), True, plan.source, "existing", False)
    others = tuple(a for a in facts.app.adds_for_others if a in adds)
    plan = dataclasses.replace(plan, adds=tuple(adds), adds_for_others=others, empty=False, generate=True)
    if plan.method == "none":
        plan = dataclasses.replace(plan, method="uv-compile", source=None)
    reason = decision.reason if decision.choice != "none" else "the project declares no dependency"
    reason = f"{reason}; plus {_adds_words(tuple(adds))}, resolved against the same pins"
    _, cap, libraries = _split_adds(tuple(adds))
    if cap or libraries:
        named = ("pkg_resources", *(f"imports {m}" for m in _modules(libraries)))
        reason += "".join(
            f" ({e.detail})" for e in facts.app.adds.evidence if any(n in e.detail for n in named)
        )
    return plan, Decision("lock", plan.path, reason)


def _split_adds(adds: tuple[str, ...]) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    """The adds the start command needs, the setuptools cap a locked library importing pkg_resources
    needs (project/pkg_resources_users.py), and what a locked library importing another module it does
    not require needs (project/unrequired_imports.py): each is said with its own reason."""
    cap, libraries = setuptools_requirement(), library_requirements()
    return (
        tuple(a for a in adds if a != cap and a not in libraries),
        tuple(a for a in adds if a == cap),
        tuple(a for a in adds if a in libraries),
    )


def _modules(libraries: tuple[str, ...]) -> tuple[str, ...]:
    """The modules the table's rows import for these requirements (``six`` for ``six``)."""
    return tuple(dict.fromkeys(r.module for r in library_rows() if r.requirement in libraries))


def _adds_words(adds: tuple[str, ...]) -> str:
    start, cap, libraries = _split_adds(adds)
    words = [f"{', '.join(start)} for the start command"] if start else []
    words += [f"{c} for a locked dependency that imports pkg_resources" for c in cap]
    words += [f"{a} for a locked dependency that imports it without requiring it" for a in libraries]
    return " and ".join(words)


def uv_selection_reason(selection: UvSelection) -> str:
    """The lock decision's words for a uv.lock project's extras and groups (empty when none)."""
    out = ""
    for kind, facts in (("extra", selection.extras), ("group", selection.groups)):
        if facts:
            named = ", ".join(f"{f.value} ({f.evidence[0]})" if f.evidence else f.value for f in facts)
            out += f"; with the {kind}{'s' if len(facts) > 1 else ''} {named}"
    return out


def _includes(lock: str, read: tuple[str, ...]) -> tuple[str, ...]:
    """The files an existing hash-locked ``lock`` includes (``read``: the files its parse read, the lock
    first), those inside the project only."""
    after = read[read.index(lock) + 1 :] if lock in read else ()
    return tuple(f for f in after if not f.startswith(("/", "../")))


def _base_lock_plan(facts: ProjectFacts, options: PlanOptions) -> tuple[LockPlan, Decision]:
    deps = facts.dependencies
    manager = deps.manager.value
    name = own_lock_name(facts, options)
    empty = not deps.locked and not deps.declared and not deps.hashed_requirements and not deps.dynamic
    if deps.hashed_requirements:
        plan = LockPlan(deps.hashed_requirements, False, deps.hashed_requirements, "existing", False)
        plan = dataclasses.replace(plan, includes=_includes(deps.hashed_requirements, deps.input_files))
        reason = f"{deps.hashed_requirements} already pins every dependency with hashes"
        return plan, Decision("lock", deps.hashed_requirements, reason)
    if deps.lock_file and manager == "rye":
        return _rye_lock_plan(facts, options)
    if deps.lock_file and manager in _CONVERTIBLE:
        method = _CONVERTIBLE[manager]
        selection = deps.uv_selection
        plan = LockPlan(name, True, deps.lock_file, method, empty)
        reason = (
            f"{deps.lock_file} carries hashes; converted offline to a pip requirements file "
            f"(markers evaluated for Linux/CPython {_xy(facts)}, dev groups left out)"
        )
        if selection is not None:
            plan = dataclasses.replace(
                plan,
                extras=selection.extra_names,
                groups=selection.group_names,
                named_groups=selection.groups_declared,
            )
            reason += uv_selection_reason(selection)
        if deps.poetry_groups:
            named = ", ".join(f"{f.value} ({f.evidence[0]})" for f in deps.poetry_groups)
            reason += f"; with the Poetry group{'s' if len(deps.poetry_groups) > 1 else ''} {named}"
        return plan, Decision("lock", name, reason)
    source = _compile_source(facts)
    static = _static_requirements(facts, source)
    merged = merged_requirements(facts, source)
    empty = empty and not merged
    plan = LockPlan(
        name,
        not empty,
        source,
        "uv-compile" if not empty else "none",
        empty,
        requirements=static,
        merged=merged,
        merged_from=dep_sources.declaring_file(deps.uncovered),
        layers=tuple(f.value for f in deps.layers) if not empty else (),
    )
    if empty:
        return plan, Decision("lock", "none", "the project declares no third-party dependency")
    target = f"CPython {_xy(facts)} on x86_64 manylinux_2_36"
    if manager == "pip-tools":
        reason = (
            f"{source} is compiled from {deps.input_files[0]} and is the lock: `uv pip compile "
            f"--generate-hashes` adds hashes to its exact pins for {target} ({deps.input_files[0]} is never "
            "re-resolved)"
        )
    elif static:
        where = common_evidence(deps.declared_evidence)
        reason = (
            f"{len(static)} requirement(s) read statically from {where} (never executed), resolved with "
            f"`uv pip compile --generate-hashes` for {target}"
        )
    elif deps.dynamic is not None:
        reason = (
            f"{deps.dynamic}: `uv pip compile {source}` asks the build backend for the metadata "
            f"and resolves it for {target}"
        )
    else:
        reason = f"{source} has no hashes; `uv pip compile --generate-hashes` resolves it for {target}"
    if deps.layers:
        reason += "; " + layers_reason(deps.layers, source)
    if merged:
        reason += "; " + merged_reason(facts, source)
    elif dep_sources.app_list(facts, source):
        reason += (
            f"; chosen over pyproject.toml's {dep_sources.PROJECT_LABEL} (no build backend: the app's own "
            f"list, which `uv sync` and `uv run` install), which {source} covers: every name it declares is "
            "in the file"
        )
    return plan, Decision("lock", name, reason)


def own_lock_name(facts: ProjectFacts, options: PlanOptions) -> str:
    """The name of the lock dockwright writes: the configured one, unless Rye's lock has it (Rye's file
    is the project's, never replaced, also when another manager is chosen: project/rye_lock.py)."""
    deps = facts.dependencies
    others = (f.evidence[0].file for f in deps.alternatives if f.value == "rye" and f.evidence)
    rye = deps.lock_file if deps.manager.value == "rye" else next(others, None)
    return rye_lock.own_lock_name(options.lock_name, rye)


def _rye_lock_plan(facts: ProjectFacts, options: PlanOptions) -> tuple[LockPlan, Decision]:
    """Rye's ``requirements.lock`` without hashes: its pins (the project's own ``-e file:.`` line left
    out) are hashed for the target, none resolved again, into dockwright's lock under its own name."""
    deps = facts.dependencies
    source = deps.lock_file or rye_lock.RYE_LOCK
    pins = rye_lock.installed_lines(ProjectTree(Path(facts.root)), source)
    path = own_lock_name(facts, options)
    plan = LockPlan(path, bool(pins), source, "uv-compile" if pins else "none", not pins, requirements=pins)
    if not pins:
        return plan, Decision("lock", "none", f"{source} (Rye's lock) pins no third-party dependency")
    reason = (
        f"{source} is Rye's lock ({source}:1 # generated by rye) and pins the set: `uv pip compile "
        f"--generate-hashes` adds hashes to its exact pins for CPython {_xy(facts)} on x86_64 "
        f"manylinux_2_36 (none is resolved again; {rye_lock.RYE_DEV_LOCK} is never installed)"
    )
    if path != options.lock_name:
        reason += f"; written to {path}, since {source} is Rye's"
    return plan, Decision("lock", path, reason)


def layers_reason(layers: tuple[Fact[str], ...], source: str) -> str:
    """Why the lock resolves the files ``source`` is layered on with it, each with its evidence."""
    shown = "; ".join(f"{f.value} [{common_evidence(f.evidence)}]" for f in layers)
    return (
        f"with the file{'s' if len(layers) > 1 else ''} {source} is layered on, bottom first: {shown}; "
        "resolved together into one hash-locked set (development layers stay out)"
    )


def merged_requirements(facts: ProjectFacts, source: str) -> tuple[str, ...]:
    """The declared lines (``[project].dependencies``, ``install_requires``) the lock resolves beside the
    requirements file ``source``:
    those it leaves out, when the app is installed as a package (its wheel goes in with ``--no-deps``,
    so nothing else would install them); () otherwise (:func:`uncovered_warnings` names them)."""
    deps = facts.dependencies
    if not deps.uncovered or not source.endswith((".txt", ".in")):
        return ()
    runs_tree = not facts.layout.is_package.value and not dep_sources.app_list(facts, source)
    if runs_tree and not wheel_beside_tree(facts):
        return ()
    return dep_sources.lines(deps.uncovered)


def wheel_beside_tree(facts: ProjectFacts) -> bool:
    """The app runs from its tree, but its own console scripts, or the src/ layout's package it imports,
    come from its wheel, installed with ``--no-deps`` (the ``app-scripts`` decision): what the package
    declares is still the app's."""
    own = facts.app.own_scripts.value or facts.app.own_imports.value
    return bool(facts.layout.build_backend.value) and bool(own)


def merged_reason(facts: ProjectFacts, source: str) -> str:
    found = dep_sources.named_with_lines(facts.dependencies.uncovered)
    label = dep_sources.label_of(facts.dependencies.uncovered)
    if dep_sources.app_list(facts, source):
        why = (
            f"pyproject.toml has no build backend, so its {label} is the app's own list (what `uv sync` "
            f"and `uv run` install), and {source}, chosen over it (the file the project deploys with), is "
            "missing them"
        )
    elif not facts.layout.is_package.value:
        why = (
            f"the app runs from its tree ({common_evidence(facts.layout.is_package.evidence)}) but its "
            "console scripts come from its wheel, which goes in with --no-deps"
        )
    else:
        why = (
            f"the app is installed as a package ({common_evidence(facts.layout.is_package.evidence)}), whose "
            "wheel goes in with --no-deps"
        )
    return (
        f"with {found}: {label} declares them and {source} leaves them out; {why}, so they are resolved "
        f"together with {source} (its pins kept), never dropped"
    )


def uncovered_warnings(facts: ProjectFacts, lock: LockPlan) -> list[str]:
    """The warnings a plan carries when the package's declaration (``[project].dependencies``,
    ``install_requires``) names what the requirements file leaves out and the lock does not take them in
    (the app is not installed as a package), and for each exact pin of the file one of its ranges
    refuses (project/dep_sources.py)."""
    deps = facts.dependencies
    warnings = [_conflict_warning(c, facts) for c in deps.range_conflicts]
    unread = _unread_warning(facts, lock)
    if unread:
        warnings.append(unread)
    if not deps.uncovered or lock.merged or lock.source is None or not lock.source.endswith((".txt", ".in")):
        return warnings
    found = dep_sources.named_with_lines(deps.uncovered)
    label = dep_sources.label_of(deps.uncovered)
    if lock.method == "existing":
        why = f"{lock.source} is hash-locked and installed as it is"
    else:
        why = f"the app is not installed as a package ({common_evidence(facts.layout.is_package.evidence)})"
    return [
        *warnings,
        f"{label} declares {found}, which {lock.source} leaves out: {why}, so the image "
        f"has none of them; add them to {lock.source} if the app imports them",
    ]


def _unread_warning(facts: ProjectFacts, lock: LockPlan) -> str | None:
    """The warning of a package declaration only running code tells (a computed ``install_requires``)
    beside the requirements file the lock comes from, when the app is installed as a package."""
    unread = facts.dependencies.declared_unread
    source = lock.source
    if unread is None or source is None or not source.endswith((".txt", ".in")):
        return None
    if not facts.layout.is_package.value:
        return None  # the app runs from its tree: its declaration is never installed
    where = f"{unread.file}:{unread.line}" if unread.line else unread.file
    return (
        f"{where} install_requires is computed by code, so it could not be read (only running "
        f"{unread.file} tells) nor compared with {source}: the app's wheel goes in with --no-deps, so a "
        f"dependency it declares that {source} leaves out would be missing from the image; name them all "
        f"in {source}, or write install_requires as a list (or read it from {source})"
    )


def _conflict_warning(conflict: Fact[str], facts: ProjectFacts) -> str:
    pinned = conflict.evidence[0]
    where = dep_sources.where(pinned)
    installed = (
        "the app's wheel goes in with --no-deps, so nothing checks it; `pip check` in the image reports it"
        if facts.layout.is_package.value
        else "the app runs from its tree, so nothing checks it"
    )
    return (
        f"{dep_sources.conflict_text(conflict)}: the image installs the pin as {pinned.file} says "
        f"({installed}); change {where} or the range"
    )


def common_evidence(evidence: Iterable[object]) -> str:
    return ", ".join(str(e) for e in evidence) or "the project's declaration"


def _static_requirements(facts: ProjectFacts, source: str) -> tuple[str, ...]:
    """Requirement lines to resolve from stdin when ``source`` is code (setup.py) or a TOML table."""
    deps = facts.dependencies
    if deps.dynamic is None and deps.declared_evidence and not source.endswith((".txt", ".in")):
        return deps.declared
    return ()


BUILD_LINE = "Build: "  # how the header's build command line starts


def header(strategy: str, notes: Iterable[str]) -> tuple[str, ...]:
    """The Dockerfile's opening comment: who wrote it, the strategy's ``notes``, how to build it."""
    return (
        f"Generated by dockwright (strategy: {strategy}) - review, commit, and regenerate with "
        "`dockwright init --force`.",
        *notes,
        f"{BUILD_LINE}DOCKER_BUILDKIT=1 docker build --build-arg VERSION=... --build-arg REVISION=... "
        "--build-arg CREATED=... .",
    )


LOCKED_SET_WHY = (
    "every hash verified, wheels built once; --no-deps: the lock is the complete set (pip rejects extras "
    "of dependencies under --require-hashes, pypa/pip#9644)"
)


def version_arg(facts: ProjectFacts) -> str:
    """``VERSION="X.Y.Z"``: an SCM backend's version with the label's default. Without one, a build that
    passes no --build-arg hands the backend an empty version, which setuptools-scm ignores: it then
    looks for .git, which the context leaves out, and the wheel build fails."""
    return f'VERSION="{facts.metadata.version.value or "0"}"'


# the files setuptools' package data comes from when its SCM file finder has no .git: every file of the
# build context (the wheel keeps those inside its packages), bytecode left out
MANIFEST_ALL = "printf 'graft .\\nglobal-exclude *.py[cod]\\n' > MANIFEST.in && "


def scm_version(facts: ProjectFacts) -> tuple[tuple[Step, ...], str, Decision | None]:
    """Builder ARG + command prefix handing an SCM-versioned backend the VERSION build arg; a
    MANIFEST.in written first when setuptools would take the package data from git (``scm_file_finder``)."""
    steps, prefix, decision = _scm_version(facts)
    finder = facts.layout.scm_file_finder
    if finder is None:
        return steps, prefix, decision
    why = (
        f"{finder}; the context has no .git, so the wheel stage writes a MANIFEST.in listing the context's "
        "files (graft .): the wheel keeps the package data (templates, static files) git would have listed"
    )
    data = Decision("package-data", "MANIFEST.in (graft .)", why)
    return (
        steps,
        MANIFEST_ALL + prefix,
        data if decision is None else dataclasses.replace(decision, reason=f"{decision.reason}; {why}"),
    )


def _scm_version(facts: ProjectFacts) -> tuple[tuple[Step, ...], str, Decision | None]:
    versioneer = facts.layout.versioneer_file
    if versioneer is not None and (
        facts.layout.scm_version_env is None or facts.layout.scm_version_env.value is None
    ):
        return _versioneer_version(facts, versioneer.value, versioneer.evidence)
    scm = facts.layout.scm_version_env
    if scm is None or scm.value is None:
        return (), "", None
    var = scm.value
    step = Step(
        "ARG",
        (version_arg(facts),),
        why=f"the build backend reads its version from git, and .git is not in the context: {var} hands it "
        "(default: the version init derived, so a plain `docker build .` builds too)",
    )
    reason = (
        f"{evidence_text(scm.evidence)}; the VERSION build arg (the version dockwright derives from git, "
        f"{facts.metadata.version.value}) is passed as {var}, never by copying .git"
    )
    prefix = f'{var}="${{VERSION}}" '
    steps: tuple[Step, ...] = (step,)
    commit = facts.layout.scm_commit_hash
    if commit is not None:
        steps += (
            Step(
                "ARG",
                ('REVISION=""',),
                why="hatch-vcs fills {commit_hash} in the project URLs from git, which the builder has not: "
                f"the builder's copy of {commit.value} gets the REVISION build arg (HEAD when none is given)",
            ),
        )
        prefix = f'sed -i "s/{{commit_hash}}/${{REVISION:-HEAD}}/g" {commit.value} && {prefix}'
        reason += f"; {evidence_text(commit.evidence)}: filled from the REVISION build arg"
    return steps, prefix, Decision("scm-version", var, reason)


def _versioneer_version(
    facts: ProjectFacts, path: str, evidence: tuple[Evidence, ...]
) -> tuple[tuple[Step, ...], str, Decision]:
    """versioneer has no pretend-version variable: its own ``write_to_version_file`` writes the short
    ``_version.py`` (what an sdist ships) from the VERSION build arg, and ``get_versions()`` reads it."""
    step = Step(
        "ARG",
        (version_arg(facts),),
        why=f"versioneer reads its version from git, and .git is not in the context: {path} is written "
        "from it (default: the version init derived, so a plain `docker build .` builds too)",
    )
    versions = (
        "{'version': '${VERSION}', 'full-revisionid': None, 'dirty': False, 'error': None, 'date': None}"
    )
    prefix = f"python -c \"import versioneer; versioneer.write_to_version_file('{path}', {versions})\" && "
    reason = (
        f"{evidence_text(evidence)}; without .git versioneer would build version 0+unknown: the builder "
        f"writes {path} with versioneer's own write_to_version_file from the VERSION build arg (the version "
        f"dockwright derives from git, {facts.metadata.version.value}), never by copying .git"
    )
    return (step,), prefix, Decision("scm-version", f"versioneer {path}", reason)


def lock_files(lock: LockPlan) -> tuple[GeneratedFile, ...]:
    """The lock ``init`` writes, when the plan generates one."""
    if not lock.generate:
        return ()
    why = f"hash-locked requirements converted from {lock.source} ({lock.method})"
    if lock.adds:
        why += f", plus {_adds_words(lock.adds)}"
    return (GeneratedFile(lock.path, "lock", why),)


def copy_lock(lock: LockPlan) -> tuple[Step, ...]:
    """The lock alone first (its layer caches), with the files it includes at their own paths (an
    existing ``requirements.txt`` of ``-r requirements/prod.txt``: the install reads them)."""
    included = tuple(
        Step("COPY", (path, f"./{path}"), why=f"{lock.path} includes it (-r/-c): the install reads it")
        for path in lock.includes
    )
    return (Step("COPY", (lock.path, "./"), why="the lock alone first: its layer caches"), *included)


def build_wheels(lock: LockPlan, wheels: str = "/wheels") -> tuple[Step, ...]:
    """Builder steps: the lock alone, then a wheel of every dependency with each hash verified."""
    if lock.empty:
        return ()
    return (
        *copy_lock(lock),
        Step(
            "RUN",
            (f"pip wheel --require-hashes --no-deps --wheel-dir {wheels} -r {lock.path}",),
            flags=pip_mounts(lock),
            why=LOCKED_SET_WHY,
        ),
    )


def unpinned_python(facts: ProjectFacts) -> str | None:
    """Why the project's Python cannot be pinned to an X.Y.Z image tag, or None when it can."""
    version = facts.python.version.value
    if not version or version.count(".") != 2:
        return f"no concrete Python version to pin (got {version!r}); give --python X.Y.Z"
    return None


def lock_warnings(lock: LockPlan) -> list[str]:
    """The warning a plan carries when ``init`` resolves a new lock against the index."""
    if lock.adds:
        start, cap, libraries = _split_adds(lock.adds)
        # `gunicorn<26`: a release the start needs, whether or not the project depends on gunicorn
        bounded = tuple(a for a in start if re.search(r"[<>=!~]", a))
        # `kombu[redis]`: what the extra installs, whether or not the project depends on kombu
        extras = tuple(a for a in start if "[" in a and a not in bounded)
        start = tuple(a for a in start if a not in bounded and a not in extras)
        said = [
            f"{', '.join(start)} added to {lock.path}: the start command needs it and the project does "
            "not depend on it; add it to the project's dependencies to make that explicit"
        ][: bool(start)]
        said += [
            f"{b} added to {lock.path}: the start command needs that release (the plan's start names "
            "why); add it to the project's dependencies to make that explicit"
            for b in bounded
        ]
        said += [
            f"{', '.join(extras)} added to {lock.path}: the start command needs what "
            f"{'that extra installs' if len(extras) == 1 else 'those extras install'} (the plan's start "
            f"names why); add {'it' if len(extras) == 1 else 'them'} to the project's dependencies to make "
            "that explicit"
        ][: bool(extras)]
        said += [
            f"{c} added to {lock.path}: a locked dependency imports pkg_resources and does not require "
            "setuptools (the lock decision names it); add it to the project's dependencies to make that "
            "explicit"
            for c in cap
        ]
        said += [
            f"{a} added to {lock.path}: a locked dependency imports {', '.join(_modules((a,)))} and does not "
            f"require {a} (the lock decision names it); add it to the project's dependencies to make that "
            "explicit"
            for a in libraries
        ]
        return said
    if lock.generate and lock.source and lock.method == "uv-compile":
        return [
            f"{lock.path} will be generated from {lock.source} by resolving against the index; "
            "commit it and regenerate (`dockwright init --force`) when dependencies change"
        ]
    return []


def _compile_source(facts: ProjectFacts) -> str:
    deps = facts.dependencies
    if deps.manager.value == "pip-tools" and len(deps.input_files) > 1:
        return deps.input_files[1]  # the compiled .txt (input_files = [.in, .txt, its includes...])
    if deps.manager.value == "setuppy" or deps.dynamic is not None:
        for name in ("setup.py", "pyproject.toml", "setup.cfg"):
            if name in deps.input_files:
                return name
    for name in deps.input_files:
        if name.endswith((".in", ".txt")):
            return name
    for name in deps.input_files:
        if name.endswith(("pyproject.toml", "setup.py", "setup.cfg")):
            return name
    return deps.input_files[0] if deps.input_files else "pyproject.toml"


def _xy(facts: ProjectFacts) -> str:
    return ".".join(facts.python.version.value.split(".")[:2])


def build_args(facts: ProjectFacts) -> tuple[BuildArg, ...]:
    """VERSION, REVISION, CREATED (the names the build step feeds; fixed) and SOURCE."""
    meta = facts.metadata
    return (
        BuildArg("VERSION", meta.version.value or "0", "image version label; the build feeds the project's"),
        # Never the detected commit: a committed Dockerfile must not carry a revision that goes stale.
        BuildArg("REVISION", "unknown", "VCS revision label; the build feeds git HEAD"),
        BuildArg("CREATED", "unknown", "build date label (RFC 3339); the build feeds the current time"),
        BuildArg(
            "SOURCE",
            meta.source_url.value or "unknown",
            "source repository label; from project URLs or the git remote, overridable",
        ),
    )


def labels(facts: ProjectFacts) -> tuple[Label, ...]:
    meta = facts.metadata
    out = [
        Label("org.opencontainers.image.title", meta.name.value),
        Label("org.opencontainers.image.version", "${VERSION}"),
        Label("org.opencontainers.image.revision", "${REVISION}"),
        Label("org.opencontainers.image.created", "${CREATED}"),
    ]
    out.append(Label("org.opencontainers.image.source", "${SOURCE}"))
    description = meta.description.value or f"{meta.name.value}, a Python application"
    out.append(Label("org.opencontainers.image.description", _one_line(description)))
    return tuple(out)


def _one_line(text: str) -> str:
    return " ".join(text.split())[:200]


_NAME_RUN = lazy(r"[^a-z0-9._-]+")  # what an image name may not hold
_TAG_RUN = lazy(r"[^A-Za-z0-9_.-]+")  # what a tag may not hold


def image_name(facts: ProjectFacts, options: PlanOptions) -> str:
    if options.image_name:
        return options.image_name
    name = _NAME_RUN.sub("-", facts.metadata.name.value.lower()).strip("-._") or "app"
    version = _TAG_RUN.sub("-", facts.metadata.version.value or "latest")[:128]
    return f"{name}:{version or 'latest'}"


STATIC_PROBE = "/usr/local/bin/healthcheck"
STATIC_PROBE_SOURCE = ".dockwright/healthcheck.c"


def healthcheck(
    facts: ProjectFacts, prober: str = "python", start: tuple[str, ...] = ()
) -> tuple[Healthcheck | None, str, Decision]:
    """An exec-form probe for web apps (HTTP when there is a health path, else TCP).

    ``prober`` is the interpreter that runs a Python one-liner (``python``, ``python3``), or
    ``static`` for dockwright's static C probe (images with neither shell nor interpreter).
    ``start`` is the command the image's CMD runs as written (the strategies that run the app's own
    start): when the project runs other processes from the same image, the probe asks only when PID 1
    runs that start (plan/probe_gate.py).
    """
    probe, reason, decision = _probe(facts, prober)
    others = facts.app.other_commands
    if probe is None or not others:
        return probe, reason, decision
    names = ", ".join(p.split(":", 1)[0] for p in facts.app.other_processes)
    gate = probe_gate.gate(start, others) if start and prober != "static" else None
    if gate is None:
        why = (
            "their commands are inside the web start's"
            if start and prober != "static"
            else "this probe cannot read which process runs"
        )
        reason += (
            f"; the image also runs {names}, where this probe fails ({why}): give those "
            "`healthcheck: disable: true` in compose, or their own probe"
        )
        return probe, reason, decision
    shown = " or ".join(f"`{' '.join(o)}`" for o in gate.others)
    web = f" and not `{' '.join(gate.web)}`" if gate.web else ""
    argv = (*probe.argv[:2], probe_gate.gate_code(gate) + probe.argv[2])
    many = len(facts.app.other_processes) > 1
    serve, them = ("serve", "them") if many else ("serves", "it")
    reason += (
        f"; it passes without asking when PID 1's command holds {shown}{web}: the image also runs "
        f"{names}, which {serve} no port (give {them} a `healthcheck:` in compose to check {them}); the "
        "web start and any other command are asked"
    )
    if gate.unknown:
        reason += f" (so is {'; '.join(gate.unknown)}, whose words are inside the web start's)"
    decision = Decision(
        decision.topic,
        f"{decision.choice} unless {' or '.join(' '.join(o) for o in gate.others)} runs",
        reason,
    )
    return dataclasses.replace(probe, argv=argv), reason, decision


def _probe(facts: ProjectFacts, prober: str) -> tuple[Healthcheck | None, str, Decision]:
    app = facts.app
    kind = app.kind.value
    port = app.port.value
    if kind != "web":
        reason = f"a {kind} app listens on no port, so there is nothing for a probe to ask"
        return None, reason, Decision("healthcheck", "none", reason)
    if port is None:
        reason = "the web app's port is unknown (give --port), so no probe can be written"
        return None, reason, Decision("healthcheck", "none", reason)
    slow = app.framework.value in {"django", "streamlit"}
    timings = {"interval": "30s", "timeout": "5s", "retries": 3, "start_period": "30s" if slow else "15s"}
    path = app.health_path.value
    static = prober == "static"
    # a `$PORT` start command listens where the platform's PORT says: the probe reads it the same way
    reads_port = any(e.name == "PORT" for e in app.env)
    port_text = f"os.environ.get('PORT', '{port}')" if reads_port else f"'{port}'"
    imports = "import os, " if reads_port else "import "
    where = " (or $PORT, as the start command)" if reads_port else ""
    # the static probe is one fixed program: told to read PORT by its arguments
    static_argv = (STATIC_PROBE, "--port-env", "PORT") if reads_port else (STATIC_PROBE,)
    if path and app.framework.value == "grpc":  # the gRPC health service's method, not an HTTP path
        if not static:
            return _grpc_probe(port_text, imports, where, timings, prober)
        path = None  # the static probe speaks HTTP/1 and TCP only
    if path:
        if static:
            argv: tuple[str, ...] = (*static_argv, "http", str(port), path)
            reason = (
                f"HTTP GET {path} with dockwright's static C probe ({STATIC_PROBE_SOURCE}, built in the "
                f"builder){where}: the image has no shell and no interpreter; non-2xx/3xx fails"
            )
        else:
            url = (
                f"'http://127.0.0.1:' + {port_text} + '{path}'"
                if reads_port
                else f"'http://127.0.0.1:{port}{path}'"
            )
            argv = (prober, "-c", _http_probe_code(imports, url))
            reason = (
                f"HTTP GET {path} with Python's urllib (the image has no HTTP client){where}; 4xx/5xx fail, "
                "a 3xx passes unfollowed, as the static probe judges (a redirect to https, e.g. Django's "
                "SECURE_SSL_REDIRECT, cannot be followed on the plain-HTTP port)"
            )
        older = health_version.older_release(app)
        if older:  # the path of the framework release the lock pins, not the current one's
            reason += f"; {older}"
        probe = Healthcheck(argv, kind="http", **timings)  # type: ignore[arg-type]
        return probe, reason, Decision("healthcheck", f"http {path}", reason)
    if static:
        argv = (*static_argv, "tcp", str(port))
        reason = (
            f"no health endpoint found, so a TCP connect to port {port}{where} by dockwright's static C probe"
        )
    else:
        target = f"int({port_text})" if reads_port else str(port)
        code = f"{imports}socket; socket.create_connection(('127.0.0.1', {target}), timeout=4).close()"
        argv = (prober, "-c", code)
        reason = f"no health endpoint found, so a TCP connect to port {port}{where} written in Python"
    probe = Healthcheck(argv, kind="tcp", **timings)  # type: ignore[arg-type]
    return probe, reason, Decision("healthcheck", f"tcp {port}", reason)


def _http_probe_code(imports: str, url: str) -> str:
    """Python that GETs ``url`` and exits 1 on a 4xx/5xx answer, 0 on any other: urllib's error processor
    is replaced by one that hands every answer back, so a 3xx is neither an error nor followed."""
    opener = "u.build_opener(type('Answer', (u.HTTPErrorProcessor,), {'http_response': lambda s, q, r: r}))"
    return f"{imports}urllib.request as u; raise SystemExit({opener}.open({url}, timeout=4).status >= 400)"


def _grpc_probe(
    port_text: str, imports: str, where: str, timings: dict[str, object], prober: str
) -> tuple[Healthcheck, str, Decision]:
    """A gRPC server that registers the standard health service: its Check method, called with the
    app's own grpc and grpcio-health-checking (an HTTP probe cannot speak gRPC's HTTP/2 framing)."""
    target = f"'127.0.0.1:' + {port_text}"
    code = (
        f"{imports}grpc; from grpc_health.v1 import health_pb2 as h, health_pb2_grpc as g; "
        f"r = g.HealthStub(grpc.insecure_channel({target})).Check(h.HealthCheckRequest(), timeout=4); "
        "raise SystemExit(r.status != h.HealthCheckResponse.SERVING)"
    )
    reason = (
        f"gRPC health check (grpc.health.v1.Health/Check){where} with the app's grpc: the server registers "
        "the standard health service; anything but SERVING fails "
        "(https://github.com/grpc/grpc/blob/master/doc/health-checking.md)"
    )
    probe = Healthcheck((prober, "-c", code), kind="grpc", **timings)  # type: ignore[arg-type]
    return probe, reason, Decision("healthcheck", "grpc health", reason)


APT_LISTS = "rm -rf /var/lib/apt/lists/*"
# Not every base image carries Debian's docker-clean hook: clean the .deb archive and pkgcache explicitly.
APT_CLEAN = "apt-get clean"
# What apt/dpkg write that records the build's time (logs) or inode times (ldconfig's cache, rebuilt on
# demand): dropped wherever the layer reaches the image, so two builds of one commit match (#16).
APT_DATED = "rm -rf /var/log/apt/* /var/log/dpkg.log /var/log/alternatives.log /var/cache/ldconfig/aux-cache"

PYTHON_HEADERS = AptPackage(
    "libpython3-dev",
    "Python.h for C extensions when the interpreter is Debian's (python:X.Y.Z-slim images already ship "
    "their own headers, so there it is unused but harmless; builder stage only)",
)
"""Added to the builder whenever something compiles, so the same Dockerfile builds on the official
image and on a Debian-python stand-in (whose headers live in libpython3.11-dev)."""


def apt_install(packages: Iterable[AptPackage]) -> tuple[str, ...]:
    names = " ".join(p.name for p in packages)
    return ("apt-get update", f"apt-get install -y --no-install-recommends {names}", APT_CLEAN, APT_LISTS)


PIP_NO_INPUT_ENV = EnvVar(
    "PIP_NO_INPUT",
    "1",
    "pip never prompts: an index that wants credentials it was not given fails with pip's own 401 "
    "error instead of an EOFError from a prompt no one can answer",
)

NO_DEBUG_INFO_ENV = (
    EnvVar(
        "CFLAGS",
        "-g0",
        "extensions compiled here carry no debug info (Python's sysconfig adds -g: psycopg2's .so is "
        "1.1 MB with it, 0.43 MB with -g0); downloaded wheels are untouched. A wheel pip already built "
        "into its cache is reused as it was",
    ),
)
"""Builder ENV when something compiles from source (after sysconfig's flags, so -g0 wins over -g)."""


NO_PRECONFIGURE = "/tmp/apt-no-preconfigure.conf"


def runtime_apt_install(packages: Iterable[AptPackage]) -> tuple[str, ...]:
    """``apt_install`` for a runtime stage: without apt's debconf pre-configuration hook.

    Debian's ``70debconf`` runs ``dpkg-preconfigure --apt`` before every install; it opens debconf's
    template database read-write, so the layer gets a whole copy of ``templates.dat`` (~800 kB on a
    slim base) that dive counts as wasted twice. A non-interactive install has nothing to
    pre-configure (a package that asks questions still does so from its own maintainer scripts), so
    an apt config file passed with ``-c`` clears the hook for this one command, then goes. apt's dated
    logs and ldconfig's cache go too (:data:`APT_DATED`): two builds of one commit get one layer.
    """
    names = " ".join(p.name for p in packages)
    return (
        "apt-get update",
        f"printf '#clear DPkg::Pre-Install-Pkgs;\\n' > {NO_PRECONFIGURE}",
        f"apt-get -c {NO_PRECONFIGURE} install -y --no-install-recommends {names}",
        APT_CLEAN,
        APT_DATED,
        f"{APT_LISTS} {NO_PRECONFIGURE}",
    )


def compile_toolchain(facts: ProjectFacts) -> tuple[list[AptPackage], str, Decision]:
    """Builder packages for what compiles from source: dependencies without a wheel for the target
    (compiler, headers, -dev libraries) and the project's own extensions (``plan/own_toolchain``).

    Returns the packages (empty when nothing compiles), who needs them, and the decision.
    """
    compiling = [n for n in facts.native if n.compiles]
    # a git package whose commit builds with a pure-Python backend only (read by init) compiles nothing
    pure = {d.name for d in facts.dependencies.git if gitdeps.pure_built(d)}
    unknown_sdists = sorted(
        p.name
        for p in facts.dependencies.locked
        if p.has_wheel_for_target is False
        and p.name not in {n.package for n in facts.native}
        and p.name not in pure
        and installs_on_target(p, facts.python.version.value)
    )
    own = own_toolchain.own_packages(facts)
    if not compiling and not unknown_sdists and not own:
        reason = (
            "every dependency has a wheel for the target and the project compiles nothing, so no compiler"
        )
        return [], "", Decision("toolchain", "none", reason)
    who = ", ".join(
        [n.package for n in compiling] + unknown_sdists + ([own_toolchain.own_summary(facts)] if own else [])
    )
    builder_apt: list[AptPackage] = []
    if compiling or unknown_sdists:
        builder_apt.append(AptPackage("build-essential", f"C compiler for {who} (no wheel for the target)"))
    for pkg in own:
        if pkg.name not in {a.name for a in builder_apt}:
            builder_apt.append(pkg)
    builder_apt.append(PYTHON_HEADERS)
    for need in compiling:
        for name in need.build_apt:
            if name not in {a.name for a in builder_apt}:
                builder_apt.append(AptPackage(name, f"headers to build {need.package} ({need.source})"))
    evidence = [str(e) for n in facts.own_native for e in n.evidence]
    decision = Decision(
        "toolchain",
        "builder: " + " ".join(a.name for a in builder_apt),
        f"{who} must compile from source; compilers stay in the builder stage only"
        + (f" (from {', '.join(evidence)})" if evidence else ""),
    )
    return builder_apt, who, decision


def evidence_text(evidence: tuple[object, ...]) -> str:
    return "from " + ", ".join(str(e) for e in evidence) if evidence else "detected"


ALWAYS_IGNORE: tuple[tuple[str, str], ...] = (
    (".git", "version control history is not part of the image"),
    (".hg", "version control history is not part of the image"),
    (".svn", "version control history is not part of the image"),
    (".venv", "a local virtualenv is host-specific; the image installs its own dependencies"),
    ("venv", "a local virtualenv is host-specific; the image installs its own dependencies"),
    ("**/__pycache__", "bytecode caches are host-specific"),
    ("**/*.py[cod]", "bytecode caches are host-specific"),
    (".pytest_cache", "tool cache"),
    (".mypy_cache", "tool cache"),
    (".ruff_cache", "tool cache"),
    (".hypothesis", "tool cache"),
    (".tox", "test environments"),
    (".nox", "test environments"),
    (".coverage", "coverage data"),
    ("htmlcov", "coverage report"),
    ("build", "stale build output; the builder builds afresh"),
    ("dist", "stale build output; the builder builds afresh"),
    ("**/*.egg-info", "stale build metadata; the builder builds afresh"),
    (".idea", "editor settings"),
    (".vscode", "editor settings"),
    ("**/.DS_Store", "desktop metadata"),
    ("**/*.swp", "editor swap files"),
    ("**/.*.tmp", "temporaries of an interrupted write"),
    (".dockwright", "dockwright's build inputs (tool pins, probe source): re-included only where COPYed"),
    ("Dockerfile", "not needed inside the image; changing it should not bust the source layer cache"),
    (".dockerignore", "not needed inside the image"),
)


SECRETS_WHY = (
    "secrets at any depth (dockwright.secrets: dotenv, keys, tokens); last, so nothing re-admits them"
)


def dockerignore(
    facts: ProjectFacts, options: PlanOptions, needed: Iterable[str]
) -> tuple[tuple[IgnoreEntry, ...], Decision]:
    """A .dockerignore for this project; ``needed`` are files the build reads (re-included if matched)."""
    layout = facts.layout
    entries: list[IgnoreEntry] = []
    seen: set[str] = set()

    def add(pattern: str, why: str) -> None:
        if pattern not in seen:
            seen.add(pattern)
            entries.append(IgnoreEntry(pattern, why))

    # what a clone lacks (the developer's local files), first: every line below wins over its re-includes
    # of tracked files (a venv, tests, docs stay out)
    for ignored in layout.git_ignored:
        add(ignored.value, str(ignored.evidence[0]))
    for pattern, why in ALWAYS_IGNORE:
        add(pattern, why)
    for venv in layout.venv_dirs:
        add(venv.strip("/"), "a virtualenv (holds pyvenv.cfg); the image installs its own dependencies")
    if "node_modules" in layout.present_dirs:
        add("node_modules", "front-end dependencies are not used by the Python image")
    if ".nicegui" in layout.present_dirs:
        # https://nicegui.io/documentation/storage: storage-user-*.json holds browser sessions' data
        add(".nicegui", "NiceGUI's storage from a developer's runs (sessions' data); the app writes its own")
    kept: list[str] = []
    if not options.include_tests:
        for tests in layout.tests_dirs:
            add(tests.strip("/"), "tests are not run inside the production image")
    else:
        kept.extend(layout.tests_dirs)
    if not options.include_docs:
        for docs in layout.docs_dirs:
            add(docs.strip("/"), "documentation is not needed at run time")
    else:
        kept.extend(layout.docs_dirs)

    rules = DockerIgnore.parse("\n".join(e.pattern for e in entries))
    needed = set(needed)
    for path in sorted(needed):
        secret = secret_match(path)
        if secret is not None:
            raise PlanError(
                f"the build would copy {path}, which matches the secret pattern {secret.pattern} "
                f"({secret.reason}); rename it or keep it out of the project"
            )
        if rules.excluded(path):
            add("!" + ignore_line(path), "the build reads this file, so it is re-included")
    readmitted = []
    state = [f for f in layout.local_state if f.value.lstrip("!") not in needed]
    local = {f.value for f in state if not f.value.startswith("!")}
    for read in layout.data_reads:
        if (
            secret_match(read.detail) is None
            and rules.excluded(read.detail)
            and read.detail not in needed
            and ignore_line(read.detail) not in local
        ):
            where = f"{read.file}:{read.line}" if read.line else read.file
            add("!" + ignore_line(read.detail), f"{where} reads it, so it is re-included")
            readmitted.append(f"{read.detail} ({where})")
    # The developer's local state after those re-includes: the settings naming a database file or an
    # upload folder are no reason to ship its rows or users' files (project/local_state.py)
    for fact in state:  # last, so each wins over the lines above (an earlier same line moves here)
        entries[:] = [e for e in entries if e.pattern != fact.value]
        seen.discard(fact.value)
        add(fact.value, str(fact.evidence[0]))
    # Secrets come last: the last matching line wins, so no re-include above can re-admit one.
    for secret in SECRET_PATTERNS:
        add(secret.pattern, SECRETS_WHY)
    opened = {read.detail for read in layout.data_reads}  # a file the code opens stays (it needs it)
    held = [e for e in layout.secret_files if e.file not in needed and e.file not in opened]
    for evidence in held:  # the repository's descriptors holding one (project/secret_files.py)
        add(ignore_line(evidence.file), f"{evidence}: the image never reads it, and no layer may carry it")
    for evidence in layout.public_certificates:  # certificates only, checked by content: no secret
        add("!" + ignore_line(evidence.file), f"{evidence}: public, so it stays (after the secret patterns)")

    reason = "excludes VCS, virtualenvs, caches, secrets at any depth (.env, keys, tokens), build output"
    if layout.tests_dirs and not options.include_tests:
        reason += ", tests"
    if layout.docs_dirs and not options.include_docs:
        reason += ", docs"
    listed = [f for f in layout.git_ignored if not f.value.startswith("!")]
    if listed:
        reason += f", what .gitignore lists ({len(listed)} patterns: a clone has none of it)"
    reason += "; never a file the build reads"
    if held:
        reason += f"; left out because they hold a secret: {', '.join(str(e) for e in held)}"
    if readmitted:
        reason += f"; re-included because the code or the build reads them: {', '.join(readmitted)}"
    if local:
        reason += (
            f"; left out as the developer's local state (databases, uploads): {', '.join(sorted(local))}"
        )
    return tuple(entries), Decision("dockerignore", f"{len(entries)} entries", reason)


APP_WORKDIR = "/app"


def workdir(facts: ProjectFacts, app_install: str, decisions: list[Decision]) -> str:
    """The runtime's work directory: ``/app``, or the repository image's own when the project's files
    name paths under it and the tree is copied whole (project/own_workdir.py; a decision says why)."""
    own = facts.layout.own_workdir
    if own is None or app_install != "source":
        return APP_WORKDIR
    decisions.append(
        Decision(
            "workdir",
            own.value,
            f"the project is copied to {own.value}, its own image's work directory, not {APP_WORKDIR}: "
            f"{own.evidence[0]}, which {APP_WORKDIR} would not hold",
        )
    )
    return own.value
