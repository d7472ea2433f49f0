"""The library surface: what the CLI and users call. Each verb returns data; rendering is the caller's.

Sections are owned by the verb's package; keep each wrapper thin.
"""

from __future__ import annotations

# --- plan / init (dockwright.project, dockwright.plan, dockwright.render) ---
from collections.abc import Callable as _Callable
from collections.abc import Sequence as _Sequence
from pathlib import Path as _Path
from typing import TYPE_CHECKING as _TYPE_CHECKING
from typing import Any as _Any
from typing import Literal as _Literal

if _TYPE_CHECKING:
    from contextlib import AbstractContextManager as _AbstractContextManager
    from threading import Thread

    from dockwright.audit.audit import AuditReport
    from dockwright.audit.inventory import Inventory
    from dockwright.base_build import BaseBuild
    from dockwright.build import BuildOptions
    from dockwright.build_ahead import BuildAhead
    from dockwright.engine.base import BuildRequest, BuildStep, Engine, Image
    from dockwright.initialize import InitResult
    from dockwright.lint.linter import LintOptions, LintResult
    from dockwright.plan.model import BuildPlan
    from dockwright.plan.platforms import PlatformReport


def plan(path: str | _Path = ".", **options: _Any) -> BuildPlan:
    """Detect the project at ``path`` and plan its image. ``options``: python, manager, start, port,
    strategy, syntax_directive, bytecode, image_name, lock_name, include_tests, include_docs, ...
    (layered over ``[tool.dockwright]`` and ``DOCKWRIGHT_*``). With the index lookup on (the default),
    a lock pin the index no longer serves raises LockError (lock/available.py)."""
    from dockwright.base_build import read_labels
    from dockwright.initialize import checked_plan
    from dockwright.kept_plan import planning_memo

    with planning_memo(_Path(path).expanduser()):  # modules scanned by an earlier planning, by their text
        return checked_plan(path, options, base_labels=read_labels)


def init(
    path: str | _Path = ".",
    *,
    force: bool = False,
    dry_run: bool = False,
    lock_only: bool = False,
    **options: _Any,
) -> InitResult:
    """Plan, then write Dockerfile, .dockerignore and (when needed) the hash-locked requirements file.

    Atomic writes; refuses to replace a different existing file unless ``force``; ``dry_run``
    computes the changes (with diffs) without writing; ``lock_only`` writes the generated lock alone
    (a stale one resolved again), leaving the Dockerfile as it is."""
    from dockwright.base_build import read_labels
    from dockwright.initialize import init_project
    from dockwright.kept_plan import planning_memo

    with planning_memo(_Path(path).expanduser()):
        result = init_project(
            path, options, force=force, dry_run=dry_run, base_labels=read_labels, lock_only=lock_only
        )
    if not dry_run and not result.refused:
        _keep_build_plans(path, options)
    return result


BUILD_PLANNING = (
    "strategy",
    "python",
    "manager",
    "start",
    "port",
    "process",
    "package",
    "runtime",
    "programs",
    "syntax_directive",
)
"""The planning options ``dockwright build`` passes (one per flag, None when not given): a kept build
plan's options."""


def _keep_build_plans(path: str | _Path, options: dict[str, _Any]) -> None:
    """The plan ``dockwright build`` makes next, made and kept now that init's files are written, for
    a build without planning flags and for one with init's own (:mod:`dockwright.kept_plan`): the
    first build after init starts the engine at once. Only where plans are kept; a planning that
    fails keeps nothing, and init's result stands (the build plans, and says why)."""
    from dockwright.kept_plan import keeping

    if not keeping():
        return
    plain: dict[str, _Any] = dict.fromkeys(BUILD_PLANNING)
    given = {name: options.get(name) for name in BUILD_PLANNING}
    for wanted in (plain, given) if given != plain else (plain,):
        try:
            _kept_plan_for_build(path, wanted, None, False)  # the memo init just filled answers it
        except Exception:  # a head start only: init's files are written either way
            continue


# --- lint (dockwright.dockerfile, dockwright.lint) ---


