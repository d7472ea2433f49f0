"""Pieces the standalone strategies share (PyInstaller, Nuitka, PEX, shiv): distroless runtimes.

A distroless runtime has no shell, no package manager and (cc) no interpreter, so everything it
needs is prepared in the builder and COPYed in: tini as PID 1 (``tini-static`` unless the runtime
has the builder's glibc), dockwright's static C probe for the HEALTHCHECK, the program itself. The
non-root user is numeric (10001) and needs no ``/etc/passwd`` entry.
"""

from __future__ import annotations

from dockwright.plan import common
from dockwright.plan.model import (
    AptPackage,
    BuildPlan,
    Decision,
    EnvVar,
    FrozenEntry,
    Healthcheck,
    LockPlan,
    Step,
    SupportFile,
    User,
)
from dockwright.plan.strategies.base import PlanOptions
from dockwright.project.facts import ProjectFacts

TINI_STATIC = "/usr/bin/tini-static"
PROBE_OUT = "/out/healthcheck"
TOOLS_DIR = ".dockwright"

BUILDER_ENV = (
    EnvVar("PYTHONDONTWRITEBYTECODE", "1", "no stray .pyc files while building"),
    EnvVar("PYTHONUNBUFFERED", "1", "build logs appear as they happen"),
    EnvVar("PIP_DISABLE_PIP_VERSION_CHECK", "1", "no network call to check for a newer pip"),
    common.PIP_NO_INPUT_ENV,
)


def runtime_env(frozen: bool) -> tuple[EnvVar, ...]:
    unbuffered = (
        "logs reach stdout/stderr immediately (the binary is also built unbuffered)"
        if frozen
        else "logs reach stdout/stderr immediately"
    )
    return (
        EnvVar("PYTHONUNBUFFERED", "1", unbuffered),
        EnvVar("LANG", "C.UTF-8", "UTF-8 locale without installing locales"),
        EnvVar("TZ", "UTC", "predictable timestamps"),
    )


def tools_lock(tool: str) -> tuple[SupportFile, str]:
    """The hash-locked pins of a builder tool, written into the project by ``init``."""
    path = f"{TOOLS_DIR}/tools-{tool}.txt"
    why = f"{tool} and its dependencies pinned with hashes (dockwright's tested versions), builder only"
    return SupportFile(path, f"tools-{tool}.txt", why), path


def wrapped(command: str, words: list[str], width: int = 100) -> str:
    """A long command as continuation lines of whole options, so the Dockerfile stays readable."""
    lines = [command]
    for word in words:
        if len(lines[-1]) + 1 + len(word) > width:
            lines.append("    " + word)
        else:
            lines[-1] += " " + word
    return " \\\n    ".join(lines)


def entry_script(path: str) -> SupportFile:
    return SupportFile(path, "frozen_entry.py.j2", "the binary's entry point: calls the start command")


def install_tools(tool: str, path: str) -> tuple[Step, Step]:
    return (
        Step("COPY", (path, f"{TOOLS_DIR}/"), why=f"{tool} pins alone first: the tool layer caches"),
        Step(
            "RUN",
            (f"pip install --require-hashes -r {path}",),
            flags=(common.PIP_CACHE_MOUNT,),
            why=f"{tool} from hash-locked pins; builder only, never in the runtime",
        ),
    )


def install_locked(lock: LockPlan) -> tuple[Step, ...]:
    if lock.empty:
        return ()
    return (
        *common.copy_lock(lock),
        Step(
            "RUN",
            (f"pip install --require-hashes --no-deps -r {lock.path}",),
            flags=common.pip_mounts(lock),
            why=common.LOCKED_SET_WHY,
        ),
    )


def probe_support(probe: Healthcheck | None) -> tuple[tuple[SupportFile, ...], tuple[Step, ...]]:
    """The static C probe's source and the builder step that compiles it (when there is a probe)."""
    if probe is None or probe.argv[0] != common.STATIC_PROBE:
        return (), ()
    source = SupportFile(
        common.STATIC_PROBE_SOURCE,
        "healthcheck.c",
        "HTTP/TCP health probe for an image with no shell or interpreter (static, ~700 KB)",
    )
    step = Step(
        "RUN",
        (f"mkdir -p /out && gcc -static -Os -s -o {PROBE_OUT} {common.STATIC_PROBE_SOURCE}",),
        why="the HEALTHCHECK probe as a static binary: the runtime has no shell, curl or Python",
    )
    return (source,), (step,)


def runtime_copies(probe: bool, *, glibc: bool = False) -> list[Step]:
    """tini (and the probe) COPYed from the builder.

    ``glibc``: the runtime ships the builder's Debian glibc (distroless cc of the same suite), so
    Debian's dynamically linked ``tini`` runs there: ~30 kB instead of tini-static's ~740 kB."""
    tini = (
        Step(
            "COPY",
            (common.TINI, common.TINI),
            flags=("--from=builder",),
            why="tini as PID 1: Debian's build links only glibc, which this runtime ships (the "
            "builder's Debian): 30 kB, not tini-static's 740 kB",
        )
        if glibc
        else Step(
            "COPY",
            (TINI_STATIC, common.TINI),
            flags=("--from=builder",),
            why="tini as PID 1 (statically linked: the runtime has no package manager to install it)",
        )
    )
    steps = [tini]
    if probe:
        steps.append(Step("COPY", (PROBE_OUT, common.STATIC_PROBE), flags=("--from=builder",)))
    return steps


