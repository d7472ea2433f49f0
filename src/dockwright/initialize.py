"""``init``: plan, render, generate the lock when needed, and write everything atomically.

The act layer beside :mod:`dockwright.build`: it sits above plan, lock and render, which it joins, so
``api.init`` stays a thin wrapper; it never imports an engine.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from packaging.requirements import InvalidRequirement, Requirement

from dockwright.config import load_options
from dockwright.errors import ConfigError, DockwrightError, LockError, PlanError, ProjectError
from dockwright.lock import available, gitsource, own_ranges
from dockwright.lock.compile import CompileOptions
from dockwright.lock.convert import convert
from dockwright.lock.generate import (
    add_name,
    build_lock_source,
    generate_build_lock,
    generate_lock,
    local_folders,
    pins,
    unfit_adds,
    unfit_warning,
)
from dockwright.lock.header import (
    REGENERATE,
    TARGET_LINE,
    is_current,
    other_python_reason,
    read_header,
    selection_text,
    stale_reason,
)
from dockwright.lock.pure_sdist import read_pure
from dockwright.lock.stale import lock_inputs
from dockwright.lock.wheel_check import read_no_wheel
from dockwright.plan import foreign, pathdeps
from dockwright.plan.common import lock_warnings
from dockwright.plan.model import BuildPlan, StaleCause
from dockwright.plan.planner import make_plan
from dockwright.plan.strategies.base import PlanOptions
from dockwright.project import gitdeps, health_version
from dockwright.project.adds_in_lock import without_carried_adds
from dockwright.project.facts import AppFacts, Evidence, ProjectFacts, WorkspaceFacts
from dockwright.project.generated_pins import GeneratedPins, read_generated_pins
from dockwright.project.index_pins import PinIndex
from dockwright.project.native import mark_no_wheel, mark_pure, native_of_lock
from dockwright.project.pinned_lines import read_pins
from dockwright.project.python_choice import LockTarget
from dockwright.project.python_version import minor_of
from dockwright.project.workspace import locate
from dockwright.redact import has_literal_credentials, redact
from dockwright.render.render import RenderedFile, render_files
from dockwright.render.writer import FileChange, plan_changes, project_target, refusal, write_files
from dockwright.written_base import Written, kept_start_of


@dataclass(frozen=True)
class InitResult:
    """What ``init`` did (or, with dry_run/diff, would do)."""

    plan: BuildPlan
    changes: tuple[FileChange, ...]
    written: bool  # False for --dry-run / --diff
    refused: str | None = None  # with dry_run: why the real run would stop (a file it would not replace)

    @property
    def context(self) -> Path:
        """The folder the changes' paths are relative to: the build context."""
        return context_of(self.plan)

    @property
    def diff(self) -> str:
        return "".join(c.diff for c in self.changes)


def resolve_root(path: str | Path) -> Path:
    root = Path(path).expanduser()
    if not root.exists():
        raise ProjectError(f"{path}: no such directory")
    if not root.is_dir():
        raise ProjectError(f"{path}: not a directory")
    return root.resolve()


def detect(
    root: Path,
    options: PlanOptions,
    workspace: WorkspaceFacts | None = None,
    generated: GeneratedPins | None = None,
    lock_target: LockTarget | None = None,
    unless_same: ProjectFacts | None = None,
    given: Path | None = None,
) -> ProjectFacts:
    """The facts of the app at ``root``; ``given``: the folder the user named (a workspace holding it)."""
    from dockwright.project.detect import detect_project

    return detect_project(
        root,
        python=options.python,
        debian=options.debian,
        manager=options.manager,
        start=options.start,
        port=options.port,
        process=options.process,
        package=options.package,
        workspace=workspace,
        extras=options.extras,
        groups=options.groups,
        index_lookup=index_lookup(options),
        generated=generated,
        lock_target=lock_target,
        unless_same=unless_same,
        named_root=given,
        lock_name=options.lock_name,
    )


