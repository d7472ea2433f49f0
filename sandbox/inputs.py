"""What the generated Dockerfiles need: base image names, apt packages and Python distributions.

Every example under ``examples/`` is copied to a scratch dir and run through ``dockwright init
--no-syntax`` — the same files a user would get — and the needs are read off the result.
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from dockwright import api
from dockwright.dockerfile import parse
from dockwright.lint.commands import calls, installed_packages
from sandbox.config import REPO

# Build backends and installers that builds fetch on their own (pip's isolated builds of sdists and apps).
BUILD_BACKENDS = ("setuptools>=68", "wheel", "hatchling", "poetry-core", "pdm-backend", "flit-core")
# Debian packages any generated Dockerfile may apt-get install beyond the native table.
BASE_APT = (
    *("tini", "build-essential", "libpython3-dev", "binutils", "gcc", "libc6-dev", "patchelf"),
    "ca-certificates",
)
DISTROLESS = (
    "gcr.io/distroless/python3-debian12",
    "gcr.io/distroless/python3-debian12:nonroot",
    "gcr.io/distroless/cc-debian12",
    "gcr.io/distroless/cc-debian12:nonroot",
)


@dataclass(frozen=True)
class Needs:
    images: frozenset[str]
    apt: frozenset[str]
    requirement_files: tuple[Path, ...]  # hash-locked files to download (copied into the scratch dir)
    extra_requirements: tuple[str, ...]
    # the multi-arch leg (sandbox/multiarch.py): its example's lock, arm64 apt packages and base images
    multiarch_locks: tuple[Path, ...] = ()
    multiarch_apt: frozenset[str] = frozenset()
    multiarch_images: frozenset[str] = frozenset()


def examples() -> list[Path]:
    return sorted(p for p in (REPO / "examples").iterdir() if (p / "README.md").exists() and p.is_dir())


def render_examples(scratch: Path) -> list[Path]:
    """Copy every example into ``scratch`` once per strategy that fits it, and ``init`` it there.

    The default strategy's copy is ``scratch/<example>``; the others are ``scratch/<example>@<strategy>``.
    """
    from dockwright.plan.initialize import detect
    from dockwright.plan.planner import STRATEGIES, choose
    from dockwright.plan.strategies.base import PlanOptions

    out = []
    for example in examples():
        facts = detect(example, PlanOptions())
        default, _ = choose(facts, PlanOptions())
        for strategy in STRATEGIES:
            if not strategy.applies(facts).ok:
                continue
            suffix = "" if strategy is default else f"@{strategy.name}"
            target = scratch / f"{example.name}{suffix}"
            shutil.rmtree(target, ignore_errors=True)
            shutil.copytree(example, target)
            api.init(target, force=True, syntax_directive=False, strategy=strategy.name)
            out.append(target)
    return out


def _needs_of(dockerfile_text: str) -> tuple[set[str], set[str]]:
    """The base images (not stage names, not scratch) and the OS packages one Dockerfile installs."""
    parsed = parse(dockerfile_text)
    names = {s.name for s in parsed.stages if s.name}
    images = {s.base_image for s in parsed.stages if s.base_image not in names and s.base_image != "scratch"}
    packages = {p for i in parsed.instructions for p in installed_packages(calls(i))}
    return images, packages


def tool_requirement_files() -> list[Path]:
    """Hash-locked pins of builder tools shipped with dockwright (standalone strategies), if any."""
    return sorted((REPO / "src" / "dockwright" / "plan" / "data" / "support").glob("tools-*.txt"))


def collect(scratch: Path | None = None) -> Needs:
    from dockwright.project.native import all_apt_packages

    scratch = scratch or Path(tempfile.mkdtemp(prefix="dockwright-sandbox-"))
    images: set[str] = set(DISTROLESS)
    apt: set[str] = set(BASE_APT) | all_apt_packages()
    from sandbox.multiarch import EXAMPLE

    requirement_files: list[Path] = []
    multiarch: tuple[tuple[Path, ...], frozenset[str], frozenset[str]] = ((), frozenset(), frozenset())
    for project in render_examples(scratch):
        text = (project / "Dockerfile").read_text()
        used_images, used_packages = _needs_of(text)
        images |= used_images
        apt |= used_packages
        plan = api.plan(project, syntax_directive=False, strategy=_strategy_of(project))
        if not plan.lock.empty and plan.lock.method != "uv-sync":  # uv.lock: same files as the converted lock
            requirement_files.append(project / plan.lock.path)
            if project.name == EXAMPLE:
                multiarch = ((project / plan.lock.path,), frozenset(used_packages), frozenset(used_images))
    requirement_files += tool_requirement_files()
    return Needs(frozenset(images), frozenset(apt), tuple(requirement_files), BUILD_BACKENDS, *multiarch)


def _strategy_of(project: Path) -> str | None:
    return project.name.split("@", 1)[1] if "@" in project.name else None
