"""The build use-case: a project's planned Dockerfile → an Image, through an Engine.

The project's own Dockerfile is built when it has one (``init`` wrote it, or the user did); otherwise
the planned one is rendered into a temporary folder (with the planned ``.dockerignore`` beside it as
``Dockerfile.dockerignore``, which BuildKit prefers to the context's). Build args come from the
BuildPlan; CREATED from ``SOURCE_DATE_EPOCH`` when set (reproducible builds), else now. A private index
travels as a BuildKit secret (a 0600 temp pip.conf, deleted afterwards), never as ARG or ENV, so it
lands in no layer and in no command line; so do the credentials of the indexes the lock names (a netrc
secret, :mod:`dockwright.indexauth`), and a frontend stage's npm registry: the project's .npmrc (which
.dockerignore keeps out of the context) and the user's (``NPM_CONFIG_USERCONFIG``, else ``~/.npmrc``)
as secret ``npmrc``, their ``${VARIABLES}`` expanded on the host; Yarn 2+'s user ``~/.yarnrc.yml`` as
secret ``yarnrc``; each variable the project's .yarnrc.yml, .yarnrc or bunfig.toml reads as the secret
of its name (:mod:`dockwright.npmauth`).

The coupling to the planner and the renderer lives in :func:`planned_inputs` alone.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
import warnings
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path, PurePosixPath
from typing import Protocol

from dockwright.engine.base import BuildRequest, BuildStep, Engine, Image
from dockwright.errors import ConfigError, ProjectError
from dockwright.image_names import check_image_reference
from dockwright.indexauth import NETRC_SECRET_ID, secret_file, secret_netrc
from dockwright.lock.stale import stale_locks
from dockwright.npmauth import YARNRC_SECRET_ID, expanded_secret, registry_env_secrets, yarnrc_files
from dockwright.plan.model import (
    BASE_DIGEST_ARG,
    FRONTEND_STAGE,
    HOOK_NODE_TOPIC,
    NPMRC_SECRET_ID,
    BuildPlan,
)
from dockwright.project.tree import inside
from dockwright.redact import redact

PIP_SECRET_ID = "pipconf"  # the generated Dockerfile mounts it at /root/.config/pip/pip.conf


class StartedBuild(Protocol):
    """A build already under way for an earlier plan (:class:`dockwright.build_ahead.BuildAhead`)."""

    def take(self, request: BuildRequest, on_step: Callable[[BuildStep], None] | None) -> Image | None:
        """Its image when it was asked what ``request`` asks, else None (it is stopped)."""
        ...


@dataclass(frozen=True)
class PlannedInputs:
    """What a build takes from the plan: the default tag, build args, and the rendered files (rendered
    when first asked: a project with its own Dockerfile builds without loading the renderer)."""

    image_name: str
    build_args: tuple[tuple[str, str], ...]
    plan: BuildPlan = field(repr=False, compare=False)
    missing_lock: str | None  # a lock or support file the Dockerfile COPYs that only ``init`` writes
    dockerfile_path: str = "Dockerfile"  # where init writes it, relative to the build context
    dockerignore_path: str = ".dockerignore"
    _rendered: dict[str, str] = field(default_factory=dict, repr=False, compare=False)

    def _files(self) -> dict[str, str]:
        if not self._rendered:
            from dockwright.render.render import render_files

            self._rendered.update({item.path: item.content for item in render_files(self.plan)})
        return self._rendered

    @property
    def dockerfile(self) -> str:
        """The rendered Dockerfile text."""
        return self._files()[self.dockerfile_path]

    @property
    def dockerignore(self) -> str | None:
        """The rendered .dockerignore text."""
        return self._files().get(self.dockerignore_path)


def planned_inputs(plan: BuildPlan, root: Path) -> PlannedInputs:
    """The one place that reads the BuildPlan and calls the renderer (adapt here when they change)."""
    values = dict(plan.build_args)
    revision = plan.facts.metadata.revision.value if plan.facts.metadata.revision else None
    if revision:
        values["REVISION"] = str(revision)
    lock = plan.lock
    missing = lock.path if lock.generate and not lock.empty and not (root / lock.path).is_file() else None
    # support files (tool pins, the probe's source, the frozen entry) are written by init too
    missing = missing or next((f.path for f in plan.support_files if not (root / f.path).is_file()), None)
    return PlannedInputs(
        image_name=plan.image_name,
        build_args=tuple(values.items()),
        plan=plan,
        missing_lock=missing,
        dockerfile_path=plan.dockerfile_path,
        dockerignore_path=plan.dockerignore_path,
    )


def created_timestamp(environ: Mapping[str, str] | None = None) -> str:
    """RFC 3339 UTC build time: ``SOURCE_DATE_EPOCH`` when set, else now."""
    environ = os.environ if environ is None else environ
    epoch = environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch:
        try:
            moment = datetime.fromtimestamp(int(epoch), tz=timezone.utc)
        except (ValueError, OverflowError, OSError) as error:
            raise ConfigError(f"SOURCE_DATE_EPOCH is not a whole number of seconds: {epoch!r}") from error
    else:
        moment = datetime.now(tz=timezone.utc)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def build_args(
    inputs: PlannedInputs, environ: Mapping[str, str] | None = None
) -> tuple[tuple[str, str], ...]:
    """The plan's build args (VERSION, REVISION, ...) with CREATED from the clock."""
    values = dict(inputs.build_args)
    values["CREATED"] = created_timestamp(environ)
    return tuple(values.items())