def index_lookup(options: PlanOptions) -> PinIndex | None:
    """The index reader of the Python chooser, unless ``index-lookup = false``."""
    from dockwright.plan.wheels import pin_index  # urllib: imported only when asked

    return pin_index(options.index_url) if options.index_lookup else None


def plan_project(
    path: str | Path,
    cli: Mapping[str, Any] | None = None,
    env: Mapping[str, str] | None = None,
    *,
    lock_text: str | None = None,
    base_labels: LabelReader | None = None,
    written: Written | None = None,
) -> BuildPlan:
    """Options (layered; ``written``: the pins of the Dockerfile a build builds, ``config.load_options``)
    -> where the app is -> facts -> plan, with a warning when a generated lock is
    stale (its source changed, or it was resolved for another minor than the Python chosen). In a
    workspace or monorepo the app's folder gives the options and the facts. The native
    (compiler, system library) decision is re-made from the final lock: ``lock_text`` (the one ``init``
    just generated) or a current generated lock on disk. ``base_labels`` reads the labels of an
    ``image:REF`` runtime base (the caller's registry client: this layer imports no engine)."""
    root = resolve_root(path)
    if written is None:  # a start given to init that wrote the Dockerfile here: planned again with it
        written = kept_start_of(root / "Dockerfile")
    options = load_options(root, cli, env, written)
    location = locate(root, options.package)
    if location.app != root:
        options = load_options(location.app, cli, env, written)
    options = with_base_labels(options, base_labels)
    if location.workspace is None:
        facts = detect(location.app, options, given=root)
    else:
        facts = detect(location.app, options, workspace=location.workspace, given=root)
    made = make_plan(facts, options)
    context = location.context
    kept = _lock_target(context, made, lock_text) if index_lookup(options) is None else None
    if kept is not None:  # offline: the generated lock's Python, when the project's range allows it
        held = detect(location.app, options, workspace=location.workspace, lock_target=kept, given=root)
        if held.python.version.value != facts.python.version.value:
            facts, made = held, make_plan(held, options)
    original = facts
    plan = with_credential_warning(context, with_staleness(context, made))
    final = _existing_lock_text(context, plan) if lock_text is None else lock_text
    if final is None:
        return plan
    if plan.lock.generate and index_lookup(options) is not None:
        # the Python chosen again with the generated lock's pins (the index's files of them) in view
        pins = read_generated_pins(plan.lock.path, final)
        rechosen = detect(
            location.app, options, workspace=location.workspace, generated=pins, given=root, unless_same=facts
        )
        if rechosen.python.version.value != facts.python.version.value or rechosen.notes != facts.notes:
            facts = rechosen  # another Python, or warnings on the pins of a Python stated explicitly
    if lock_text is None and other_python_reason(context, plan.lock.path, facts.python.version.value):
        # the lock on disk was resolved for another Python than the one chosen: stale, never read
        made = made if facts is original else make_plan(facts, options)
        return with_credential_warning(context, with_staleness(context, made, python=True))
    decided = with_final_lock(facts, plan.lock.path, final)
    if decided is not original:
        plan = with_credential_warning(context, with_staleness(context, make_plan(decided, options)))
    unfit = unfit_warning(plan.lock.path, final)  # an addition for another process, left out
    if unfit is None:
        return plan
    said = tuple(f"{add} added to " for add in unfit_adds(final))  # it was not
    true = tuple(w for w in plan.warnings if not w.startswith(said))
    return dataclasses.replace(plan, warnings=(*true, unfit))


