"""ProjectFacts: what detection learned about a project, each fact with its evidence.

This is the hand-off value between ``project`` (detect) and ``plan``. It is frozen and
JSON-printable (``to_dict``); every fact names the file (and line, when one exists) that said so.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Generic, Literal, TypeVar

from dockwright.jsonable import to_jsonable
from dockwright.redact import scrub

T = TypeVar("T")

Manager = Literal["requirements", "pip-tools", "poetry", "uv", "pdm", "pipenv", "rye", "pep621", "setuppy"]
AppKind = Literal["web", "worker", "cli", "script"]


@dataclass(frozen=True)
class Evidence:
    """Where a fact came from: a project-relative file, an optional 1-based line, and what it said."""

    file: str
    line: int | None = None
    detail: str = ""

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where} ({self.detail})" if self.detail else where

    def __post_init__(self) -> None:
        scrub(self, "file", "detail")  # no credential in a printable value


@dataclass(frozen=True)
class Fact(Generic[T]):
    """A detected value and the evidence for it. ``default`` facts carry a detail saying so."""

    value: T
    evidence: tuple[Evidence, ...] = ()

    def __post_init__(self) -> None:
        if isinstance(self.value, str):  # a URL or requirement the project wrote; never a command's argv
            scrub(self, "value")


@dataclass(frozen=True)
class LockedPackage:
    """One pinned distribution of the resolved dependency set."""

    name: str  # canonical (PEP 503 normalised) name
    version: str
    hashes: tuple[str, ...] = ()  # "sha256:..." as written in the lock
    # None = unknown (no lock file list and no index asked); True/False when the lock or index told us.
    has_wheel_for_target: bool | None = None
    source: str = "pypi"  # "pypi" | "vcs" | "path" | "url"
    markers: str | None = None
    # Distribution file names (wheels and sdists) the lock lists (uv, Poetry, PDM); () when it lists none.
    files: tuple[str, ...] = ()
    # The distribution's Requires-Python as the lock records it (poetry.lock, pdm.lock); None = unknown.
    requires_python: str | None = None


@dataclass(frozen=True)
class GitDependency:
    """A package the project installs from a git repository (``project/gitdeps.py``)."""

    name: str  # canonical
    url: str  # the clone URL (https://, http:// or ssh://), never with a credential
    ref: str | None  # the branch, tag or commit the project names; None = the default branch
    commit: str | None  # the 40-hex commit the build fetches; None until a lock resolves it
    subdirectory: str | None = None  # the package's folder inside the repository
    evidence: tuple[Evidence, ...] = ()  # the declaration, then the lock line that pinned the commit
    # the commit's [build-system].requires as init read them (the generated lock records them); None =
    # not read yet: the builder builds it with build isolation
    build_requires: tuple[str, ...] | None = None


@dataclass(frozen=True)
class PackageIndex:
    """A package index (or ``--find-links`` location) other than PyPI that the project installs from.

    ``url`` never carries credentials: ``login``/``password`` are templates of environment variables
    (``${UV_INDEX_TORCH_PASSWORD}``) that ``dockwright build`` expands into a netrc BuildKit secret.
    """

    url: str
    role: Literal["default", "extra", "find-links"]  # default: replaces PyPI
    evidence: Evidence
    name: str = ""
    explicit: bool = False  # uv ``explicit`` / Poetry ``explicit``: only packages pinned to it use it
    login: str = ""
    password: str = ""
    # the project says the index needs them (``${VAR}`` in the URL, uv's ``authenticate = "always"``)
    needs_credentials: bool = False
    # pip reads it (a requirements file, a ``pip install`` line of the project's recipe): a version the
    # first index listing a name lacks comes from the next one (uv stops at the first); the lock keeps
    # that index's own versions first (uv's unsafe-first-match, never pip's best over every index)
    best_match: bool = False


@dataclass(frozen=True)
class UvSelection:
    """The extras and groups the image installs from uv.lock (project/uv_selection.py), each with
    where it was chosen.

    ``groups_declared``: ``[tool.uv] default-groups`` is set (or the user named groups), so the
    groups are named to uv one by one (``--no-default-groups --group G``)."""

    extras: tuple[Fact[str], ...] = ()
    groups: tuple[Fact[str], ...] = ()
    groups_declared: bool = False

    @property
    def extra_names(self) -> tuple[str, ...]:
        return tuple(f.value for f in self.extras)

    @property
    def group_names(self) -> tuple[str, ...]:
        return tuple(f.value for f in self.groups)


@dataclass(frozen=True)
class Dependencies:
    """The dependency input the project gives, and the locked set when one exists."""

    manager: Fact[Manager]
    # Files the dependency install reads (project-relative), e.g. ("requirements.txt", "requirements/dev.txt")
    input_files: tuple[str, ...]
    # A hash-locked file the build installs from directly with --require-hashes, if the project has one.
    hashed_requirements: str | None
    # The manager's own lock file (poetry.lock, uv.lock, pdm.lock, Pipfile.lock), if any.
    lock_file: str | None
    locked: tuple[LockedPackage, ...]
    # Direct requirement strings as declared (PEP 508), for when nothing is locked yet.
    declared: tuple[str, ...]
    # Candidates that were found but not chosen, with why (for `plan` output).
    alternatives: tuple[Fact[Manager], ...] = ()
    # Where ``declared`` was read (file, line), e.g. setup.py's ``install_requires=`` keyword.
    declared_evidence: tuple[Evidence, ...] = ()
    # Set when the declaration exists but only running the build backend can tell it (a setup.py
    # whose install_requires is computed): the lock is then resolved through the backend's metadata hook.
    dynamic: Evidence | None = None
    # Packages the lock installs from a folder (Poetry ``{path = "../lib"}``, PDM, uv outside a
    # workspace): the name, with the lock and the folder as the lock writes it in the evidence.
    path_dependencies: tuple[Fact[str], ...] = ()
    # Indexes other than PyPI the project declares or its lock names (project/indexes.py).
    indexes: tuple[PackageIndex, ...] = ()
    # Constraints files the project applies when it installs (``-c`` lines, PIP_CONSTRAINT).
    constraints: tuple[Evidence, ...] = ()
    # Folders of the project that requirements files name with ``--find-links`` and wheel files they
    # install by path (detail: the folder or the ``.whl`` file, project-relative; project/local_wheels.py).
    local_wheels: tuple[Evidence, ...] = ()
    # pip.conf / pip.ini / uv.toml of the project naming an index (project/index_config.py).
    index_config: tuple[Evidence, ...] = ()
    # A requirements manager beside the package's own declaration (below): the declared lines the
    # requirements file leaves out, each with its line (project/dep_sources.py; setup.py/setup.cfg too).
    uncovered: tuple[Fact[str], ...] = ()
    # The same requirements manager: the package's own declaration (``[project].dependencies`` or
    # setuptools ``install_requires``), each line with where it is written (detail: which declaration),
    # and the file's exact pins one of its ranges refuses (pin's evidence, then the declaration's).
    declared_ranges: tuple[Fact[str], ...] = ()
    range_conflicts: tuple[Fact[str], ...] = ()
    # The same requirements manager, when the package's declaration exists but only running code tells
    # it (a computed ``install_requires``): where it is; nothing is compared with the file then.
    declared_unread: Evidence | None = None
    # Option lines of the hash-locked requirements file that only pip reads (project/pip_options.py).
    pip_only_options: tuple[Evidence, ...] = ()
    # Packages installed from git (project/gitdeps.py): fetched at their commit, built as wheels.
    git: tuple[GitDependency, ...] = ()
    # ``required-version`` of uv.toml or ``[tool.uv]`` where ``uv sync`` runs (detail: the specifier).
    uv_required: Evidence | None = None
    # A uv.lock project: the extras and dependency groups the image installs (project/uv_selection.py).
    uv_selection: UvSelection | None = None
    # A poetry.lock project: the groups besides main that ``poetry install`` installs and the image
    # converts with it (project/poetry_groups.py; evidence: the group's table in pyproject.toml).
    poetry_groups: tuple[Fact[str], ...] = ()
    # A requirements file layered on others (pip-tools' ``-c base.txt``, or ``pip-sync base.txt
    # production.txt`` in the project's own install): those files, bottom first, each with why it is in
    # (project/requirement_layers.py); the lock resolves them together with the file.
    layers: tuple[Fact[str], ...] = ()

    def __post_init__(self) -> None:
        scrub(self, "declared")  # no credential in a printable value


@dataclass(frozen=True)
class PythonFacts:
    """The target interpreter: the request as written and the concrete version pinned in the image tag."""

    requested: Fact[str]  # e.g. ">=3.10,<3.13" or "3.11" or "" when nothing asked
    version: Fact[str]  # concrete X.Y.Z
    debian: Fact[str]  # the Debian suite of the base images: "trixie", "bookworm"


@dataclass(frozen=True)
class EnvSetting:
    """An environment variable the app needs set in the image (safe values only, never secrets)."""

    name: str
    value: str
    why: str
    evidence: tuple[Evidence, ...] = ()

    def __post_init__(self) -> None:
        scrub(self, "why")  # no credential in a printable value


@dataclass(frozen=True)
class AppFacts:
    """What the app is and how it starts."""

    kind: Fact[AppKind]
    framework: Fact[
        str | None
    ]  # a frameworks.toml name ("django", "flask", "fastapi", "litestar", "celery" ...) or None
    # argv of the production start command, e.g. ("gunicorn", "--bind", "0.0.0.0:8000", "app:app")
    command: Fact[tuple[str, ...]]
    port: Fact[int | None]
    health_path: Fact[str | None]  # HTTP path when the app has one, else None (TCP probe for web apps)
    # Python import package/module of the app when it has one (for `python -m`, wheels), else None.
    module: Fact[str | None] = Fact(None)
    # "module:function" of the start command when it is one of the project's own console scripts.
    entry_point: Fact[str | None] = Fact(None)
    # The process chosen ("web", "worker", a Procfile name) and the others seen ("name: command (evidence)").
    process: str = "web"
    other_processes: tuple[str, ...] = ()
    # The argv of the other long-running processes (web, worker) that spell one (compose/Procfile
    # commands, a worker's start): the web probe of the image they share tells the web start apart from
    # them (plan/probe_gate.py). One-shot CLIs and scripts are left out: no health status outlives them.
    other_commands: tuple[tuple[str, ...], ...] = ()
    # Distributions the start command needs that the project does not depend on (a server to add to the lock).
    adds: Fact[tuple[str, ...]] = Fact(())
    # Those of ``adds`` only another process of the image needs (a broker client for the celery worker
    # beside a web start): when they fit no resolution with the project's pins, the web image is still
    # planned without them, and the plan says the other process's problem (lock/generate.py).
    adds_for_others: tuple[str, ...] = ()
    env: tuple[EnvSetting, ...] = ()
    # Variables the app reads without a default (secrets among them): listed, never given a value.
    required_env: tuple[Fact[str], ...] = ()
    # (variable, dummy row) for those a call at import parses (a URL handed to create_engine): the build-time
    # dummy follows the call, not the name (plan/buildsteps.py)
    env_dummies: tuple[tuple[str, str], ...] = ()
    # Directories the app writes at run time, project-relative or absolute (created owned by the app user).
    writable: tuple[Fact[str], ...] = ()
    # files in the app directory itself the app opens for writing at start (a log file): created owned by
    # the app user, the directory staying root's
    writable_files: tuple[Fact[str], ...] = ()
    # (writable folder, its path below site-packages) for the writable folders inside one of the
    # project's packages (`Path(__file__).parent / "state"`): an app installed as a wheel writes there
    # (project/package_folders.py)
    installed_writable: tuple[tuple[str, str], ...] = ()
    # Programs the app starts that a Debian package provides (project/programs.py), where it starts them.
    programs: tuple[Fact[str], ...] = ()
    # Build steps the start script runs that the image's copy of the script skips (project/entry_run.py):
    # (script, line, step), the build having done the step.
    start_skips: tuple[Fact[tuple[str, int, str]], ...] = ()
    # (link, target) project paths the image links, so that the paths an app-server base image's pre-start
    # hook names resolve as they did there (detectors/app_server_base.py: its /app was the target's folder).
    start_links: tuple[Fact[tuple[str, str]], ...] = ()
    # The start takes its arguments at `docker run` (`docker run IMAGE data.db`), as the repository's own
    # image did with an ENTRYPOINT and no CMD: the plan keeps the command in ENTRYPOINT, web app or not.
    run_arguments: Fact[bool] = Fact(False)
    # the project's console scripts when the start is one of several that the repository's own image
    # installs without naming one (no CMD/ENTRYPOINT): each runs by name, `docker run IMAGE TOOL ARG`
    # (plan/start.py); empty otherwise
    tool_suite: Fact[tuple[str, ...]] = Fact(())
    # the project's console scripts the start or its script runs by name (project/own_script_calls.py):
    # a start from the source tree then installs the project's wheel as well
    own_scripts: Fact[tuple[str, ...]] = Fact(())
    # the project's packages a start from the source tree imports that only the installed project provides
    # (a src/ layout's package imported by a root script: project/src_imports.py): the wheel as well
    own_imports: Fact[tuple[str, ...]] = Fact(())
    # top-level modules the start's own modules import when loaded that are neither the project's nor
    # the standard library's: the build-time check imports those an installed distribution provides
    # (plan/import_check.py), so a pin that cannot import on the image's Python fails the build
    third_party_imports: Fact[tuple[str, ...]] = Fact(())


@dataclass(frozen=True)
class NativeNeed:
    """A dependency that needs Debian packages (from the data table), and whether it compiles here."""

    package: str  # canonical distribution name
    build_apt: tuple[str, ...]  # needed in the builder (headers, compilers)
    run_apt: tuple[str, ...]  # needed in the runtime (shared libraries)
    compiles: bool  # True when no wheel exists for the target, so the builder must compile it
    source: str  # where the table row's knowledge comes from (URL or document)
    evidence: tuple[Evidence, ...] = ()


@dataclass(frozen=True)
class OwnNativeNeed:
    """The project's own package compiles (C/C++, Cython, Rust, ...), so its builder needs a toolchain."""

    toolchain: str  # a key of project/data/toolchains.toml: "c", "rust", "cmake", "meson"
    via: str  # what declares it: "setuptools Extension", "maturin", "meson-python", ...
    evidence: tuple[Evidence, ...] = ()
    # Rust only: the oldest rustc the crate accepts (Cargo.toml rust-version, else its edition) and why.
    rust_minimum: str | None = None
    rust_minimum_evidence: Evidence | None = None
    # Sources an Extension(...) names that are not in the tree (a .c that Cython generates from a .pyx).
    missing_sources: tuple[Evidence, ...] = ()