def base_digest_arg(plan: BuildPlan, engine: Engine, options: BuildOptions) -> dict[str, str]:
    """``BASE_DIGEST`` (the ``org.opencontainers.image.base.digest`` label of a trimmed runtime): the
    registry digest the engine's copy of the base was pulled with; nothing when unknown (not pulled yet,
    a local build) or when the plan has no such label, and no engine call in a dry run."""
    from dockwright.engine.digest import registry_digest

    if options.dry_run or BASE_DIGEST_ARG not in dict(plan.build_args):
        return {}
    digest = registry_digest(engine, plan.base_image)
    return {BASE_DIGEST_ARG: digest} if digest else {}


def secret_ids(secret_specs: tuple[str, ...]) -> frozenset[str]:
    """The ids the user's ``--secret`` specs pass (``id=X`` is any of their comma-separated keys)."""
    return frozenset(
        part.removeprefix("id=")
        for spec in secret_specs
        for part in spec.replace(" ", "").split(",")
        if part.startswith("id=")
    )


def passes_secret(secret_specs: tuple[str, ...], ident: str) -> bool:
    """Whether the user's ``--secret`` specs pass secret ``ident`` themselves."""
    return ident in secret_ids(secret_specs)


def own_pip_conf(secret_specs: tuple[str, ...]) -> bool:
    """Whether the user's ``--secret`` specs pass ``pipconf`` themselves."""
    return passes_secret(secret_specs, PIP_SECRET_ID)


def pip_conf_text(index_url: str) -> str:
    if any(c in index_url for c in "\r\n") or not index_url.strip():
        raise ConfigError("--index-url must be one URL on one line")
    return f"[global]\nindex-url = {index_url.strip()}\n"


@contextmanager
def secret_pip_conf(index_url: str | None) -> Iterator[tuple[tuple[str, str], ...]]:
    """A 0600 pip.conf naming the private index, as BuildKit secret ``pipconf``; deleted afterwards."""
    if not index_url:
        yield ()
        return
    text = pip_conf_text(index_url)
    with secret_file(PIP_SECRET_ID, text, prefix="dockwright-pipconf-", suffix=".conf") as secret:
        yield (secret,)


def npmrc_files(project: Path, plan: BuildPlan, environ: Mapping[str, str]) -> tuple[Path, ...]:
    """The .npmrc files a planned frontend install reads, in npm's order (a later one wins): the user's
    (``NPM_CONFIG_USERCONFIG``, else ``$HOME/.npmrc``), then the project's beside the frontend's
    package.json (when it stays inside the project); none without a frontend stage or a wheel build
    whose hook runs npm."""
    if not any(stage.name == FRONTEND_STAGE for stage in plan.side_stages) and not plan.decision(
        HOOK_NODE_TOPIC
    ):
        return ()
    named = next(
        (environ[k] for k in ("NPM_CONFIG_USERCONFIG", "npm_config_userconfig") if environ.get(k)), ""
    )
    home = environ.get("HOME", "")
    user = Path(named).expanduser() if named else Path(home) / ".npmrc" if home else None
    folders = [n.directory for n in plan.facts.build_steps if n.kind == "frontend"] or ["."]
    found = [user] if user is not None and user.is_file() else []
    found += [
        project / folder / ".npmrc"
        for folder in folders  # a symlink out of the project (to a key of the user's) is not the project's
        if (project / folder / ".npmrc").is_file() and inside(project / folder / ".npmrc", project)
    ]
    return tuple(dict.fromkeys(path.resolve() for path in found))