def _lock_target(context: Path, plan: BuildPlan, lock_text: str | None) -> LockTarget | None:
    """The Python the generated lock (``lock_text``, else the file on disk) was resolved for, with its
    header line as evidence, when it is another minor than the plan's; else None."""
    if not plan.lock.generate or plan.lock.method != "uv-compile":
        return None
    if lock_text is None:
        path = project_target(context, plan.lock.path)
        if not path.is_file() or path.is_symlink():
            return None
        lock_text = path.read_text(encoding="utf-8", errors="replace")
    found = TARGET_LINE.search(lock_text) if read_header(lock_text) is not None else None
    if found is None or minor_of(found["python"]) == minor_of(plan.python_version):
        return None
    line = lock_text.count("\n", 0, found.start()) + 1
    return LockTarget(found["python"], Evidence(plan.lock.path, line))


def _existing_lock_text(context: Path, plan: BuildPlan) -> str | None:
    """The text of a generated lock that is current (its source unchanged), else None."""
    lock = plan.lock
    if not lock.generate or lock.stale or not lock.source:
        return None
    return _fresh(
        context,
        lock.path,
        lock.source,
        False,
        lock_inputs(plan),
        None,
        lock.merged,
        own_ranges.compared(plan),
        selection_text(lock.extras, lock.groups),
        layers=lock.layers,
    )


def with_final_lock(facts: ProjectFacts, lock_path: str, text: str) -> ProjectFacts:
    """``facts`` whose native needs are decided from the lock the build installs (its every package,
    transitive ones and those from nested ``-r`` includes), or ``facts`` itself when nothing changes."""
    no_wheel = read_no_wheel(text)  # pins the resolver found only an sdist of, for the target
    pure = read_pure(text)  # sdist-only pins of the project's own lock that build without a compiler
    deps = dataclasses.replace(facts.dependencies, locked=mark_pure(facts.dependencies.locked, pure))
    native = native_of_lock(
        deps, lock_path, text, facts.python.version.value, facts.python.debian.value, no_wheel
    )
    merged = {n.package: n for n in facts.native}
    merged.update({n.package: n for n in native})
    decided = tuple(merged[name] for name in sorted(merged))
    locked = mark_no_wheel(deps.locked, no_wheel)
    git = gitdeps.pinned(facts.dependencies.git, gitdeps.generated_commits(lock_path, text))
    git = gitdeps.with_build_requires(git, gitdeps.generated_build_requires(text))
    app = without_carried_adds(_health_of_lock(facts.app, lock_path, text), lock_path, text)
    if (
        decided == facts.native
        and locked == facts.dependencies.locked
        and git == facts.dependencies.git
        and app == facts.app
    ):
        return facts
    dependencies = dataclasses.replace(facts.dependencies, locked=locked, git=git)
    return dataclasses.replace(facts, native=decided, dependencies=dependencies, app=app)


def _health_of_lock(app: AppFacts, lock_path: str, text: str) -> AppFacts:
    """The framework's health path of the release the lock the build installs pins (a moved path)."""
    package = health_version.package_of(app)
    pinned = [pin for pin in read_pins(text) if pin.name == package] if package else []
    if not pinned:
        return app
    return health_version.with_version(app, pinned[0].version, f"{lock_path}:{pinned[0].line}")


def credential_lines(root: Path, plan: BuildPlan) -> tuple[str, ...]:
    """``file:line`` (redacted) of each credential in a dependency file the image build would copy."""
    from dockwright.project.tree import ProjectTree

    tree = ProjectTree(root)
    files = dict.fromkeys((*plan.facts.dependencies.input_files, plan.lock.path))
    found = []
    for rel in files:
        for number, line in tree.numbered_lines(rel):
            if has_literal_credentials(line):
                found.append(f"{rel}:{number} ({redact(line.strip())[:80]})")
    return tuple(found)


def _credentials_warning(found: tuple[str, ...]) -> str:
    return (
        f"credentials in {', '.join(found)}: that file would be copied into the image; remove them and "
        "give the index with `dockwright build --index-url` (a BuildKit secret, never a layer)"
    )


