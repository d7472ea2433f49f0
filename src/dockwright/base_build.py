"""``dockwright base build``: the trimmed runtime base built (and pushed) as an image of its own.

The act layer beside :mod:`dockwright.build`: :func:`trimmed_base_for` decides what to trim (an
explicit Python, else the project's plan), the renderer writes the Dockerfile into a temporary folder,
the engine builds it (and pushes it with ``--push``), and the registry names the digest people pin:
``REF:TAG@sha256:...``. :func:`read_labels` is the other direction: a published base's labels, read
from its registry without pulling it, so ``plan``/``init``/``build`` check its Python and UID.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from dockwright.engine.base import BuildRequest, BuildStep, Engine, Image
from dockwright.engine.digest import registry_digest
from dockwright.errors import ConfigError, DockwrightError, PlanError, ProjectError
from dockwright.image_names import check_image_reference, names_registry
from dockwright.plan.model import BuildPlan
from dockwright.plan.published_base import TrimmedBase, trimmed_base
from dockwright.plan.strategies.base import PlanOptions


@dataclass(frozen=True)
class BaseBuild:
    """A built trimmed base: what was built, under which tag, and the digest-pinned reference when pushed."""

    base: TrimmedBase
    image: Image
    pushed: bool
    digest: str = ""  # the registry's manifest digest (pushed), else ""

    @property
    def reference(self) -> str:
        """``REPO:TAG@sha256:...`` once pushed (what ``runtime-base = "image:..."`` names), else the tag."""
        return f"{self.image.ref}@{self.digest}" if self.digest else self.image.ref


def trimmed_base_for(
    plan_project: Callable[..., BuildPlan],
    path: str | Path,
    *,
    python: str | None = None,
    debian: str | None = None,
    uid: int | None = None,
) -> TrimmedBase:
    """What to trim: ``python`` (X.Y[.Z], on ``debian`` or its newest suite), else the project's plan
    (its runtime base must be the trimmed python slim image: the slim and uv strategies)."""
    if python is not None:
        from dockwright.plan.bases import slim
        from dockwright.project.facts import Evidence
        from dockwright.project.python_version import choose_suite, resolve

        version = resolve(python, kind="version", evidence=Evidence("--python", None, python)).value
        suite = choose_suite(version, requested=debian).value
        return trimmed_base(slim(version, suite), version, PlanOptions().uid if uid is None else uid)
    try:
        plan = plan_project(path, runtime_base="trimmed", debian=debian, uid=uid)
    except ProjectError as error:  # "pass --start" names an option of plan and init, not of base build
        if "pass --start" not in error.message:
            raise
        raise ProjectError(
            f"{error.message.removesuffix('; pass --start')}: give --python X.Y to build a base without "
            "planning the project",
            file=error.file,
            line=error.line,
        ) from error
    if plan.runtime_root is None:
        raise PlanError(
            f"the project's runtime (strategy {plan.strategy}, FROM {plan.runtime_image}) is not the trimmed "
            "python image: give --python X.Y.Z to build a base anyway"
        )
    return trimmed_base(plan.runtime_root.base, plan.python_version, plan.user.uid)


def full_tag(base: TrimmedBase, tag: str | None) -> str:
    """``tag`` (a repository alone gets the default tag: Python, suite and UID), else the default name."""
    if not tag:
        return base.default_name
    check_image_reference(tag, "--tag")
    if "@" in tag:
        raise ConfigError(f"--tag {tag!r}: name a tag, not a digest (the build makes the digest)")
    name = tag.rsplit("/", 1)[-1]
    return tag if ":" in name else f"{tag}:{base.default_name.split(':', 1)[1]}"


def build_base(
    base: TrimmedBase,
    engine: Engine,
    *,
    tag: str | None = None,
    push: bool = False,
    no_cache: bool = False,
    network: str | None = None,
    on_step: Callable[[BuildStep], None] | None = None,
) -> BaseBuild:
    """Render, build (and push) ``base``; with ``push`` the registry's digest of the pushed tag."""
    from dockwright.render.render import render_trimmed_base

    ref = full_tag(base, tag)
    if push and not names_registry(ref):
        raise ConfigError(f"--push needs a --tag that names a registry (REGISTRY/NAME[:TAG]), got {ref!r}")
    args: dict[str, str] = {a.name: a.default for a in base.build_args}
    upstream_digest = registry_digest(engine, base.upstream)
    if upstream_digest:
        args["BASE_DIGEST"] = upstream_digest
    with tempfile.TemporaryDirectory(prefix="dockwright-base-") as scratch:
        dockerfile = Path(scratch) / "Dockerfile"
        dockerfile.write_text(render_trimmed_base(base), encoding="utf-8")
        request = BuildRequest(
            context=scratch,
            dockerfile=str(dockerfile),
            tag=ref,
            build_args=tuple(args.items()),
            no_cache=no_cache,
            network=network,
            push=push,
        )
        image = engine.build(request, on_step)
    if not push:
        return BaseBuild(base, image, False)
    from dockwright.engine.registry import RegistryClient, parse_reference

    _, _, digest = RegistryClient(parse_reference(ref)).manifest(parse_reference(ref).reference)
    return BaseBuild(base, image, True, digest)


def read_labels(ref: str) -> tuple[tuple[tuple[str, str], ...] | None, str]:
    """(the labels of ``ref``'s image config, "") read from its registry, or (None, why not)."""
    if not names_registry(ref):
        return None, f"{ref} names no registry"
    from dockwright.engine.registry import INDEX_TYPES, RegistryClient, parse_reference

    try:
        reference = parse_reference(ref)
        client = RegistryClient(reference)
        document, media, _ = client.manifest(reference.reference)
        if media in INDEX_TYPES or "manifests" in document:
            entries = [
                e
                for e in document.get("manifests", [])
                if (e.get("platform") or {}).get("os") not in (None, "unknown")
            ]
            if not entries:
                return None, f"the index of {ref} lists no image"
            document, _, _ = client.manifest(str(entries[0]["digest"]))
        config = client.blob_json(str(document["config"]["digest"]))
    except (DockwrightError, KeyError, TypeError, ValueError) as error:
        return None, f"cannot read its labels: {' '.join(str(error).split())[:160]}"
    labels = (config.get("config") or {}).get("Labels") or {}
    return tuple(sorted((str(k), str(v)) for k, v in labels.items())), ""
