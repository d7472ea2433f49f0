"""The build use-case: a project's planned Dockerfile → an Image, through an Engine.

The project's own Dockerfile is built when it has one (``init`` wrote it, or the user did); otherwise
the planned one is rendered into a temporary file. Build args come from the BuildPlan; CREATED from
``SOURCE_DATE_EPOCH`` when set (reproducible builds), else now. A private index travels as a BuildKit
secret (a 0600 temp pip.conf, deleted afterwards), never as ARG or ENV, so it lands in no layer.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path

from dockwright.engine.base import BuildRequest, BuildStep, Engine, Image
from dockwright.errors import ConfigError, ProjectError
from dockwright.plan.model import BuildPlan
from dockwright.render.render import render_files


def created_timestamp(environ: dict[str, str] | None = None) -> str:
    """RFC 3339 UTC build time: ``SOURCE_DATE_EPOCH`` when set, else now."""
    environ = dict(os.environ) if environ is None else environ
    epoch = environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        try:
            moment = datetime.fromtimestamp(int(epoch), tz=timezone.utc)
        except ValueError as error:
            raise ConfigError(f"SOURCE_DATE_EPOCH is not a whole number of seconds: {epoch!r}") from error
    else:
        moment = datetime.now(tz=timezone.utc)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def build_args(plan: BuildPlan, environ: dict[str, str] | None = None) -> tuple[tuple[str, str], ...]:
    """The plan's build args, with REVISION from the detected commit and CREATED from the clock."""
    values = dict(plan.build_args)
    revision = plan.facts.metadata.revision.value
    if revision:
        values["REVISION"] = revision
    if "CREATED" in values:
        values["CREATED"] = created_timestamp(environ)
    return tuple(values.items())


@contextmanager
def _secret_pip_conf(index_url: str | None) -> Iterator[tuple[tuple[str, str], ...]]:
    if not index_url:
        yield ()
        return
    descriptor, name = tempfile.mkstemp(prefix="dockwright-pipconf-", suffix=".conf")
    try:
        os.fchmod(descriptor, 0o600)
        with os.fdopen(descriptor, "w") as handle:
            handle.write(f"[global]\nindex-url = {index_url}\n")
        yield (("pipconf", name),)
    finally:
        Path(name).unlink(missing_ok=True)


@contextmanager
def _dockerfile(root: Path, plan: BuildPlan) -> Iterator[Path]:
    existing = root / "Dockerfile"
    if existing.is_file():
        yield existing
        return
    rendered = {f.path: f.content for f in render_files(plan)}
    with tempfile.TemporaryDirectory(prefix="dockwright-render-") as scratch:
        path = Path(scratch) / "Dockerfile"
        path.write_text(rendered["Dockerfile"])
        yield path


def build_project(
    root: Path,
    plan: BuildPlan,
    engine: Engine,
    *,
    tag: str | None = None,
    platforms: tuple[str, ...] = (),
    target: str | None = None,
    no_cache: bool = False,
    index_url: str | None = None,
    network: str | None = None,
    on_step: Callable[[BuildStep], None] | None = None,
) -> Image:
    if not root.is_dir():
        raise ProjectError(f"not a directory: {root}")
    with _dockerfile(root, plan) as dockerfile, _secret_pip_conf(index_url) as secrets:
        request = BuildRequest(
            context=str(root.resolve()),
            dockerfile=str(dockerfile),
            tag=tag or plan.image_name,
            build_args=build_args(plan),
            secrets=secrets,
            target=target,
            platforms=platforms,
            no_cache=no_cache,
            network=network,
        )
        return engine.build(request, on_step)