def pip_constraint(root: Path, env: Mapping[str, str]) -> tuple[str, ...]:
    """The files ``PIP_CONSTRAINT`` names in the environment ``init`` runs in (space-separated, as pip
    reads it): the lock is resolved under them as pip would install; a missing file is a ConfigError."""
    out = []
    for value in env.get("PIP_CONSTRAINT", "").split():
        path = Path(value) if Path(value).is_absolute() else root / value
        if not path.is_file():
            raise ConfigError(f"PIP_CONSTRAINT names {value}, which is not a file")
        out.append(str(path))
    return tuple(out)


def with_credential_warning(root: Path, plan: BuildPlan) -> BuildPlan:
    found = credential_lines(root, plan)
    if not found:
        return plan
    return dataclasses.replace(plan, warnings=(*plan.warnings, _credentials_warning(found)))


def with_staleness(root: Path, plan: BuildPlan, *, python: bool = False) -> BuildPlan:
    """``plan`` with its generated lock marked stale when its source changed or, with ``python``, when
    it was resolved for another minor than the plan's Python (else the resolving warnings dropped)."""
    lock = plan.lock
    declared = own_ranges.compared(plan)
    chosen = selection_text(lock.extras, lock.groups)
    reason = stale_reason(
        root, lock.path, lock_inputs(plan), lock.merged, lock.source, declared, chosen, layers=lock.layers
    )
    cause: StaleCause = "inputs"
    if reason is None and python and plan.lock.generate:
        reason, cause = other_python_reason(root, plan.lock.path, plan.python_version), "python"
    if reason is None:
        return _kept_lock(root, plan)
    lock = dataclasses.replace(lock, stale=True, stale_reason=reason, stale_cause=cause)
    return dataclasses.replace(plan, lock=lock, warnings=(*plan.warnings, reason))


def _kept_lock(root: Path, plan: BuildPlan) -> BuildPlan:
    """A current generated lock is kept, not resolved again: drop the warning that it will be."""
    lock = plan.lock
    if lock.adds or not lock.source or not lock.generate:
        return plan
    path = project_target(root, lock.path)
    if not path.is_file() or read_header(path.read_text(encoding="utf-8", errors="replace")) is None:
        return plan
    resolving = set(lock_warnings(lock))
    return dataclasses.replace(plan, warnings=tuple(w for w in plan.warnings if w not in resolving))


def files_for(
    root: Path, plan: BuildPlan, *, force: bool = False, compile_options: CompileOptions | None = None
) -> tuple[RenderedFile, ...]:
    """Rendered files, preceded by the lock when the plan generates one."""
    return (*generated_locks(root, plan, force=force, compile_options=compile_options), *render_files(plan))


def _kept_meets(add: str, pinned: dict[str, str]) -> bool:
    """A kept lock's pins install the start's addition ``add``: its name is pinned, at a release its range
    takes (``gunicorn<26`` beside a kept ``gunicorn==27`` does not); an extra's packages were added with
    it (lock/generate.py append_adds)."""
    version = pinned.get(add_name(add))
    if version is None:
        return False
    try:
        return Requirement(add).specifier.contains(version, prereleases=True)
    except InvalidRequirement:
        return True