def lint(paths: _Sequence[str | _Path] = (".",), *, options: LintOptions | None = None) -> LintResult:
    """Lint Dockerfiles (files, or folders searched for Dockerfile/Containerfile/*.Dockerfile/Dockerfile.*).

    ``options`` defaults to each file's nearest ``[tool.dockwright.lint]``."""
    from dockwright.lint.linter import lint_paths

    return lint_paths(paths, options)


def lint_stdin(text: str, filename: str | None = None, *, options: LintOptions | None = None) -> LintResult:
    """Lint one Dockerfile's text (``dockwright lint -``); ``filename`` places it for config and context."""
    from dockwright.lint.linter import lint_stdin as _lint_stdin

    return _lint_stdin(text, filename, options)


# --- platforms (dockwright.plan.platforms, dockwright.plan.wheels) ---


def _split_platforms(platforms: str | tuple[str, ...]) -> tuple[str, ...]:
    wanted = (platforms,) if isinstance(platforms, str) else platforms
    return tuple(p.strip() for value in wanted for p in value.split(",") if p.strip())


def _locked_packages(plan_value: BuildPlan, root: _Path) -> tuple[_Any, ...]:
    """What the build installs: the detected lock, else the hash-locked file ``init`` generated from an
    unpinned source (so the wheel check never passes for want of packages)."""
    from dockwright.project.managers import parse_requirements
    from dockwright.project.tree import ProjectTree

    locked = tuple(plan_value.facts.dependencies.locked)
    lock = plan_value.lock
    if locked or lock.empty or not lock.generate or not (root / lock.path).is_file():
        return locked
    from dockwright.project.facts import LockedPackage

    requirements, _ = parse_requirements(ProjectTree(root), lock.path)
    return tuple(
        LockedPackage(
            name=r.name, version=r.version or "", hashes=r.hashes, source=r.source, markers=r.markers
        )
        for r in requirements
        if r.name
    )


def _platform_report(
    plan_value: BuildPlan,
    platforms: tuple[str, ...],
    index_url: str | None,
    use_index: bool,
    root: _Path | None = None,
) -> PlatformReport:
    from dockwright.plan.platforms import check_platforms as _check
    from dockwright.plan.wheels import available_files

    locked = _locked_packages(plan_value, root) if root is not None else plan_value.facts.dependencies.locked
    files = available_files(locked, index_url=index_url, use_index=use_index)
    images = f"{plan_value.builder_image} {plan_value.runtime_image}"
    libc: _Literal["glibc", "musl"] = "musl" if "alpine" in images.lower() else "glibc"
    return _check(locked, files, platforms, plan_value.python_version, libc=libc)


def check_platforms(
    path: str | _Path = ".",
    platforms: str | tuple[str, ...] = ("linux/amd64", "linux/arm64"),
    *,
    index_url: str | None = None,
    use_index: bool = True,
    **options: _Any,
) -> PlatformReport:
    """Plan the project, then say per platform whether each locked dependency installs from a wheel.

    File names come from the lock (uv, Poetry, PDM); for hash-only locks (requirements files,
    Pipfile.lock) from the index (``index_url``, else ``PIP_INDEX_URL``, else PyPI) unless not
    ``use_index``. Musl tags when the planned image is Alpine. Raises PlanError when the index cannot be
    read, ConfigError for an unknown platform."""
    return _platform_report(
        plan(path, **options), _split_platforms(platforms), index_url, use_index, _Path(path)
    )


def _host_platform() -> str | None:
    import platform as _platform

    machine = _platform.machine().lower()
    return {
        "x86_64": "linux/amd64",
        "amd64": "linux/amd64",
        "aarch64": "linux/arm64",
        "arm64": "linux/arm64",
        "armv7l": "linux/arm/v7",
    }.get(machine)