PUBLIC_NPM_HOSTS = ("https://registry.yarnpkg.com/", "https://registry.npmjs.org/")


def yarn_lock_warning(project: Path, plan: BuildPlan, files: tuple[Path, ...]) -> str | None:
    """Why a Yarn 1 install will not use the .npmrc's registry: Yarn 1 fetches the URLs yarn.lock names
    as written (npm and bun send them to the configured registry; pnpm's lock names none), so a mirror
    serves the locked packages only when the lock names it (checked in the sandbox: yarn 1.22.22)."""
    registry = ""
    for file in files:  # the last ``registry=`` wins, as in npm
        for line in file.read_text(encoding="utf-8", errors="replace").splitlines():
            key, _, value = line.partition("=")
            if key.strip() == "registry" and value.strip():
                registry = value.strip()
    if not registry or any(registry.rstrip("/") + "/" == host for host in PUBLIC_NPM_HOSTS):
        return None
    for need in plan.facts.build_steps:
        lock = project / need.lockfile
        if need.kind != "frontend" or lock.name != "yarn.lock" or not lock.is_file():
            continue
        text = lock.read_text(encoding="utf-8", errors="replace")
        count = sum(text.count(f'resolved "{host}') for host in PUBLIC_NPM_HOSTS)
        if count:
            return (
                f"{need.lockfile} names the public registry for {count} package(s) and Yarn 1 fetches them "
                f"from there, not from the .npmrc's registry {redact(registry)}: write the mirror's URL in "
                "its resolved lines (the integrity hashes stay), or the build needs the public registry"
            )
    return None


@contextmanager
def secret_npmrc(
    project: Path, plan: BuildPlan, environ: Mapping[str, str], secret_specs: tuple[str, ...]
) -> Iterator[tuple[tuple[str, str], ...]]:
    """BuildKit secret ``npmrc`` for a plan with a frontend stage, unless the user's ``--secret`` specs
    pass it: the one .npmrc there is as it stands, or the user's and the project's joined in a 0600 temp
    file (the project's last, so its keys win as in npm), deleted afterwards."""
    files = () if passes_secret(secret_specs, NPMRC_SECRET_ID) else npmrc_files(project, plan, environ)
    with expanded_secret(NPMRC_SECRET_ID, files, "npmrc", environ, prefix="dockwright-npmrc-") as secret:
        yield secret


@contextmanager
def frontend_secrets(
    project: Path, plan: BuildPlan, environ: Mapping[str, str], secret_specs: tuple[str, ...]
) -> Iterator[tuple[tuple[str, str], ...]]:
    """Every secret a planned frontend install reads: ``npmrc``, Yarn 2+'s ``yarnrc`` (the user's
    ~/.yarnrc.yml), and the variables the project's own config files read (:mod:`dockwright.npmauth`)."""
    passed = secret_ids(secret_specs)
    yarnrc = () if YARNRC_SECRET_ID in passed else yarnrc_files(plan, environ)
    with (
        secret_npmrc(project, plan, environ, secret_specs) as npmrc,
        expanded_secret(YARNRC_SECRET_ID, yarnrc, "yarnrc_yml", environ, prefix="dockwright-yarnrc-") as user,
        registry_env_secrets(plan, environ, passed) as variables,
    ):
        yield (*npmrc, *user, *variables)


def check_target(dockerfile_text: str, target: str) -> None:
    """ConfigError (one line, naming the stages there are) when no stage of the Dockerfile is ``target``;
    the engine would say so only after the plan, as a failed build."""
    from dockwright.dockerfile.parser import parse

    names = [stage.name for stage in parse(dockerfile_text).stages if stage.name]
    if target.lower() not in names:  # stage names are lower-cased, as BuildKit does
        raise ConfigError(
            f"--target {target}: the Dockerfile has no stage of that name "
            f"(its stages: {', '.join(names) if names else 'none named: add AS NAME to a FROM'})"
        )