def generated_locks(
    root: Path, plan: BuildPlan, *, force: bool = False, compile_options: CompileOptions | None = None
) -> tuple[RenderedFile, ...]:
    """The locks the plan generates (the dependency lock first, then the build backend's).

    An existing generated lock whose source is unchanged is kept as is (no re-resolution) unless
    ``force``; a stale one is regenerated.
    """
    files = list(build_locks(root, plan, force=force, compile_options=compile_options))
    lock = plan.lock
    if lock.generate and (lock.source or lock.adds):
        text = (
            _fresh(
                root,
                lock.path,
                lock.source,
                force or lock.stale,
                lock_inputs(plan),
                plan.python_version,
                lock.merged,
                own_ranges.compared(plan),
                selection_text(lock.extras, lock.groups),
                layers=lock.layers,
            )
            if lock.source
            else None
        )
        if text is not None and not all(_kept_meets(a, pins(text)) for a in lock.adds):
            text = None  # a server the start needs (or the release range it needs) is not in the kept lock
        if text is not None and own_ranges.violations(plan, text):
            text = None  # a kept lock with pins the installed package refuses: resolved again (mended)
        if text is None:
            folders = pathdeps.distributions(plan.facts)
            options = _resolved_in_app(plan.facts, compile_options or CompileOptions())
            # the project itself (`-e .`) too: the plan installs it (its wheel or its source), never the lock
            paths = (*pathdeps.resolver_paths(plan.facts), ".")
            try:
                text = generate_lock(
                    root, lock, plan.python_version, options, lock_inputs(plan), folders, paths
                )
                text = own_ranges.mend(
                    root,
                    plan,
                    text,
                    lambda again: generate_lock(
                        root, again, plan.python_version, options, lock_inputs(plan), folders, paths
                    ),
                )
            except LockError as error:
                raise unresolved_git(plan.facts, error) or error from error
            text += _git_build_requires(plan.facts, lock.path, text)
        files.insert(0, RenderedFile(lock.path, text, False))
    return tuple(files)


def build_locks(
    root: Path, plan: BuildPlan, *, force: bool = False, compile_options: CompileOptions | None = None
) -> tuple[RenderedFile, ...]:
    """The build lock the plan generates (the app's, the path and git dependencies' backends), if any."""
    files: list[RenderedFile] = []
    for extra in plan.files:
        if extra.kind != "build-lock":
            continue
        requires = pathdeps.build_requires(plan.facts, plan.builds_app_wheel)
        declared = build_lock_source(Path(plan.facts.root))
        if (Path(plan.facts.root) / declared).is_file():
            source = pathdeps.build_lock_source(plan.facts, declared)  # from the context's root
        else:
            # a requirements app: the path and git backends' record is in its lock, whose path the
            # plan already gives from the context's root (relocated when the context is above the app)
            source = plan.lock.path
        text = _fresh(root, extra.path, source, force, requires)
        if text is None:
            text = generate_build_lock(root, requires, plan.python_version, compile_options, source)
        files.insert(0, RenderedFile(extra.path, text, False))
    return tuple(files)


def _git_build_requires(facts: ProjectFacts, lock_path: str, text: str) -> str:
    """The lock's record of each git package's ``[build-system].requires``, read from its commit's
    ``pyproject.toml`` (lock/gitsource.py): the plan locks them with the other backends."""
    deps = gitdeps.pinned(facts.dependencies.git, gitdeps.generated_commits(lock_path, text))
    lines = gitdeps.build_requires_lines(gitsource.with_build_requires(deps))
    return ("" if text.endswith("\n") or not lines else "\n") + lines


GIT_FAILURES = ("Git operation failed", "fatal: ", "failed to fetch", "Failed to fetch")
"""What uv's (and git's) messages say when a repository could not be fetched (uv 0.13: "Git operation
failed", then git's own "fatal: unable to access ..."); any other resolver error is not the fetch's."""


def unresolved_git(facts: ProjectFacts, error: LockError) -> LockError | None:
    """One line naming the git dependency the resolver could not fetch (offline, or the host refused):
    an unpinned reference cannot become a commit, a pinned one cannot give its dependencies; None when
    no git dependency explains the error."""
    deps = facts.dependencies.git
    if not any(marker in error.message for marker in GIT_FAILURES):
        return None  # the repository was fetched: the resolver's own reason stands (a missing wheel ...)
    named = [d for d in deps if d.url.removesuffix(".git") in error.message]
    unpinned = [d for d in deps if d.commit is None]
    if not named and not unpinned:
        return None
    dep = (named or unpinned)[0]
    first = dep.evidence[0]
    where = f"{first.file}:{first.line or 1}: {dep.name}"
    cause = error.message.strip().splitlines()[-1].strip()[:160]
    reach = f"run init where {dep.url} is reachable"
    if dep.commit is None:
        return LockError(
            f"{where} names git ref {dep.ref or '(default branch)'} of {dep.url}, not a commit, and the "
            f"resolver could not reach it to pin one ({cause}): {reach}, or pin the commit "
            "(`@<40-hex commit>`)"
        )
    return LockError(
        f"{where} is pinned to commit {dep.commit} of {dep.url}, but the resolver could not fetch it to "
        f"lock its dependencies ({cause}): {reach}"
    )