@dataclass(frozen=True)
class ForeignLibNeed:
    """A dependency whose C library Debian does not package: no apt line can provide it (issue 12).

    ``evidence`` holds the lock line, the data table's source and, when the repository builds the
    library itself (its Dockerfile, CI or scripts), those lines."""

    package: str  # canonical distribution name
    library: str  # the C library, as the table names it
    provide: str  # what the user must bring into the image
    source: str  # the table row's source
    evidence: tuple[Evidence, ...] = ()


@dataclass(frozen=True)
class RegistryEnv:
    """An environment variable a frontend's own config file reads (``npmAuthToken: ${NPM_TOKEN}`` in
    .yarnrc.yml): the install gets it from the BuildKit secret of the same name, never from a layer.
    ``required``: the reference has no fallback, so the tool stops (or goes token-less) without it."""

    name: str
    required: bool
    evidence: Evidence


@dataclass(frozen=True)
class BuildStepNeed:
    """A step the app needs run at build time: static files, message catalogs, a frontend build.

    ``kind``: ``collectstatic`` | ``compilemessages`` (Django) | ``pybabel-compile`` | ``frontend`` |
    ``prisma-generate``.
    ``ready`` is False when the step cannot be planned; ``blocker`` then says why, and the plan states
    it (a step is never skipped silently). ``script`` is Django's manage.py or the npm script name;
    ``directory`` the package.json's directory; ``outputs`` the frontend's output directory, or the
    catalog directories (``pybabel compile -d``); ``domains`` the catalogs' gettext domains;
    ``lockfile`` the frontend's lock (npm, pnpm, Yarn 1, Yarn 2+ or bun: data/frontend_managers.toml,
    row ``manager``); ``configs`` the tool's config files and checked-in release the install reads,
    ``registry_env`` the variables those files read;
    ``done_by`` the package build's hook that runs the step itself (the
    wheel then carries its output). ``root_env``: the variable a collectstatic's ``STATIC_ROOT`` reads
    with no default; ``served_by_app``: the app serves ``STATIC_ROOT`` itself (WhiteNoise), so it
    reads it at run time too (project/static_root_env.py).
    """

    kind: str
    evidence: tuple[Evidence, ...]
    ready: bool = True
    blocker: str = ""
    script: str = ""
    directory: str = ""
    outputs: tuple[str, ...] = ()
    # (output, the project path the app serves it from) where the repository's own image copies a
    # frontend's output elsewhere (project/frontend_copies.py): the image copies it there too
    placed: tuple[tuple[str, str], ...] = ()
    domains: tuple[str, ...] = ()
    lockfile: str = ""
    installer: str = ""  # the frontend's package manager `npm install --global` adds (pnpm@9; "" = npm)
    manager: str = ""  # the frontend_managers.toml row (yarn1 and yarn-berry share yarn.lock)
    configs: tuple[str, ...] = ()  # the tool's own config files beside package.json, copied with it
    registry_env: tuple[RegistryEnv, ...] = ()  # variables those files read (tokens), passed as secrets
    done_by: Evidence | None = None
    root_env: str = ""
    served_by_app: bool = False

    def __post_init__(self) -> None:
        scrub(self, "blocker")  # no credential in a printable value


