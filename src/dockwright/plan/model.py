"""BuildPlan: everything the templates and the build step need, decided up front.

Templates read only this value (``render``), and a build step can consume it directly: the image
name, the build arguments it must feed (VERSION, REVISION, CREATED), and the files to generate.
Every choice carries a :class:`Decision` with its reason; ``to_dict`` is the ``plan --json`` schema
(documented in docs/plan-schema.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar, Literal

from dockwright.jsonable import to_jsonable
from dockwright.project.facts import PackageIndex, ProjectFacts
from dockwright.redact import scrub

PLAN_SCHEMA = "dockwright.plan/1"

Stage = Literal["builder", "runtime"]
AppInstall = Literal["wheel", "source"]
BytecodePolicy = Literal["compile", "none"]


FRONTEND_STAGE = "frontend"  # the side stage of a frontend build (plan/buildsteps.py)
NPMRC_SECRET_ID = "npmrc"  # `dockwright build` passes the project's or the user's .npmrc (build.py)
HOOK_NODE_TOPIC = "build-hook-node"  # the decision of a wheel build run with Node mounted (plan/hook_node.py)
BASE_DIGEST_ARG = "BASE_DIGEST"  # the build arg a trimmed runtime's base digest label reads (plan/trim.py)


@dataclass(frozen=True)
class Decision:
    """One choice the planner made: what it is about, what was chosen, and why."""

    topic: str
    choice: str
    reason: str

    def __post_init__(self) -> None:
        scrub(self, "choice", "reason")  # no credential in a printable value


@dataclass(frozen=True)
class AptPackage:
    """A Debian package installed in a stage, and why it is there."""

    name: str
    why: str

    def __post_init__(self) -> None:
        scrub(self, "why")  # no credential in a printable value


@dataclass(frozen=True)
class EnvVar:
    name: str
    value: str
    why: str

    def __post_init__(self) -> None:
        scrub(self, "why")  # no credential in a printable value


@dataclass(frozen=True)
class Step:
    """One Dockerfile instruction of a stage, fully decided.

    ``instruction`` is RUN, COPY, ADD (a git source only: ``URL#COMMIT`` then the destination) or ARG
    (``args`` = the one ``NAME``);
    ``flags`` are its ``--mount``/``--from``/``--chown`` flags;
    ``args`` are, for RUN, shell commands joined with ``&&`` and, for COPY, the sources then the
    destination. ``why`` becomes the ``# why`` comment above the line (empty = obvious).
    """

    instruction: Literal["RUN", "COPY", "ADD", "ARG"]
    args: tuple[str, ...]
    flags: tuple[str, ...] = ()
    why: str = ""

    def __post_init__(self) -> None:
        scrub(self, "why")  # no credential in a printable value


@dataclass(frozen=True)
class SideStage:
    """A small stage built in parallel with the builder (BuildKit runs independent stages at once),
    e.g. ``apt-get install tini`` whose static binary the runtime copies: it costs no builder time."""

    name: str
    image: str
    title: str
    steps: tuple[Step, ...]
    workdir: str = ""  # WORKDIR of the stage when its steps need one (a frontend build)
    env: tuple[EnvVar, ...] = ()  # ENV of the stage (a wheel build: the builder's pip settings)


@dataclass(frozen=True)
class RuntimeRoot:
    """The runtime's whole file system, copied in one layer from a stage (``FROM scratch`` +
    ``COPY --from=<stage> / /``): the pinned ``base`` image without its installer tooling. That copy is
    a stage of its own, ``name``, which the runtime starts FROM: ``dockwright build`` keeps it as a local
    image and hands it back as a build context (:mod:`dockwright.engine.root_image`), so a ``--no-cache``
    build does not copy and export the same root again."""

    name: ClassVar[str] = "root"
    title: ClassVar[str] = "the trimmed base's file system as one layer (`dockwright build` reuses it)"
    stage: str
    base: str  # the pinned image the stage starts FROM (what the runtime's files are)
    why: str

    def __post_init__(self) -> None:
        scrub(self, "why")  # no credential in a printable value


@dataclass(frozen=True)
class User:
    name: str
    uid: int
    gid: int
    home: str


@dataclass(frozen=True)
class Healthcheck:
    """An exec-form probe (no curl: a Python one-liner) and its timings."""

    argv: tuple[str, ...]
    interval: str
    timeout: str
    retries: int
    start_period: str
    kind: Literal["http", "tcp", "grpc"]


@dataclass(frozen=True)
class Label:
    key: str
    value: str  # may reference a build arg, e.g. "${VERSION}"


@dataclass(frozen=True)
class BuildArg:
    """An ``ARG`` the Dockerfile declares and the build step feeds (``--build-arg NAME=...``)."""

    name: str
    default: str
    why: str

    def __post_init__(self) -> None:
        scrub(self, "default", "why")  # no credential in a printable value


@dataclass(frozen=True)
class IgnoreEntry:
    """One .dockerignore line (``!`` re-includes) and why."""

    pattern: str
    why: str

    def __post_init__(self) -> None:
        scrub(self, "why")  # no credential in a printable value


StaleCause = Literal["inputs", "python"]


@dataclass(frozen=True)
class LockPlan:
    """The hash-locked requirements file the builder installs from.

    ``generate`` is True when ``init`` must write it (converted from ``source`` by ``method``);
    ``stale`` when an existing generated lock no longer matches its source's sha256, ``stale_reason``
    then saying why (the plan's warning, worded by lock/header.py; None when fresh, or for a plan made
    without looking at the lock on disk) and ``stale_cause`` what kind of change it was: ``inputs``
    (what it was resolved from changed: ``init --lock-only`` regenerates it) or ``python`` (it was
    resolved for another Python minor than the plan's, whose base the Dockerfile names too: ``init
    --force``); both set where the plan decides it (initialize.with_staleness).
    """

    path: str
    generate: bool
    source: str | None
    method: (
        str  # "existing" | "convert-poetry" | "convert-pdm" | "convert-pipenv" | "convert-uv" | "uv-compile"
    )
    empty: bool  # no third-party dependency at all (the dependency install step is left out)
    stale: bool = False
    stale_reason: str | None = None
    stale_cause: StaleCause | None = None
    # Distributions the start command needs beyond the project's own (a server): resolved against the
    # lock's pins and appended to it.
    adds: tuple[str, ...] = ()
    # Those of ``adds`` only another process of the image needs (AppFacts.adds_for_others).
    adds_for_others: tuple[str, ...] = ()
    # uv-compile only: requirement lines read statically from ``source`` (setup.py's install_requires),
    # resolved from standard input so that ``source`` itself is never executed; () = resolve ``source``.
    requirements: tuple[str, ...] = ()
    # existing locks only: the files the lock includes (``-r``/``-c``, nested), copied beside it
    includes: tuple[str, ...] = ()
    # Indexes other than PyPI the lock installs from: written into a generated lock as index options
    # (never with credentials); the install step mounts the ``netrc`` secret when there are any.
    indexes: tuple[PackageIndex, ...] = ()
    # uv-compile only: constraints files the project installs under (PIP_CONSTRAINT where it documents it)
    constraints: tuple[str, ...] = ()
    # Project folders the requirements name with ``--find-links`` and wheel files they install by path
    # (``.whl``): the install step bind-mounts each at the same place under the builder's workdir; a
    # generated lock names the folders (relative, as pip reads) and pins each file by its sha256.
    local_wheels: tuple[str, ...] = ()
    # uv-compile of a requirements file only: ``[project].dependencies`` (or ``install_requires``) lines
    # the file leaves out and the installed app needs (project/dep_sources.py), resolved together with it
    # (from standard input); ``merged_from``: the file they are declared in (the lock header names it).
    merged: tuple[str, ...] = ()
    merged_from: str = "pyproject.toml"
    # Set by init only (lock/own_ranges.py): the package's declared lines for names a first resolution
    # pinned out of their declared range, resolved again beside the file (from standard input).
    ranges: tuple[str, ...] = ()
    # uv.lock (convert-uv, uv-sync): the project's extras and dependency groups installed beside its
    # dependencies (project/uv_selection.py); ``named_groups``: uv sync names the groups itself
    # (``--no-default-groups --group G``) since the project declares ``default-groups``.
    extras: tuple[str, ...] = ()
    groups: tuple[str, ...] = ()
    named_groups: bool = False
    # uv-compile of a requirements file only: the files it is layered on (Dependencies.layers, bottom
    # first), resolved together with it; the header records each as an include.
    layers: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        scrub(self, "stale_reason", "requirements")  # no credential in a printable value


@dataclass(frozen=True)
class GeneratedFile:
    """A file ``init`` writes besides the rendered ones (the lock)."""

    path: str
    kind: str
    why: str

    def __post_init__(self) -> None:
        scrub(self, "why")  # no credential in a printable value


@dataclass(frozen=True)
class FrozenEntry:
    """What a frozen binary (PyInstaller, Nuitka) starts, and what static analysis cannot see.

    ``kind``: ``function`` calls ``target`` = "module:function" (a console script); ``module`` runs
    ``target`` as ``__main__``; ``script`` freezes the script ``target`` itself. ``data`` are
    (source, destination) directories bundled beside the code.
    """

    kind: Literal["function", "module", "script"]
    target: str
    hidden_imports: tuple[str, ...]
    collect_submodules: tuple[str, ...]
    data: tuple[tuple[str, str], ...]
    why: str

    @property
    def module(self) -> str:
        return self.target.split(":")[0]

    @property
    def function(self) -> str:
        return self.target.split(":")[1] if ":" in self.target else ""

    def __post_init__(self) -> None:
        scrub(self, "why")  # no credential in a printable value


@dataclass(frozen=True)
class SupportFile:
    """A file ``init`` writes into the project from dockwright's own data (a tool lock, a probe's source).

    ``resource`` names a file under ``dockwright/plan/data/support``, or a ``*.j2`` template under
    ``dockwright/render/templates`` rendered with the plan; the Dockerfile COPYs ``path``.
    """

    path: str
    resource: str
    why: str

    def __post_init__(self) -> None:
        scrub(self, "why")  # no credential in a printable value


@dataclass(frozen=True)
class BuildPlan:
    """The whole image, decided. Frozen; ``to_dict()`` is the versioned JSON schema."""

    strategy: str
    python_version: str  # X.Y.Z
    builder_image: str
    runtime_image: str
    builder_apt: tuple[AptPackage, ...]
    runtime_apt: tuple[AptPackage, ...]
    builder_env: tuple[EnvVar, ...]
    runtime_env: tuple[EnvVar, ...]
    builder_workdir: str
    builder_steps: tuple[Step, ...]
    runtime_steps: tuple[Step, ...]
    user: User
    workdir: str
    app_install: AppInstall
    lock: LockPlan
    entrypoint: tuple[str, ...]
    cmd: tuple[str, ...]
    expose: int | None
    healthcheck: Healthcheck | None
    healthcheck_reason: str  # why a probe is there, or why there is none
    labels: tuple[Label, ...]
    build_args: tuple[tuple[str, str], ...]  # (name, default) — at least VERSION, REVISION, CREATED
    build_arg_docs: tuple[BuildArg, ...]
    secrets: tuple[tuple[str, str], ...]  # (id, where it is mounted) — optional BuildKit secrets
    image_name: str  # default tag "<name>:<version>"
    dockerignore: tuple[IgnoreEntry, ...]
    files: tuple[GeneratedFile, ...]
    syntax_directive: bool
    header: tuple[str, ...]  # comment lines at the top of the Dockerfile
    decisions: tuple[Decision, ...]
    warnings: tuple[str, ...]
    facts: ProjectFacts
    # Stage headings in the Dockerfile, and files init copies from dockwright's data (standalone strategies).
    builder_title: str = "builder"
    runtime_title: str = "runtime"
    support_files: tuple[SupportFile, ...] = ()
    frozen: FrozenEntry | None = None  # standalone strategies: what the binary starts
    side_stages: tuple[SideStage, ...] = ()  # rendered before the builder, built in parallel with it
    # Variables the app itself needs (settings module, PORT), each rendered with its own `# why`.
    app_env: tuple[EnvVar, ...] = ()
    # Where init writes the Dockerfile and its ignore file, relative to the build context (the project,
    # or a workspace's root: then ``backend/Dockerfile`` with ``backend/Dockerfile.dockerignore``).
    dockerfile_path: str = "Dockerfile"
    dockerignore_path: str = ".dockerignore"
    # Set when runtime_image is "scratch" filled from a trimmed copy of a base image (plan/trim.py).
    runtime_root: RuntimeRoot | None = None
    schema: str = PLAN_SCHEMA

    @property
    def base_image(self) -> str:
        """The image the runtime's files come from: ``runtime_image``, or the base a trimmed root copies."""
        return self.runtime_root.base if self.runtime_root is not None else self.runtime_image

    @property
    def builds_app_wheel(self) -> bool:
        """The image installs the app's wheel: a wheel app, or a source app whose start calls its own
        console scripts (decision ``app-scripts``)."""
        return self.app_install == "wheel" or self.decision("app-scripts") is not None

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"schema": self.schema}
        data.update({k: v for k, v in to_jsonable(self).items() if k != "schema"})
        return data

    def decision(self, topic: str) -> Decision | None:
        for decision in self.decisions:
            if decision.topic == topic:
                return decision
        return None

    def __post_init__(self) -> None:
        scrub(self, "warnings", "header", "healthcheck_reason")  # no credential in a printable value