def _resolved_in_app(facts: ProjectFacts, options: CompileOptions) -> CompileOptions:
    """``options`` with the resolver run in the app's folder when the build context is above it (path
    dependencies): a requirements file's ``-e ../../libs/common`` is relative to where pip runs."""
    found = pathdeps.local(facts)
    if found is None or found.member.value == ".":
        return options
    return dataclasses.replace(options, cwd=found.member.value)


def _fresh(
    root: Path,
    path: str,
    source: str,
    force: bool,
    requirements: tuple[str, ...] = (),
    python: str | None = None,
    merged: tuple[str, ...] = (),
    declared: tuple[str, ...] = (),
    selection: str = "",
    *,
    layers: tuple[str, ...] = (),
) -> str | None:
    """The text of an existing generated lock whose source is unchanged (kept as is), else None;
    ``requirements`` are the lines the plan reads from ``source`` now (a lock made from them is
    current while they are the same, whatever else the file says); with ``python``, a lock resolved
    for another minor (its header's target) is not kept."""
    target = project_target(root, path)
    if force or not target.is_file():
        return None
    text = target.read_text(encoding="utf-8", errors="replace")
    header = read_header(text)
    if header is None or header.source != source or not (root / source).is_file():
        return None  # another source (the manager changed): resolved again, never kept
    if not is_current(root, header, requirements, merged, declared, selection, layers):
        return None
    if python is not None and header.python is not None and minor_of(header.python) != minor_of(python):
        return None
    return text


def init_project(
    path: str | Path,
    cli: Mapping[str, Any] | None = None,
    *,
    force: bool = False,
    dry_run: bool = False,
    env: Mapping[str, str] | None = None,
    compile_options: CompileOptions | None = None,
    base_labels: LabelReader | None = None,
    lock_only: bool = False,
) -> InitResult:
    """Plan, then write the generated lock(s) and the rendered files (``lock_only``: the locks alone,
    a stale one resolved again, the Dockerfile and the rest left as they are)."""
    plan = plan_project(resolve_root(path), cli, env, base_labels=base_labels)
    root = context_of(plan)  # the files' paths are relative to the build context
    if lock_only:
        _refuse_lock_only_for_another_python(root, plan)
    found = credential_lines(root, plan)
    if found:  # refused: the Dockerfile would COPY the file (and the context would carry it)
        raise PlanError(_credentials_warning(found))
    missing = foreign.refusal(plan.facts)
    if missing and not force:
        raise PlanError(missing)
    if compile_options is None:
        options = load_options(Path(plan.facts.root), cli, env)
        compile_options = CompileOptions(
            index_url=options.index_url,
            exclude_newer=options.exclude_newer,
            constraints=pip_constraint(Path(plan.facts.root), os.environ if env is None else env),
        )
    locks = generated_locks(root, plan, force=force, compile_options=compile_options)
    generated = next((f.content for f in locks if f.path == plan.lock.path), None)
    tried = {plan.python_version}
    while generated is not None:
        # the native decision (and the Python chosen from a range) from the lock just generated: a
        # package it brought may compile, load a system library or have no wheel for the Python chosen
        # (plan_project does the same with a current lock on disk)
        replanned = plan_project(resolve_root(path), cli, env, lock_text=generated, base_labels=base_labels)
        if replanned.python_version in tried:  # the lock is for that Python (or the choice goes round)
            plan = replanned if replanned.python_version == plan.python_version else plan
            break
        plan = replanned  # another Python: its own lock, checked again
        tried.add(plan.python_version)
        locks = generated_locks(root, plan, force=True, compile_options=compile_options)
        generated = next((f.content for f in locks if f.path == plan.lock.path), None)
    if index_lookup(load_options(Path(plan.facts.root), cli, env)) is not None:  # the index may be asked
        lock_text = next((f.content for f in locks if f.path == plan.lock.path), None)
        check_served(root, plan, lock_text, compile_options)
    known = {f.path for f in locks}
    if any(f.kind == "build-lock" and f.path not in known for f in plan.files):
        # the git packages' backends, known once the lock just generated recorded them
        locks = (*build_locks(root, plan, force=force, compile_options=compile_options), *locks)
    if lock_only and not locks:
        raise PlanError(
            f"--lock-only: dockwright generates no lock for this project (it installs from "
            f"{plan.lock.path}, the project's own): nothing to write"
        )
    if lock_only:
        plan = _with_kept_files_note(root, plan)
    files = locks if lock_only else (*locks, *render_files(plan))
    if dry_run:
        changes = plan_changes(root, files)
        refused = refusal(root, files, changes, force=force)
        return InitResult(plan, changes, False, str(refused) if refused else None)
    changes = write_files(root, files, force=force)
    stale = plan.lock.stale_reason
    if stale is not None and any(c.path == plan.lock.path and c.written for c in changes):
        # resolved again: no longer stale
        plan = dataclasses.replace(plan, warnings=tuple(w for w in plan.warnings if w != stale))
    return InitResult(plan, changes, True)