@dataclass(frozen=True)
class Metadata:
    """Name, version and revision for OCI labels; readme and other files the build reads."""

    name: Fact[str]
    version: Fact[str]
    revision: Fact[str | None]  # git commit, when the project is a git checkout
    source_url: Fact[str | None]  # repository URL from project.urls / git remote
    description: Fact[str | None] = Fact(None)


@dataclass(frozen=True)
class SourceSize:
    """The app's own Python source that the image copies: modules and bytes (tests and docs left out)."""

    modules: int
    bytes: int


@dataclass(frozen=True)
class Layout:
    """The shape of the tree: what to copy, what to ignore."""

    is_package: Fact[bool]  # has a build backend (pyproject [build-system] or setup.py) → build a wheel
    build_backend: Fact[
        str | None
    ]  # e.g. "setuptools.build_meta", "hatchling.build", "poetry.core.masonry.api"
    build_requires: tuple[str, ...]  # [build-system].requires, and what hatch build hooks add
    files_build_reads: tuple[str, ...]  # e.g. README named by pyproject `readme`, LICENSE, MANIFEST.in
    present_dirs: tuple[str, ...]  # top-level directories (project-relative)
    venv_dirs: tuple[str, ...]  # directories that are virtualenvs (contain pyvenv.cfg)
    tests_dirs: tuple[str, ...]
    docs_dirs: tuple[str, ...]
    existing_dockerfile: str | None
    existing_dockerignore: str | None
    # The build backend takes the version from git (setuptools-scm, hatch-vcs, pdm scm, ...): the
    # variable that hands it a version instead (SETUPTOOLS_SCM_PRETEND_VERSION, ...); .git is never copied.
    scm_version_env: Fact[str | None] | None = None
    # versioneer's ``versionfile_source``: the builder writes it from the VERSION build arg (no .git)
    versioneer_file: Fact[str] | None = None
    # hatch-vcs's metadata hook fills ``{commit_hash}`` in project URLs with ``git rev-parse HEAD`` at build
    # time (no git, no .git in the builder): the file whose placeholder the builder fills from REVISION
    scm_commit_hash: Fact[str] | None = None
    # Alembic's root configuration and the migrations folder it names (project/alembic_config.py): no wheel
    # carries them, so the runtime copies them into the work directory beside the installed app
    migration_files: Fact[tuple[str, ...]] | None = None
    # Files and folders the code opens or the package build reads (detail = the path): the
    # .dockerignore re-includes any its default patterns would drop (project/data_files.py)
    data_reads: tuple[Evidence, ...] = ()
    # The repository's deploy and run descriptors that hold a secret (project/secret_files.py; detail:
    # what the line holds, never the value): the .dockerignore keeps them out of the build context
    secret_files: tuple[Evidence, ...] = ()
    # Certificate-only files in package folders the secret patterns would drop (a vendored certifi's
    # cacert.pem: project/public_certificates.py): the .dockerignore re-includes them
    public_certificates: tuple[Evidence, ...] = ()
    # The root .gitignore's patterns, as .dockerignore lines (project/git_ignored.py): a clone has none of
    # what they match, so the build context leaves it out too (the developer's local data, logs, tokens)
    git_ignored: tuple[Fact[str], ...] = ()
    # The developer's local state the code may name (project/local_state.py: database files git does not
    # track, upload folders), as .dockerignore lines written after the re-includes of what the code reads
    local_state: tuple[Fact[str], ...] = ()
    # The repository image's work directory when the project's files name paths under it
    # (project/own_workdir.py): the planned image copies the project there instead of /app
    own_workdir: Fact[str] | None = None
    # The app's own Python source (project/source_size.py): decides whether it is compiled at build time
    source_size: Fact[SourceSize] = Fact(SourceSize(0, 0))
    # The wheel build compiles the gettext catalogs itself (a hatch build hook, setup.py's build)
    catalogs_compiled_by: Evidence | None = None
    # The wheel build runs npm/Yarn/pnpm/node itself (a hatch build hook, setup.py): it needs Node
    node_run_by: Evidence | None = None
    # setuptools takes the package data from an SCM plugin's file finder (setuptools-scm lists git's
    # files), and the build has no .git and no MANIFEST.in: the wheel stage writes one (plan/common.py)
    scm_file_finder: Evidence | None = None


