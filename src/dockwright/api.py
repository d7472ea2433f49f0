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
    from dockwright.audit.audit import AuditReport
    from dockwright.build import BuildOptions
    from dockwright.engine.base import BuildStep, Engine, Image
    from dockwright.lint.linter import LintOptions, LintResult
    from dockwright.plan.initialize import InitResult
    from dockwright.plan.model import BuildPlan
    from dockwright.plan.platforms import PlatformReport


def plan(path: str | _Path = ".", **options: _Any) -> BuildPlan:
    """Detect the project at ``path`` and plan its image. ``options``: python, manager, start, port,
    strategy, syntax_directive, bytecode, image_name, lock_name, include_tests, include_docs, ...
    (layered over ``[tool.dockwright]`` and ``DOCKWRIGHT_*``)."""
    from dockwright.plan.initialize import plan_project

    return plan_project(path, options)


def init(
    path: str | _Path = ".", *, force: bool = False, dry_run: bool = False, **options: _Any
) -> InitResult:
    """Plan, then write Dockerfile, .dockerignore and (when needed) the hash-locked requirements file.

    Atomic writes; refuses to replace a different existing file unless ``force``; ``dry_run``
    computes the changes (with diffs) without writing."""
    from dockwright.plan.initialize import init_project

    return init_project(path, options, force=force, dry_run=dry_run)


# --- lint (dockwright.dockerfile, dockwright.lint) ---


def lint(paths: _Sequence[str | _Path] = (".",), *, options: LintOptions | None = None) -> LintResult:
    """Lint Dockerfiles (files, or folders searched for Dockerfile/Containerfile/*.Dockerfile/Dockerfile.*).

    ``options`` defaults to each file's nearest ``[tool.dockwright.lint]``."""
    from dockwright.lint.linter import lint_paths

    return lint_paths(paths, options)


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
    from dockwright.errors import DockwrightError, PlanError
    from dockwright.plan.platforms import ARCHES

    if not platforms or (len(platforms) == 1 and platforms[0].lower() == _host_platform()):
        return
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
    engine: Engine | None = None,
    on_step: _Callable[[BuildStep], None] | None = None,
    check_wheels: bool = True,
    on_warning: _Callable[[str], None] | None = None,
    output: str | None = None,
    build_options: BuildOptions | None = None,
    **options: _Any,
) -> Image:
    """Plan the project, then build its Dockerfile (or the planned one) with BuildKit through the engine.

    ``platforms``: one or more targets ("linux/amd64,linux/arm64" is split); several need
    buildx and ``output`` (buildx ``--output``: ``type=registry`` pushes, ``type=oci,dest=FILE`` exports;
    a multi-platform image cannot be loaded into the engine). ``index_url`` (credentials allowed)
    becomes the BuildKit secret ``pipconf``, never an ARG.
    ``network`` is passed to RUN steps ("host" in the offline sandbox). Raises EngineError when no
    engine answers, no BuildKit-capable client exists, or the build fails (failing step + last lines).

    ``check_wheels``: before building for several platforms or a foreign one, check every locked
    dependency (:func:`check_platforms`): sdist-only packages are warnings (``on_warning``, default
    :func:`warnings.warn`: they compile under emulation), packages with neither wheel nor sdist for a
    platform raise PlanError naming them; an unreachable index is a warning, not an error.

    ``build_options`` (:class:`dockwright.build.BuildOptions`): --push, registry cache, a buildx builder,
    the user's build args, secrets and labels, and ``dry_run`` (the Image then carries only the command)."""
    from dockwright.build import build_project

    split = _split_platforms(platforms)
    if engine is None:
        from dockwright.engine.docker import DockerEngine

        engine = DockerEngine()
    plan_value = plan(path, **options)
    if check_wheels:
        if on_warning is None:
            import warnings as _warnings

            def on_warning(message: str) -> None:
                _warnings.warn(message, stacklevel=3)

        _check_before_build(plan_value, split, index_url, on_warning, _Path(path))
    return build_project(
        _Path(path),
        plan_value,
        engine,
        tag=tag,
        platforms=split,
        target=target,
        no_cache=no_cache,
        index_url=index_url,
        network=network,
        labels=labels,
        on_step=on_step,
        output=output,
        options=build_options,
    )


# --- audit (dockwright.audit) ---


def audit(
    image: str,
    *,
    engine: Engine | None = None,
    context: str | _Path | None = None,
    max_size_mb: float | None = None,
    run: bool = False,
) -> AuditReport:
    """Audit a built image: config, history and layers streamed from ``docker save``, then the checklist.

    ``max_size_mb`` defaults to ``[tool.dockwright] max-size-mb`` of ``context`` (or the current dir)."""
    from dockwright.audit.audit import run_audit

    if engine is None:
        try:
            from dockwright.engine.docker import (  # type: ignore[import-not-found,unused-ignore]
                DockerEngine,
            )
        except ImportError as error:
            from dockwright.errors import EngineError

            raise EngineError(f"no Docker engine support available: {error}") from error
        engine = DockerEngine()
    return run_audit(image, engine, context=context, max_size_mb=max_size_mb, run=run)