def _refuse_lock_only_for_another_python(root: Path, plan: BuildPlan) -> None:
    """``init --lock-only`` on a lock resolved for another Python than the plan's (``stale_cause``
    ``python``): the new lock is for the plan's Python, and the Dockerfile on disk, whose base names the
    old one, would stay; refused (one line) unless that Dockerfile already is what init would write."""
    lock = plan.lock
    if lock.stale_cause != "python" or lock.stale_reason is None:
        return
    rendered = [f for f in render_files(plan) if f.path.rsplit("/", 1)[-1] == "Dockerfile"]
    try:
        changes = plan_changes(root, rendered)
    except DockwrightError:  # a file init could not replace anyway: its own run says why
        return
    if not any(c.status == "update" for c in changes):
        return  # no Dockerfile yet, or the one on disk already is the new Python's
    raise PlanError(
        f"--lock-only: {lock.stale_reason.removesuffix(REGENERATE)}, whose base the Dockerfile names too: "
        "a lock alone for it would not match the Dockerfile; run `dockwright init --force` (`--diff` "
        "shows the change first)"
    )


def check_served(
    root: Path, plan: BuildPlan, lock_text: str | None, compile_options: CompileOptions | None = None
) -> None:
    """Raise the one-line LockError naming a pin of the lock the build installs that the configured index
    no longer serves (lock/available.py); ``lock_text``: the lock init writes (generated, converted or
    kept), None for the project's own hash-locked file or a plan's look (read or converted here). A lock
    uv resolved in this run (it differs from the file on disk) is not asked again, nor a lock whose project
    names other indexes than its default one (extra, explicit, find-links: where a pin comes from is then
    not the index asked first)."""
    lock = plan.lock
    if any(index.role != "default" or index.explicit for index in lock.indexes):
        return  # a pin may come from another index than the one asked first: "not there" proves nothing
    text = lock_text if lock_text is not None else _lock_to_check(root, plan)
    if text is None:
        return
    if lock_text is not None and lock.method == "uv-compile":
        on_disk = project_target(root, lock.path)
        if not on_disk.is_file() or on_disk.read_text(encoding="utf-8", errors="replace") != text:
            return  # resolved now: its pins came from the index
    options = compile_options or CompileOptions()
    options = dataclasses.replace(
        options,
        indexes=lock.indexes,
        find_links=(*options.find_links, *(str(root / folder) for folder in local_folders(lock))),
    )
    found = available.unserved(root, text, plan.python_version, options)
    if found is None:
        return
    default = next((i.url for i in lock.indexes if i.role == "default"), None)
    named = ("find-links " + (", ".join(options.find_links) or "none")) if options.no_index else None
    index = redact(named or options.index_url or default or "https://pypi.org/simple")
    raise available.refusal(root, lock.path, lock.source, lock.method, found, index)