def mounts_pip_conf(dockerfile_text: str) -> bool:
    """Whether a RUN of the Dockerfile mounts BuildKit secret ``pipconf`` (``--mount=type=secret,id=pipconf``;
    without ``id`` BuildKit names the secret after the target's file name)."""
    from dockwright.dockerfile.parser import parse
    from dockwright.dockerfile.syntax import mount_target

    for stage in parse(dockerfile_text).stages:
        for instruction in stage.instructions:
            if instruction.keyword != "RUN":
                continue
            for fields in instruction.mounts():
                ident = fields.get("id") or PurePosixPath(mount_target(fields)).name
                if fields.get("type") == "secret" and ident == PIP_SECRET_ID:
                    return True
    return False


def require_pip_conf_mount(root: Path, inputs: PlannedInputs, why: str, given: Path | None = None) -> None:
    """ConfigError when the Dockerfile to build (``given``, the project's own, else the planned one)
    would not read the ``pipconf`` secret ``why`` sends: the build would silently install from PyPI."""
    own = given or root / inputs.dockerfile_path
    if own.is_file():
        if mounts_pip_conf(own.read_text(encoding="utf-8", errors="replace")):
            return
        raise ConfigError(
            f"{why}: {given or inputs.dockerfile_path} mounts no secret '{PIP_SECRET_ID}', so pip would "
            "install from PyPI: regenerate it with `dockwright init --force --private-index` (or add "
            f"--mount=type=secret,id={PIP_SECRET_ID},target=/root/.config/pip/pip.conf to its pip RUN)"
        )
    if not mounts_pip_conf(inputs.dockerfile):
        raise ConfigError(
            f"{why}: the planned Dockerfile mounts no secret '{PIP_SECRET_ID}' (private-index off, or a "
            "strategy whose installer reads no pip.conf, such as uv: give it the index in pyproject.toml)"
        )


@contextmanager
def dockerfile_for(root: Path, inputs: PlannedInputs, given: Path | None = None) -> Iterator[Path]:
    """The Dockerfile given (``--file``), else the project's, else the planned one rendered into a
    temporary folder."""
    existing = given or root / inputs.dockerfile_path
    if existing.is_file():
        yield existing
        return
    if inputs.missing_lock:
        raise ProjectError(
            f"no Dockerfile and no {inputs.missing_lock} yet: run `dockwright init` first "
            "(it writes the files the planned Dockerfile COPYs: hash-locked requirements, tool pins, probe)"
        )
    with tempfile.TemporaryDirectory(prefix="dockwright-render-") as scratch:
        path = Path(scratch) / "Dockerfile"
        path.write_text(inputs.dockerfile, encoding="utf-8")
        if inputs.dockerignore is not None and not (root / inputs.dockerignore_path).is_file():
            Path(scratch, "Dockerfile.dockerignore").write_text(inputs.dockerignore, encoding="utf-8")
        yield path


GIT_TOKEN_SECRET = "GIT_AUTH_TOKEN"
"""The secret BuildKit's git source reads for an HTTPS repository (basic auth as x-access-token)."""


@contextmanager
def git_token(
    plan: BuildPlan, environ: Mapping[str, str], secret_specs: tuple[str, ...]
) -> Iterator[tuple[tuple[str, str], ...]]:
    """``GIT_AUTH_TOKEN`` from the environment as BuildKit's secret of that name (a 0600 temp file,
    deleted afterwards) when the plan fetches a git repository over HTTPS and the user's ``--secret``
    specs do not pass it themselves: the token reaches BuildKit's fetch, never a layer."""
    token = environ.get(GIT_TOKEN_SECRET, "")
    https = any(d.url.startswith("https://") for d in plan.facts.dependencies.git)
    if not token or not https or passes_secret(secret_specs, GIT_TOKEN_SECRET):
        yield ()
        return
    with secret_file(GIT_TOKEN_SECRET, token, prefix="dockwright-git-") as secret:
        yield (secret,)