@dataclass(frozen=True)
class WorkspaceFacts:
    """Where the app sits in a bigger repository: the build context and what of it the image takes.

    ``context`` is the absolute build context (a uv workspace's root, where its lock is); every other
    path here is relative to it. ``member`` is the app's folder (``.`` when the root is the app),
    ``copies`` the folders the image takes (the member and the workspace/path dependencies it reaches
    through the lock, each with the lock line that says so), ``manifests`` the files ``uv sync
    --locked`` reads to check the lock (the root pyproject.toml and every member's).

    ``path-dependencies``: an app whose lock or requirements install local folders (``copies``, each built
    as a wheel); ``context`` holds the app and them, ``member`` is the app's folder in it, and the
    app's facts (dependencies too) stay relative to the app's folder.

    For a uv workspace member, ``ProjectFacts.root`` is the member's folder: app, metadata and layout
    paths are relative to it, while ``dependencies`` paths (``uv.lock``, the manifests) are relative to
    ``context``.
    """

    kind: Literal["uv-workspace", "subdirectory", "path-dependencies"]
    context: str
    member: Fact[str]
    package: str  # the member's canonical distribution name ("" for a plain subdirectory)
    lock_file: str | None
    copies: tuple[Fact[str], ...] = ()
    packages: tuple[str, ...] = ()  # the folders of ``copies`` that are packages (uv builds them as wheels)
    manifests: tuple[str, ...] = ()
    others: tuple[str, ...] = ()  # other app members seen ("name (folder): kind")
    # path-dependencies (project/pathdeps.py): the folders' [build-system].requires, locked for the builder
    build_requires: tuple[str, ...] = ()
    distributions: tuple[str, ...] = ()  # path-dependencies: the distribution name of each of ``copies``
    # the files the build backend reads to make the metadata of a member whose dependencies only the
    # backend tells (``[project] dynamic``): ``uv sync --locked`` builds that metadata to check the lock
    # (its readme, license files, a metadata hook's script)
    metadata_files: tuple[str, ...] = ()
    # when the workspace root is itself a package the app reaches (``.`` in ``packages``): the root's
    # top-level files and folders its build may read (hidden ones, tests and docs left out); a
    # .dockerignore cannot re-include "." after "*"
    root_entries: tuple[str, ...] = ()
    # the variables that hand a workspace package's SCM version plugin its version (git is not in the
    # build): for the packages whose version is dynamic, with the build requirement that says so
    scm_env: tuple[Fact[str | None], ...] = ()


