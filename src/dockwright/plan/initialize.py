"""``init``: plan, render, generate the lock when needed, and write everything atomically.

Lives in ``plan`` (not ``api``) so ``api.init`` stays a thin wrapper; it never imports an engine.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from packaging.utils import canonicalize_name

from dockwright.config import load_options
from dockwright.errors import ProjectError
from dockwright.lock.compile import CompileOptions
from dockwright.lock.generate import generate_lock, pins
from dockwright.lock.header import read_header, sha256_of, stale_reason
from dockwright.plan.model import BuildPlan
from dockwright.plan.planner import make_plan
from dockwright.plan.strategies.base import PlanOptions
from dockwright.project.facts import ProjectFacts
from dockwright.render.render import RenderedFile, render_files
from dockwright.render.writer import FileChange, plan_changes, write_files


@dataclass(frozen=True)
class InitResult:
    """What ``init`` did (or, with dry_run/diff, would do)."""

    plan: BuildPlan
    changes: tuple[FileChange, ...]
    written: bool  # False for --dry-run / --diff

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


def detect(root: Path, options: PlanOptions) -> ProjectFacts:
    from dockwright.project.detect import detect_project

    return detect_project(
        root,
        python=options.python,
        manager=options.manager,
        start=options.start,
        port=options.port,
        process=options.process,
    )


def plan_project(
    path: str | Path, cli: Mapping[str, Any] | None = None, env: Mapping[str, str] | None = None
) -> BuildPlan:
    """Options (layered) -> facts -> plan, with a warning when a generated lock is stale."""
    root = resolve_root(path)
    options = load_options(root, cli, env)
    plan = make_plan(detect(root, options), options)
    return with_staleness(root, plan)


def with_staleness(root: Path, plan: BuildPlan) -> BuildPlan:
    reason = stale_reason(root, plan.lock.path)
    if reason is None:
        return plan
    return dataclasses.replace(
        plan, lock=dataclasses.replace(plan.lock, stale=True), warnings=(*plan.warnings, reason)
    )


def files_for(
    root: Path, plan: BuildPlan, *, force: bool = False, compile_options: CompileOptions | None = None
) -> tuple[RenderedFile, ...]:
    """Rendered files, preceded by the lock when the plan generates one.

    An existing generated lock whose source is unchanged is kept as is (no re-resolution) unless
    ``force``; a stale one is regenerated.
    """
    files = list(render_files(plan))
    lock = plan.lock
    if lock.generate and (lock.source or lock.adds):
        target = root / lock.path
        keep = False
        if target.is_file() and not force and not lock.stale and lock.source:
            text = target.read_text(encoding="utf-8", errors="replace")
            header = read_header(text)
            source = root / lock.source
            keep = header is not None and source.is_file() and header.sha256 == sha256_of(source)
            keep = keep and all(canonicalize_name(a) in pins(text) for a in lock.adds)
        if keep:
            files.insert(0, RenderedFile(lock.path, target.read_text(encoding="utf-8")))
        else:
            text = generate_lock(root, lock, plan.python_version, compile_options)
            files.insert(0, RenderedFile(lock.path, text))
    return tuple(files)


def init_project(
    path: str | Path,
    cli: Mapping[str, Any] | None = None,
    *,
    force: bool = False,
    dry_run: bool = False,
    env: Mapping[str, str] | None = None,
    compile_options: CompileOptions | None = None,
) -> InitResult:
    root = resolve_root(path)
    plan = plan_project(root, cli, env)
    if compile_options is None:
        options = load_options(root, cli, env)
        compile_options = CompileOptions(index_url=options.index_url, exclude_newer=options.exclude_newer)
    files = files_for(root, plan, force=force, compile_options=compile_options)
    if dry_run:
        return InitResult(plan, plan_changes(root, files), False)
    return InitResult(plan, write_files(root, files, force=force), True)