def git_ssh(plan: BuildPlan, environ: Mapping[str, str]) -> tuple[str, ...]:
    """``default`` (the agent at ``SSH_AUTH_SOCK``) when the plan fetches a git repository over ssh."""
    ssh = any(d.url.startswith("ssh://") for d in plan.facts.dependencies.git)
    return ("default",) if ssh and environ.get("SSH_AUTH_SOCK") else ()


@dataclass(frozen=True)
class BuildSettings:
    """What a build takes besides the project, its plan and the engine (``dockwright build``'s flags):
    ``platforms`` split, ``index_url`` (a secret, never an arg), ``network`` for RUN steps, extra
    ``labels``, a buildx ``output`` spec, the user's :class:`BuildOptions`, and where warnings go
    (``on_warning``, default :func:`warnings.warn`)."""

    tag: str | None = None
    platforms: tuple[str, ...] = ()
    target: str | None = None
    no_cache: bool = False
    index_url: str | None = None
    network: str | None = None
    labels: tuple[tuple[str, str], ...] = ()
    output: str | None = None
    options: BuildOptions | None = None
    on_warning: Callable[[str], None] | None = field(default=None, compare=False)


def build_project(
    root: Path,
    plan: BuildPlan,
    engine: Engine,
    settings: BuildSettings | None = None,
    *,
    on_step: Callable[[BuildStep], None] | None = None,
    ahead: StartedBuild | None = None,
) -> Image:
    """Build ``root`` with ``engine``: its Dockerfile (or the planned one), the plan's build args,
    the private index as a secret, and the user's :class:`BuildOptions`. With ``options.dry_run``
    nothing runs: the Image carries the engine command (``extra["command"]``). A stale generated lock
    (the dependencies' or the build backend's) is refused, or with ``options.allow_stale_lock`` built
    with a warning each (``on_warning``, default :func:`warnings.warn`).

    ``ahead``: a build started from an earlier plan while this one was made
    (:mod:`dockwright.build_ahead`); its image is taken when it was asked exactly what this plan asks,
    else it is stopped and the build runs here."""
    settings = settings or BuildSettings()
    with prepared_request(root, plan, engine, settings) as request:
        if settings.options is not None and settings.options.dry_run:
            follow_up = getattr(engine, "follow_up_commands", None)  # docker load/push after an export
            extra = {
                "command": engine.build_command(request),
                "then": follow_up(request) if follow_up else [],
                "dry_run": True,
            }
            return Image(request.tag, "", 0, extra=extra)
        if ahead is not None:
            image = ahead.take(request, on_step)
            if image is not None:
                return image
        return engine.build(request, on_step)


