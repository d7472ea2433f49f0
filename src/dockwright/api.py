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

from dockwright.plan.initialize import InitResult, init_project, plan_project
from dockwright.plan.model import BuildPlan

if _TYPE_CHECKING:
    from dockwright.audit.audit import AuditReport
    from dockwright.engine.base import BuildStep, Engine, Image
    from dockwright.lint.linter import LintOptions, LintResult


def plan(path: str | _Path = ".", **options: _Any) -> BuildPlan:
    """Detect the project at ``path`` and plan its image. ``options``: python, manager, start, port,
    strategy, syntax_directive, bytecode, image_name, lock_name, include_tests, include_docs, ...
    (layered over ``[tool.dockwright]`` and ``DOCKWRIGHT_*``)."""
    return plan_project(path, options)


def init(
    path: str | _Path = ".", *, force: bool = False, dry_run: bool = False, **options: _Any
) -> InitResult:
    """Plan, then write Dockerfile, .dockerignore and (when needed) the hash-locked requirements file.

    Atomic writes; refuses to replace a different existing file unless ``force``; ``dry_run``
    computes the changes (with diffs) without writing."""
    return init_project(path, options, force=force, dry_run=dry_run)


# --- lint (dockwright.dockerfile, dockwright.lint) ---


def lint(paths: _Sequence[str | _Path] = (".",), *, options: LintOptions | None = None) -> LintResult:
    """Lint Dockerfiles (files, or folders searched for Dockerfile/Containerfile/*.Dockerfile/Dockerfile.*).

    ``options`` defaults to each file's nearest ``[tool.dockwright.lint]``."""
    from dockwright.lint.linter import lint_paths

    return lint_paths(paths, options)


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
    **options: _Any,
) -> Image:
    """Plan the project, then build its Dockerfile (or the planned one) with BuildKit through the engine.

    ``platforms``: one or more targets ("linux/amd64,linux/arm64" is split); several need
    buildx. ``index_url`` (credentials allowed) becomes the BuildKit secret ``pipconf``, never an ARG.
    ``network`` is passed to RUN steps ("host" in the offline sandbox). Raises EngineError when no
    engine answers, no BuildKit-capable client exists, or the build fails (failing step + last lines)."""
    from dockwright.build import build_project

    wanted = (platforms,) if isinstance(platforms, str) else platforms
    split = tuple(p.strip() for value in wanted for p in value.split(",") if p.strip())
    if engine is None:
        from dockwright.engine.docker import DockerEngine

        engine = DockerEngine()
    plan_value = plan(path, **options)
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