# glibc and the libraries it loads itself: what PyInstaller leaves out of a bundle as "system" libraries
GLIBC_FAMILY = "lib(c|m|pthread|dl|rt|util|resolv|nss_files|nss_dns|gcc_s)"


def scratch_rootfs(binary: str) -> Step:
    """Builder step: the minimal root filesystem a dynamically linked binary needs on ``scratch``.

    ldd names the loader and the system libraries of ``binary`` (not those bundled beside it under
    /out); the glibc family is added whole because bundled libraries (unseen by ldd inside a one-file
    archive) and glibc itself load them; glibc's gconv module list and the C.UTF-8 locale (the image
    sets LANG=C.UTF-8; without them a Nuitka binary crashes in CPython's locale set-up); CA
    certificates for outgoing TLS; a sticky, world-writable /tmp for unpacking and temporary files.
    """
    libraries = (
        f"$(ldd {binary} | awk '$1 ~ /^\\// {{print $1}} $3 ~ /^\\// && $3 !~ /^\\/out\\// {{print $3}}') "
        f"$(ldconfig -p | awk '$1 ~ /^{GLIBC_FAMILY}\\.so\\.[0-9]+$/ {{print $NF}}') "
        "/usr/lib/*/gconv/gconv-modules* /usr/lib/locale/C.utf8"
    )
    return Step(
        "RUN",
        (
            "mkdir -p /rootfs/tmp /rootfs/etc/ssl/certs",
            "chmod 1777 /rootfs/tmp",
            "cp /etc/ssl/certs/ca-certificates.crt /rootfs/etc/ssl/certs/",
            f'for lib in {libraries}; do cp -L -R --parents "$lib" /rootfs; done',
            "du -sh /rootfs",
        ),
        why="scratch has nothing: loader and glibc libraries ldd names, gconv, C.UTF-8, CA certs, /tmp",
    )


def builder_apt(facts: ProjectFacts, extra: list[AptPackage]) -> tuple[list[AptPackage], Decision]:
    """The builder's Debian packages: tini (for tini-static), what compiles, the tool's own needs."""
    packages, _who, toolchain = common.compile_toolchain(facts)
    out = [AptPackage("tini", "provides tini (and tini-static), copied into the runtime as PID 1")]
    for pkg in [*extra, *packages]:
        if pkg.name not in {p.name for p in out}:
            out.append(pkg)
    return out, toolchain


def user_decision(user: User) -> Decision:
    return Decision(
        "user",
        f"{user.uid}:{user.gid}",
        "numeric non-root USER: distroless needs no /etc/passwd entry for it, and the engine can "
        "verify non-root without reading one",
    )


def assemble(
    *,
    strategy: str,
    facts: ProjectFacts,
    options: PlanOptions,
    builder_image: str,
    runtime_image: str,
    builder_apt: list[AptPackage],
    builder_steps: list[Step],
    runtime_steps: list[Step],
    lock: LockPlan,
    cmd: tuple[str, ...],
    probe: Healthcheck | None,
    probe_reason: str,
    support: tuple[SupportFile, ...],
    decisions: list[Decision],
    warnings: list[str],
    notes: list[str],
    builder_title: str,
    runtime_title: str,
    needed: set[str],
    entry: FrozenEntry | None = None,
    extra_env: tuple[EnvVar, ...] = (),
) -> BuildPlan:
    """The common tail of every standalone plan: labels, args, ignore file, tag, the BuildPlan.

    ``notes`` go into the Dockerfile's header; ``extra_env`` follows the runtime's standard ENV."""
    user = User("app", options.uid, options.uid, "/home/app")
    decisions.append(user_decision(user))
    args = common.build_args(facts)
    needed |= {lock.path, *facts.layout.files_build_reads, *facts.dependencies.input_files}
    needed |= {f.path for f in support}
    ignore, ignore_decision = common.dockerignore(facts, options, needed)
    decisions.append(ignore_decision)
    name = common.image_name(facts, options)
    decisions.append(Decision("image-name", name, "default tag <name>:<version> from the project metadata"))
    expose = facts.app.port.value if facts.app.kind.value == "web" else None
    return BuildPlan(
        strategy=strategy,
        python_version=facts.python.version.value,
        builder_image=builder_image,
        runtime_image=runtime_image,
        builder_apt=tuple(builder_apt),
        runtime_apt=(),
        builder_env=BUILDER_ENV,
        runtime_env=(*runtime_env(entry is not None), *extra_env),
        builder_workdir="/src",
        builder_steps=tuple(builder_steps),
        runtime_steps=tuple(runtime_steps),
        user=user,
        workdir=common.workdir(facts, "wheel" if facts.layout.is_package.value else "source", decisions),
        app_install="wheel" if facts.layout.is_package.value else "source",
        lock=lock,
        entrypoint=(common.TINI, "--"),
        cmd=cmd,
        expose=expose,
        healthcheck=probe,
        healthcheck_reason=probe_reason,
        labels=common.labels(facts),
        build_args=tuple((a.name, a.default) for a in args),
        build_arg_docs=args,
        secrets=((common.PIP_SECRET_ID, common.PIP_SECRET_TARGET),),
        image_name=name,
        dockerignore=ignore,
        files=common.lock_files(lock),
        syntax_directive=options.syntax_directive,
        header=common.header(strategy, notes),
        decisions=tuple(decisions),
        warnings=tuple(warnings),
        facts=facts,
        builder_title=builder_title,
        runtime_title=runtime_title,
        support_files=support,
        frozen=entry,
    )