def _check_before_build(
    plan_value: BuildPlan,
    platforms: tuple[str, ...],
    index_url: str | None,
    warn: _Callable[[str], None],
    root: _Path | None = None,
) -> None:
    """Several platforms, or a foreign one: every locked dependency needs a wheel or an sdist there."""
    if not platforms or (len(platforms) == 1 and platforms[0].lower() == _host_platform()):
        return
    from dockwright.errors import DockwrightError, PlanError
    from dockwright.plan.platforms import ARCHES  # the index reader: only for a foreign platform

    known = tuple(p for p in platforms if p.lower() in ARCHES)
    for other in (p for p in platforms if p.lower() not in ARCHES):
        warn(f"{other}: no wheel check for this platform")
    if not known:
        return
    try:
        report = _platform_report(plan_value, known, index_url, True, root)
    except DockwrightError as error:
        warn(f"wheels not checked for {', '.join(known)}: {error}")
        return
    for line in report.warnings():
        warn(line)
    unknown = report.having("unknown")
    if unknown:
        names = sorted({c.name for found in unknown.values() for c in found})
        warn(f"no file list for {', '.join(names)}: their wheels for {', '.join(known)} were not checked")
    errors = report.errors()
    if errors:
        raise PlanError("; ".join(errors))


# --- build (dockwright.engine) ---
def _engine(engine: Engine | str | None) -> Engine:
    """An Engine as given, or the one named ("docker", "podman", "auto"/None: detected)."""
    if engine is None or isinstance(engine, str):
        from dockwright.engine.select import engine_named

        return engine_named(engine)
    return engine


def build(
    path: str | _Path = ".",
    *,
    tag: str | None = None,
    platforms: str | tuple[str, ...] = (),
    target: str | None = None,
    no_cache: bool = False,
    index_url: str | None = None,
    network: str | None = None,
    labels: tuple[tuple[str, str], ...] = (),
    engine: Engine | str | None = None,
    on_step: _Callable[[BuildStep], None] | None = None,
    check_wheels: bool = True,
    on_warning: _Callable[[str], None] | None = None,
    output: str | None = None,
    build_options: BuildOptions | None = None,
    fresh_plan: bool = False,
    **options: _Any,
) -> Image:
    """Plan the project, then build its Dockerfile (or the planned one) with BuildKit through the engine.

    ``platforms``: one or more targets ("linux/amd64,linux/arm64" is split); several need
    buildx and ``output`` (buildx ``--output``: ``type=registry`` pushes, ``type=oci,dest=FILE`` exports;
    a multi-platform image cannot be loaded into the engine). ``index_url`` (credentials allowed)
    becomes the BuildKit secret ``pipconf``, never an ARG; with it (or a ``pipconf`` secret of the user's)
    the project is planned with ``private_index`` on, and a Dockerfile of the project's own that mounts
    no ``pipconf`` is refused (ConfigError) rather than built from PyPI.
    ``network`` is passed to RUN steps ("host" in the offline sandbox). Raises EngineError when no
    engine answers, no BuildKit-capable client exists, or the build fails (failing step + last lines).

    ``check_wheels``: before building for several platforms or a foreign one, check every locked
    dependency (:func:`check_platforms`): sdist-only packages are warnings (``on_warning``, default
    :func:`warnings.warn`: they compile under emulation), packages with neither wheel nor sdist for a
    platform raise PlanError naming them; an unreachable index is a warning, not an error.

    ``engine``: an Engine, or its name ("docker", "podman"); None picks ``DOCKWRIGHT_ENGINE``, else
    Docker when it answers, else Podman.

    ``build_options`` (:class:`dockwright.build.BuildOptions`): --push, registry cache, a buildx builder,
    the user's build args, secrets and labels, and ``dry_run`` (the Image then carries only the command).

    The plan is kept per project and options and reused while everything its planning read holds
    (:mod:`dockwright.kept_plan`); ``fresh_plan`` (or ``DOCKWRIGHT_PLAN_CACHE=off``) plans anew."""
    engine = _engine(engine)
    warming = _prepare_engine(engine)  # first: the engine's questions overlap the imports and the planning
    import dataclasses as _dataclasses

    from dockwright.build import BuildSettings, build_project, own_pip_conf

    split = _split_platforms(platforms)
    if options.get("private_index") is None and (
        index_url or own_pip_conf(build_options.secrets if build_options is not None else ())
    ):
        options["private_index"] = True  # a planned Dockerfile mounts the pipconf secret it is given
    settings = BuildSettings(
        tag=tag,
        platforms=split,
        target=target,
        no_cache=no_cache,
        index_url=index_url,
        network=network,
        labels=labels,
        output=output,
        options=build_options,
    )
    ahead: list[BuildAhead] = []  # a build of the last plan, started while this one is made

    def build_ahead(guess: BuildPlan) -> None:
        from dockwright.build import prepared_request
        from dockwright.build_ahead import BuildAhead

        quiet = _dataclasses.replace(settings, on_warning=lambda _message: None)  # the new plan says them

        def prepare() -> _AbstractContextManager[BuildRequest]:
            return prepared_request(_Path(path), guess, engine, quiet)

        ahead.append(BuildAhead.start(engine, prepare, warming))  # type: ignore[arg-type]
        ahead[-1].wait_launched()  # before the planning takes the interpreter's lock

    guessing = _builds_ahead(engine, split, output, build_options)
    try:
        plan_value = _kept_plan_for_build(
            path,
            options,
            build_options.dockerfile if build_options else None,
            fresh_plan,
            build_ahead if guessing else None,
        )
        warn = _warner(on_warning)
        if check_wheels:
            _check_before_build(plan_value, split, index_url, warn, _Path(path))
        own_secrets = build_options.secrets if build_options is not None else ()
        if not any(s.replace(" ", "").startswith("id=netrc,") for s in own_secrets):
            import os as _os

            from dockwright.indexauth import missing_credentials

            for message in missing_credentials(plan_value.lock.indexes, _os.environ):
                warn(message)
        if build_options is not None and build_options.reproducible:
            for message in _reproducible_warnings(_Path(path)):
                warn(message)
        if warming is not None:
            warming.join()
        return build_project(
            _Path(path),
            plan_value,
            engine,
            _dataclasses.replace(settings, on_warning=warn),
            on_step=on_step,
            ahead=ahead[0] if ahead else None,
        )
    finally:
        for started in ahead:
            started.drop()  # not taken: stopped, its image removed