@contextmanager
def prepared_request(
    root: Path, plan: BuildPlan, engine: Engine, settings: BuildSettings | None = None
) -> Iterator[BuildRequest]:
    """The engine's request for building ``root`` from ``plan`` (:func:`build_project`'s checks first),
    valid while the context lasts: its secrets are temporary files deleted at its end."""
    settings = settings or BuildSettings()
    tag, target, index_url = settings.tag, settings.target, settings.index_url
    on_warning = settings.on_warning
    if not root.is_dir():
        raise ProjectError(f"not a directory: {root}")
    if tag is not None:  # the engine's own complaint would come only after the plan, as a failed build
        check_image_reference(tag, "--tag", "myapp:1.0 or registry.example.com/team/myapp:1.0")
    project = root
    if plan.facts.workspace is not None:  # an app in a bigger tree: the context is the workspace's root
        root = Path(plan.facts.workspace.context)
    options = settings.options or BuildOptions()
    options.check()
    inputs = planned_inputs(plan, root)
    environ: Mapping[str, str] = os.environ
    extra_args = dict(options.build_args)
    if options.reproducible:
        epoch = source_date_epoch(root)
        environ = {**os.environ, "SOURCE_DATE_EPOCH": epoch}
        # BuildKit stamps the image config and history with it; RUN steps see it where the Dockerfile
        # declares ARG SOURCE_DATE_EPOCH (then Python writes checked-hash .pyc)
        extra_args = {"SOURCE_DATE_EPOCH": epoch, **extra_args}
    own_netrc = passes_secret(options.secrets, NETRC_SECRET_ID)
    given = Path(options.dockerfile).resolve() if options.dockerfile else None
    stale = stale_locks(root, plan, given or root / inputs.dockerfile_path)
    if stale and not options.allow_stale_lock:
        raise ProjectError(stale[0].refusal())
    for lock in stale:
        if on_warning is None:
            warnings.warn(lock.allowed(), stacklevel=2)
        else:
            on_warning(lock.allowed())
    yarn = yarn_lock_warning(project, plan, npmrc_files(project, plan, environ))
    if yarn and not passes_secret(options.secrets, NPMRC_SECRET_ID):
        if on_warning is None:
            warnings.warn(yarn, stacklevel=2)
        else:
            on_warning(yarn)
    if index_url:
        require_pip_conf_mount(root, inputs, "--index-url", given)
    elif own_pip_conf(options.secrets):
        require_pip_conf_mount(root, inputs, f"--secret id={PIP_SECRET_ID}", given)
    with (
        dockerfile_for(root, inputs, given) as dockerfile,
        secret_pip_conf(index_url) as pip_conf,
        secret_netrc(() if own_netrc else plan.lock.indexes, environ) as netrc,
        git_token(plan, environ, options.secrets) as token,
        frontend_secrets(project, plan, environ, options.secrets) as npmrc,
    ):
        secrets = (*pip_conf, *netrc, *token, *npmrc)
        if target:
            check_target(Path(dockerfile).read_text(encoding="utf-8", errors="replace"), target)
        request = BuildRequest(
            context=str(root.resolve()),
            dockerfile=str(dockerfile),
            tag=tag or inputs.image_name,
            build_args=tuple(
                {
                    **dict(build_args(inputs, environ)),
                    **base_digest_arg(plan, engine, options),
                    **extra_args,
                }.items()
            ),
            secrets=secrets,
            target=target,
            platforms=settings.platforms,
            no_cache=settings.no_cache,
            network=settings.network,
            labels=(*settings.labels, *options.labels),
            output=settings.output,
            push=options.push,
            cache_from=options.cache_from,
            cache_to=options.cache_to,
            builder=options.builder,
            secret_specs=options.secrets,
            ssh=git_ssh(plan, environ),
            reproducible=options.reproducible,
            reuse_root=True,  # the Docker engine keeps a trimmed runtime's root stage (engine/root_image.py)
        )
        yield request


@dataclass(frozen=True)
class BuildOptions:
    """What a user adds to a build beyond the plan (CLI flags of ``build``; passed through to buildx)."""

    push: bool = False
    cache_from: tuple[str, ...] = ()
    cache_to: tuple[str, ...] = ()
    builder: str | None = None
    build_args: tuple[tuple[str, str], ...] = ()  # override the plan's (VERSION, CREATED, ...)
    secrets: tuple[str, ...] = ()  # "id=NAME,src=PATH" or "id=NAME,env=VAR"
    labels: tuple[tuple[str, str], ...] = ()
    dry_run: bool = False
    reproducible: bool = False  # SOURCE_DATE_EPOCH from the commit, timestamps rewritten on export
    dockerfile: str | None = None  # --file: the user's own Dockerfile (as `docker build -f`)
    allow_stale_lock: bool = False  # build from a stale generated lock (else refused: lock/stale.py)

    def check(self) -> None:
        """Bad specs as one-line ConfigErrors, before any engine runs."""
        if self.dockerfile is not None and not Path(self.dockerfile).is_file():
            raise ConfigError(f"--file {self.dockerfile}: no such file")
        for spec in (*self.cache_from, *self.cache_to):
            if "type=" not in spec and "=" in spec:
                raise ConfigError(
                    f"cache spec {spec!r} names no type: e.g. type=registry,ref=REGISTRY/app:cache"
                )
        for spec in self.secrets:
            fields = dict(part.split("=", 1) for part in spec.split(",") if "=" in part)
            if "id" not in fields or not ({"src", "source", "env"} & set(fields)):
                raise ConfigError(f"--secret {spec!r}: give id=NAME,src=FILE or id=NAME,env=VARIABLE")
            source = fields.get("src") or fields.get("source")
            if source and not Path(source).is_file():
                raise ConfigError(f"--secret {spec!r}: no such file {source}")
            if "env" in fields and fields["env"] not in os.environ:
                raise ConfigError(f"--secret {spec!r}: the environment variable {fields['env']} is not set")