def checked_plan(
    path: str | Path,
    cli: Mapping[str, Any] | None = None,
    env: Mapping[str, str] | None = None,
    *,
    base_labels: LabelReader | None = None,
    compile_options: CompileOptions | None = None,
    written: Written | None = None,
) -> BuildPlan:
    """``plan``'s plan (:func:`plan_project`), once every pin of the lock its build would install is
    found served by the index, when the plan may ask it (``index-lookup``, on by default);
    ``compile_options``: the index to ask (default: the ``index-url`` option, else PyPI); ``written``:
    the pins of the Dockerfile a build builds (``config.load_options``)."""
    plan = plan_project(path, cli, env, base_labels=base_labels, written=written)
    options = load_options(Path(plan.facts.root), cli, env)
    if index_lookup(options) is not None:  # the plan may ask the index (index-lookup)
        asked = compile_options or CompileOptions(index_url=options.index_url)
        check_served(context_of(plan), plan, None, asked)
    return plan


def _lock_to_check(root: Path, plan: BuildPlan) -> str | None:
    """The lock a plan's build would install, as far as it exists without resolving: a current
    generated lock, a manager's lock converted (offline), or the project's own hash-locked file."""
    lock = plan.lock
    if not lock.generate:
        path = project_target(root, lock.path)
        return path.read_text(encoding="utf-8", errors="replace") if path.is_file() else None
    if lock.method.startswith("convert-") and lock.source:
        try:
            return convert(
                root, lock.method, lock.source, plan.python_version, None, lock.extras, lock.groups
            )
        except DockwrightError:
            return None  # init says why
    return _existing_lock_text(root, plan)


def _with_kept_files_note(root: Path, plan: BuildPlan) -> BuildPlan:
    """``init --lock-only``: a warning naming the files it leaves that differ from what ``init``
    would write now (the user's edits, or what the new lock changes: a compiler, another base)."""
    try:
        differing = [c.path for c in plan_changes(root, render_files(plan)) if c.status == "update"]
    except DockwrightError:  # a file init could not replace anyway: its own run says why
        return plan
    if not differing:
        return plan
    note = (
        f"--lock-only left {', '.join(differing)} as it is, though it differs from what init would write "
        "now (your edits, or what the new lock changes): `dockwright init --diff` shows how"
    )
    return dataclasses.replace(plan, warnings=(*plan.warnings, note))


# REF -> (its image labels, "") or (None, why they could not be read)
LabelReader = Callable[[str], tuple[tuple[tuple[str, str], ...] | None, str]]


def with_base_labels(options: PlanOptions, read: LabelReader | None) -> PlanOptions:
    """``options`` with the labels of an ``image:REF`` runtime base read (unchanged for other bases)."""
    from dockwright.plan.published_base import image_ref

    ref = image_ref(options.runtime_base)
    if ref is None or read is None or options.runtime_base_labels is not None:
        return options
    labels, unread = read(ref)
    return dataclasses.replace(options, runtime_base_labels=labels, runtime_base_unread=unread)


def context_of(plan: BuildPlan) -> Path:
    """The build context: the workspace root (or app folder) when the app is part of a bigger tree."""
    workspace = plan.facts.workspace
    return Path(workspace.context if workspace is not None else plan.facts.root)