def _builds_ahead(
    engine: Engine, platforms: tuple[str, ...], output: str | None, options: BuildOptions | None
) -> bool:
    """Whether a build of the last plan may start while the project is planned again
    (:mod:`dockwright.build_ahead`): an engine that can stop it and move a tag, a build loaded into
    the engine (no push, export, cache export or other platforms), not a dry run, and not turned off
    (``DOCKWRIGHT_BUILD_AHEAD=off``)."""
    import os as _os

    from dockwright.build_ahead import can_build_ahead
    from dockwright.switches import switched_off

    if switched_off(_os.environ.get("DOCKWRIGHT_BUILD_AHEAD")):
        return False
    if platforms or output:
        return False
    if options is not None and (options.push or options.dry_run or options.cache_to):
        return False  # a pushed image or an exported cache would show the build ahead
    return can_build_ahead(engine)


def _prepare_engine(engine: Engine) -> Thread | None:
    """A thread asking the engine what its build will ask first (``prepare``: Docker's client probe,
    platform and builder driver) while the project is planned; None for an engine without it."""
    prepare = getattr(engine, "prepare", None)
    if prepare is None:
        return None
    import threading

    thread = threading.Thread(target=prepare, name="dockwright-engine-prepare", daemon=True)
    thread.start()
    return thread


def _warner(on_warning: _Callable[[str], None] | None) -> _Callable[[str], None]:
    """Where every warning of a build goes (the wheel check's, missing index credentials, the
    reproducibility notes, a stale lock built anyway): ``on_warning`` when given, else
    :func:`warnings.warn`."""
    if on_warning is not None:
        return on_warning
    import warnings as _warnings

    def warn(message: str) -> None:
        _warnings.warn(message, stacklevel=3)  # pointing at the caller of the step that warns

    return warn