def source_date_epoch(root: Path, environ: Mapping[str, str] | None = None) -> str:
    """``SOURCE_DATE_EPOCH`` when set, else the time of the checkout's last commit; ConfigError otherwise."""
    environ = os.environ if environ is None else environ
    if environ.get("SOURCE_DATE_EPOCH", "").strip():
        created_timestamp(environ)  # validates it
        return environ["SOURCE_DATE_EPOCH"].strip()
    try:
        done = subprocess.run(
            ["git", "-C", str(root), "log", "-1", "--format=%ct"], capture_output=True, text=True, timeout=30
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        raise ConfigError(f"--reproducible: cannot run git ({error}); set SOURCE_DATE_EPOCH") from error
    epoch = done.stdout.strip()
    if done.returncode != 0 or not epoch.isdigit():
        raise ConfigError(
            f"--reproducible: {root} has no git commit to date the build; set SOURCE_DATE_EPOCH"
        )
    return epoch


def checkout_warnings(root: Path, environ: Mapping[str, str] | None = None) -> tuple[str, ...]:
    """Why a ``--reproducible`` image of this checkout may differ from a fresh clone's of the same commit.

    BuildKit's ``rewrite-timestamp`` clamps mtimes newer than ``SOURCE_DATE_EPOCH`` and keeps older
    ones, so a file older than the commit (an edited working tree, a copy that kept mtimes) reaches its
    COPY layer with its own date; uncommitted changes are not the commit at all.
    """
    try:
        epoch = int(source_date_epoch(root, environ))
    except ConfigError:
        return ()  # the build itself says why
    found: list[str] = []
    changed = _git_lines(root, "status", "--porcelain", "--untracked-files=no")
    if changed:
        found.append(
            f"--reproducible: {len(changed)} tracked file(s) have uncommitted changes (first: "
            f"{changed[0][3:]}): the image is not the commit's; commit them or build a clean checkout"
        )
    older = [name for name in _git_lines(root, "ls-files") if _mtime(root / name) < epoch]
    if older:
        found.append(
            f"--reproducible: {len(older)} committed file(s) are older than the commit (first: {older[0]}); "
            "rewrite-timestamp clamps only newer ones, so their COPY layers differ from a fresh clone's: "
            "build from a fresh clone (git clone, git worktree add) for the commit's digest"
        )
    return tuple(found)


def undated_stages(dockerfile_text: str) -> tuple[str, ...]:
    """Stages that run commands before declaring ``ARG SOURCE_DATE_EPOCH`` (by name, else number).

    BuildKit hands a ``RUN`` the build's ``SOURCE_DATE_EPOCH`` only after the stage's ARG; before it,
    Python writes mtime-stamped ``.pyc`` and tools date their output, so a ``--reproducible`` build of a
    Dockerfile written without the ARG (a user's own) differs from build to build.
    """
    from dockwright.dockerfile.parser import parse

    found = []
    for stage in parse(dockerfile_text).stages:
        for instruction in stage.instructions:
            if instruction.keyword == "ARG" and any(
                word.split("=", 1)[0] == "SOURCE_DATE_EPOCH" for word in instruction.value.split()
            ):
                break
            if instruction.keyword == "RUN":
                found.append(stage.name or str(stage.index))
                break
    return tuple(found)


def _git_lines(root: Path, *args: str) -> list[str]:
    try:
        done = subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        return []
    return [line for line in done.stdout.splitlines() if line.strip()] if done.returncode == 0 else []


def _mtime(path: Path) -> float:
    try:
        return path.lstat().st_mtime
    except OSError:  # deleted in the working tree: `status` reports it
        return float("inf")


def key_values(pairs: tuple[str, ...], what: str) -> tuple[tuple[str, str], ...]:
    """``KEY=VALUE`` strings (``--build-arg``, ``--label``) as pairs; one-line ConfigError otherwise."""
    out = []
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise ConfigError(f"{what} {pair!r} is not KEY=VALUE")
        out.append((key.strip(), value))
    return tuple(out)