@dataclass(frozen=True)
class ProjectFacts:
    """Everything detection learned; the input of the planner."""

    schema: str
    root: str  # absolute path of the project directory
    metadata: Metadata
    python: PythonFacts
    dependencies: Dependencies
    app: AppFacts
    native: tuple[NativeNeed, ...]
    layout: Layout
    notes: tuple[str, ...] = field(default=())  # warnings found while reading (shown by `plan`)
    # Set when the app is one folder of a bigger repository (a uv workspace member, a backend/ folder).
    workspace: WorkspaceFacts | None = None
    # Steps the app needs at build time (collectstatic, catalogs, a frontend build), each with evidence.
    build_steps: tuple[BuildStepNeed, ...] = ()
    # The project's own compiled code (setup.py Extension, maturin, meson-python, ...), each with evidence.
    own_native: tuple[OwnNativeNeed, ...] = ()
    # C libraries the image cannot get from Debian (project/foreign.py), and every line of the
    # repository's own Dockerfile/CI/scripts that builds a C library from source (detail = the line).
    foreign: tuple[ForeignLibNeed, ...] = ()
    source_builds: tuple[Evidence, ...] = ()
    # Debian packages a platform file names (packages.txt, Aptfile, apt.txt: project/system_packages.py),
    # this suite's names, each with its file:line and the platform that installs it.
    system_packages: tuple[Fact[str], ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return to_jsonable(self)  # type: ignore[no-any-return]

    def __post_init__(self) -> None:
        scrub(self, "notes")  # no credential in a printable value


FACTS_SCHEMA = "dockwright.facts/1"