def _kept_plan_for_build(
    path: str | _Path,
    options: dict[str, _Any],
    given: str | None,
    fresh: bool,
    on_planning: _Callable[[BuildPlan], None] | None = None,
) -> BuildPlan:
    """:func:`_plan_for_build`'s plan, kept per project and options while what its planning read holds
    (no detection import on reuse); ``on_planning`` gets a kept plan that no longer holds."""
    from dockwright.kept_plan import kept_or_made

    root = _Path(path).expanduser()
    if not root.is_dir():
        return _plan_for_build(path, options, given)  # its error says why
    return kept_or_made(
        root.resolve(),
        options,
        given,
        lambda: _plan_for_build(path, options, given),
        fresh=fresh,
        on_planning=on_planning,
    )


def _plan_for_build(path: str | _Path, options: dict[str, _Any], given: str | None) -> BuildPlan:
    """The plan of a build; with a Dockerfile of the user's (``given``: ``--file``, else the project's
    own), whose CMD the image runs, a start that detection cannot tell is that Dockerfile's
    (:mod:`dockwright.own_start`)."""
    from dockwright.base_build import read_labels
    from dockwright.errors import StartUnknown
    from dockwright.initialize import checked_plan, resolve_root
    from dockwright.own_start import start_for_build
    from dockwright.written_base import written_base

    folder = resolve_root(path)
    dockerfile = _Path(given).resolve() if given else folder / "Dockerfile"
    # the Python and suite a Dockerfile dockwright wrote pins: the options' lowest layer (config.load_options)
    written = written_base(dockerfile)
    try:
        return checked_plan(path, options, base_labels=read_labels, written=written)
    except StartUnknown as unknown:
        if options.get("start") is not None:
            raise
        start = start_for_build(dockerfile, given or "Dockerfile", unknown)
        started = {**options, "start": start}
        planned = checked_plan(path, started, base_labels=read_labels, written=written)
        workspace = planned.facts.workspace
        context = _Path(workspace.context) if workspace is not None else folder
        if not given and (context / planned.dockerfile_path).resolve() != dockerfile.resolve():
            raise  # the build would use another Dockerfile than the one that gave the start
        return planned


def base_build(
    path: str | _Path = ".",
    *,
    python: str | None = None,
    debian: str | None = None,
    uid: int | None = None,
    tag: str | None = None,
    push: bool = False,
    no_cache: bool = False,
    network: str | None = None,
    engine: Engine | str | None = None,
    on_step: _Callable[[BuildStep], None] | None = None,
) -> BaseBuild:
    """Build the trimmed runtime base as an image of its own (and push it): ``python`` (X.Y[.Z]), else
    the Python, Debian suite and UID of the project at ``path``. ``tag`` defaults to
    ``python-trimmed:<X.Y.Z>-slim-<suite>-uid<UID>`` (a repository alone gets that tag); ``push`` needs
    a registry in it, and the result then names the digest-pinned reference for
    ``runtime-base = "image:REF"``."""
    from dockwright.base_build import build_base, trimmed_base_for

    base = trimmed_base_for(plan, path, python=python, debian=debian, uid=uid)
    return build_base(
        base, _engine(engine), tag=tag, push=push, no_cache=no_cache, network=network, on_step=on_step
    )


def _reproducible_warnings(root: _Path) -> list[str]:
    """Why a ``--reproducible`` build of ``root`` may not give the commit's digest (the checkout, and
    stages of the project's own Dockerfile that run commands before ``ARG SOURCE_DATE_EPOCH``)."""
    from dockwright.build import checkout_warnings, undated_stages

    found = list(checkout_warnings(root))
    own = root / "Dockerfile"  # the planned one declares the ARG (plan/reproducible.py)
    stages = undated_stages(own.read_text(encoding="utf-8", errors="replace")) if own.is_file() else ()
    if stages:
        found.append(
            f"--reproducible: the Dockerfile runs commands before ARG SOURCE_DATE_EPOCH in stage(s) "
            f"{', '.join(stages)}: their .pyc and dates differ between builds (declare it before the "
            "first RUN, or `dockwright init --force`)"
        )
    return found


# --- audit (dockwright.audit) ---


def audit(
    image: str,
    *,
    engine: Engine | str | None = None,
    context: str | _Path | None = None,
    max_size_mb: float | None = None,
    run: bool = False,
    env_file: str | _Path | None = None,
    network: str | None = None,
) -> AuditReport:
    """Audit a built image: config, history and layers streamed from ``docker save`` (or ``podman
    save``), then the checklist. ``engine`` as for :func:`build`.

    ``max_size_mb`` defaults to ``[tool.dockwright] max-size-mb`` of ``context`` (or the current dir)."""
    from dockwright.audit.audit import run_audit

    return run_audit(
        image,
        _engine(engine),
        context=context,
        max_size_mb=max_size_mb,
        run=run,
        env_file=env_file,
        network=network,
    )


def image_source(image: str, engine: Engine | str | None = None, source: str = "auto") -> str:
    """Where ``image`` is read from: "engine" or "registry". ``source`` "auto": the engine when it holds
    the image or the name has no registry host, else the registry (nothing is pulled)."""
    from dockwright.errors import ConfigError, DockwrightError
    from dockwright.image_names import names_registry

    if source in ("engine", "registry"):
        return source
    if source != "auto":
        raise ConfigError(f"unknown image source {source!r}: engine, registry or auto")
    if not names_registry(image):
        return "engine"
    try:
        _engine(engine).inspect_image(image)
    except DockwrightError:
        return "registry"
    return "engine"


def audit_registry(
    image: str,
    *,
    platform: str | None = None,
    context: str | _Path | None = None,
    max_size_mb: float | None = None,
) -> tuple[AuditReport, ...]:
    """Audit an image in a registry without pulling it: one report per platform of an index (or only
    ``platform``'s). Manifests, config and layers are streamed over the registry API; credentials come
    from the Docker client's config. Nothing runs (no engine)."""
    from dockwright.audit.audit import run_audit
    from dockwright.audit.registry_image import read_registry_image

    return tuple(
        run_audit(image, None, context=context, max_size_mb=max_size_mb, facts=found.facts)
        for found in read_registry_image(image, platform=platform)
    )


# --- sbom (dockwright.audit.inventory, dockwright.sbom) ---


def inventory(
    image: str,
    *,
    engine: Engine | str | None = None,
    context: str | _Path | None = None,
    platform: str | None = None,
) -> Inventory:
    """What ``image`` contains (Python distributions, Debian packages), streamed from the engine, or
    from the registry when the engine does not hold it (``platform``: which image of an index, default
    the first); with ``context`` each distribution is checked against the project's lock."""
    from dockwright.audit.image import read_image
    from dockwright.audit.inventory import inventory as _inventory
    from dockwright.audit.inventory import project_lock
    from dockwright.errors import ConfigError

    locked: tuple[_Any, ...] = ()
    lock_file = ""
    if context is not None:
        root = _Path(context)
        if not root.is_dir():
            raise ConfigError(f"--context {context}: not a directory")
        locked, lock_file = project_lock(root)
    if image_source(image, engine) == "registry":
        from dockwright.audit.registry_image import read_registry_image

        facts = read_registry_image(image, platform=platform, inventory=True)[0].facts
    else:
        facts = read_image(_engine(engine), image, inventory=True)
    return _inventory(facts, locked, lock_file)


def sbom(
    image: str,
    *,
    fmt: str = "cyclonedx-json",
    engine: Engine | str | None = None,
    context: str | _Path | None = None,
    platform: str | None = None,
) -> tuple[Inventory, str]:
    """The SBOM of ``image`` as ``fmt`` ("cyclonedx-json" or "spdx-json"), validated, and its inventory."""
    from dockwright.errors import ConfigError
    from dockwright.sbom import FORMATS

    if fmt not in FORMATS:
        raise ConfigError(f"unknown SBOM format {fmt!r}: choose {' or '.join(FORMATS)}")
    found = inventory(image, engine=engine, context=context, platform=platform)
    if fmt == "spdx-json":
        from dockwright.sbom.spdx_json import spdx_json

        return found, spdx_json(found)
    from dockwright.sbom.cyclonedx_json import cyclonedx_json

    return found, cyclonedx_json(found)
