"""What the zipapp strategies (PEX, shiv) share: the start command read as an entry, the checks, the plan.

A zipapp carries the app and its locked dependencies in one file and is run by
``gcr.io/distroless/python3-debian13:nonroot`` (Debian 13's CPython 3.13, no shell, no pip), or
``python3-debian12`` (CPython 3.11) for a 3.11 project: the runtime's interpreter is fixed, so the
project's Python minor must be one of those (:func:`dockwright.plan.bases.distroless_python`). The
builder verifies the lock's hashes while it builds wheels, then the tool assembles the zipapp offline
from those wheels; the runtime holds the interpreter, tini and the one file, which unpacks under
``/tmp`` at first start.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from dockwright.errors import PlanError
from dockwright.plan import bases, common
from dockwright.plan.model import BuildPlan, Decision, EnvVar, LockPlan, Step
from dockwright.plan.strategies import standalone
from dockwright.plan.strategies.base import PlanOptions, Verdict
from dockwright.project.facts import Evidence, Fact, ProjectFacts
from dockwright.project.python_version import allowed_patch
from dockwright.python_program import PYTHON_PROGRAM

WHEELS = "/wheels"
SITE = "/out/site"
ROOTFS = "/out/rootfs"
# Debian's multiarch directory (x86_64, aarch64); the substitution quoted for ShellCheck (SC2046)
LIBDIR = '/usr/lib/"$(uname -m)"-linux-gnu'


@dataclass(frozen=True)
class ZipEntry:
    """How the zipapp starts: a console script baked in, or interpreter mode with ``args`` in CMD.

    ``files`` are files the start command names on disk (``python job.py``, ``streamlit run app.py``):
    they are copied beside the zipapp, since the command reads them from the working directory.
    """

    console_script: str | None
    args: tuple[str, ...]
    files: tuple[str, ...]
    why: str


@dataclass(frozen=True)
class Build:
    """What the builder has ready for the tool: wheels of the locked deps (and the app), the source."""

    lock: LockPlan
    package: str | None  # the project's distribution name when it is a package (its wheel is in /wheels)
    has_wheels: bool
    entry: ZipEntry
    out: str
    interpreter: str  # the runtime's python3, e.g. /usr/bin/python3.13 (the zipapp's shebang)


def _xy(version: str) -> str:
    return ".".join(version.split(".")[:2])


def _local_file(arg: str) -> bool:
    return arg.endswith(".py") and not arg.startswith(("/", "-")) and "=" not in arg and ".." not in arg


def analyse(facts: ProjectFacts) -> ZipEntry | str:
    """The zipapp entry for the start command, or the reason there is none."""
    command = facts.app.command.value
    if not command:
        return 'no start command was detected; give --start "..."'
    head = command[0]
    if PYTHON_PROGRAM.match(head.rsplit("/", 1)[-1]):
        if len(command) >= 3 and command[1] == "-m":
            why = f"`{' '.join(command[:3])}`: an interpreter-mode zipapp runs the module from its bundle"
            return ZipEntry(None, tuple(command[1:]), (), why)
        if len(command) >= 2 and _local_file(command[1]):
            why = (
                f"`{' '.join(command[:2])}`: an interpreter-mode zipapp runs the script with the bundled "
                "dependencies on sys.path; the script is copied beside it"
            )
            return ZipEntry(None, tuple(command[1:]), (command[1],), why)
        return (
            f"cannot run `{' '.join(command[:2])}` from a zipapp: expected `python -m MODULE` or "
            "`python SCRIPT.py`"
        )
    if head in ("sh", "bash") or "/" in head or head.endswith(".sh"):
        return (
            f"the start command {head!r} is a file, not a console script; the runtime has no shell to run it"
        )
    files = tuple(a for a in command[1:] if _local_file(a))
    source = (
        f"the project's own console script ({facts.app.entry_point.value})"
        if facts.app.entry_point.value
        else "a console script of a locked dependency"
    )
    why = f"{head} is {source}; the zipapp's entry point calls it"
    return ZipEntry(head, tuple(command[1:]), files, why)


def for_runtime(facts: ProjectFacts) -> ProjectFacts:
    """``facts`` with the Python of a distroless python3 image when the project's request allows one.

    The interpreter of a distroless runtime is fixed (Debian's); a project that asks for nothing, or for
    a range that holds that minor, is built for it instead of the general default.
    """
    python = facts.python
    if bases.distroless_python(python.version.value):
        return facts
    for runtime in bases.distroless_pythons():
        patch = allowed_patch(python.requested.value, runtime.python)
        if patch is None:
            continue
        asked = (
            f"{python.requested.value!r} allows" if python.requested.value else "nothing asks for a version:"
        )
        ev = Evidence("distroless", None, f"{asked} {runtime.python}, the interpreter of {runtime.image}")
        suite = Fact(
            runtime.suite.name,
            (Evidence("distroless", None, f"the runtime's Debian {runtime.suite.version}"),),
        )
        return replace(facts, python=replace(python, version=Fact(patch, (ev,)), debian=suite))
    return facts


def applies(facts: ProjectFacts) -> Verdict:
    facts = for_runtime(facts)
    version = facts.python.version.value
    unpinned = common.unpinned_python(facts)
    if unpinned:
        return Verdict(False, unpinned)
    reason = python_mismatch(version)
    if reason:
        return Verdict(False, reason)
    libraries = runtime_libraries(facts)
    if libraries:
        return Verdict(False, libraries)
    entry = analyse(facts)
    if isinstance(entry, str):
        return Verdict(False, entry)
    return Verdict(True, f"Python {_xy(version)} matches distroless python3's; {entry.why}")


def python_mismatch(version: str) -> str:
    if bases.distroless_python(version):
        return ""
    offered = bases.distroless_pythons()
    images = ", ".join(f"{d.image.split(':')[0]} runs CPython {d.python}" for d in offered)
    return (
        f"the project needs Python {_xy(version)} but no distroless python3 image runs it ({images}; "
        "Debian's, fixed): a zipapp's compiled extensions and bytecode must match the interpreter "
        "that runs it (the distroless trap); use slim or pyinstaller, or give "
        + " or ".join(f"--python {d.python}" for d in offered)
    )


def runtime_libraries(facts: ProjectFacts) -> str:
    needs = [n for n in facts.native if n.run_apt]
    if not needs:
        return ""
    named = "; ".join(f"{n.package} needs {', '.join(n.run_apt)}" for n in needs)
    return (
        "dependencies load shared libraries that distroless python3 lacks and cannot install "
        f"(no package manager): {named}; use slim (or pyinstaller, which bundles them)"
    )


ToolStep = Callable[[Build], list[Step]]


def plan(
    *,
    strategy: str,
    tool: str,
    tool_title: str,
    out: str,
    facts: ProjectFacts,
    options: PlanOptions,
    build_step: ToolStep,
    env: tuple[EnvVar, ...],
) -> BuildPlan:
    """The zipapp plan; ``build_step`` gives the tool's own builder steps (it makes ``out``)."""
    verdict = applies(facts)
    if not verdict.ok:
        raise PlanError(f"strategy {strategy} cannot package this project: {verdict.reason}")
    facts = for_runtime(facts)
    entry = analyse(facts)
    assert not isinstance(entry, str)
    decisions: list[Decision] = []
    warnings: list[str] = list(facts.notes)
    version = facts.python.version.value
    runtime = bases.distroless_python(version)
    assert runtime is not None  # applies() checked it
    debian = f"Debian {runtime.suite.version}"
    builder_image = bases.slim(version, runtime.suite.name)
    decisions.append(
        Decision(
            "base-image",
            f"builder {builder_image}, runtime {runtime.image}",
            f"the builder makes wheels with CPython {version}; distroless python3 runs the zipapp with "
            f"{debian}'s CPython {runtime.python} (no shell, no pip, no package manager); the builder is on "
            f"the runtime's {debian} ({runtime.suite.name}) so the libraries it copies over match",
        )
    )
    if runtime.suite.distroless_python_deprecated:
        warnings.append(
            f"{runtime.image.split(':')[0]} is deprecated upstream and no longer rebuilt: move the project "
            f"to Python {bases.distroless_pythons()[0].python} for {bases.distroless_pythons()[0].image}"
        )
    abi = f"cp{runtime.python.replace('.', '')}"
    decisions.append(
        Decision(
            "python-abi",
            abi,
            f"the builder's Python {_xy(version)} is the runtime's {runtime.python}, so compiled "
            f"extensions in the zipapp ({abi} wheels) load there; another minor version would not "
            "(the distroless trap)",
        )
    )
    lock, lock_decision = common.lock_plan(facts, options)
    decisions.append(lock_decision)
    warnings += common.lock_warnings(lock)
    warnings += common.uncovered_warnings(facts, lock)
    probe, probe_reason, probe_decision = common.healthcheck(facts, prober=runtime.interpreter)
    decisions.append(probe_decision)
    builder_apt, toolchain = standalone.builder_apt(facts, [])
    decisions.append(toolchain)
    decisions.append(
        Decision(
            "runtime-libraries",
            "libstdc++.so.6 (copied from the builder)",
            "distroless python3 ships libgcc_s but no libstdc++, and manylinux wheels may link "
            f"it (numpy's do); the builder's {debian} copy matches the runtime's glibc",
        )
    )

    tools_file, tools_path = standalone.tools_lock(tool)
    package = facts.metadata.name.value if facts.layout.is_package.value else None
    builder_steps: list[Step] = [
        Step(
            "RUN",
            common.apt_install(builder_apt),
            why="builder only: tini-static" + (", compilers" if len(builder_apt) > 1 else ""),
        ),
        Step(
            "RUN",
            (
                f"mkdir -p {ROOTFS}{LIBDIR}",
                f"cp -L {LIBDIR}/libstdc++.so.6 {ROOTFS}{LIBDIR}/",
            ),
            why=f"{debian}'s libstdc++ for the runtime, which lacks it (C++ extension wheels such as "
            "numpy's load it)",
        ),
        *standalone.install_tools(tool_title, tools_path),
    ]
    builder_steps += common.build_wheels(lock, WHEELS)
    builder_steps.append(Step("COPY", (".", "."), why="the source after the dependency layers"))
    builder_steps += common.drop_local_wheels(lock)
    if package:
        builder_steps.append(
            Step(
                "RUN",
                (f"pip wheel --no-deps --wheel-dir {WHEELS} .",),
                flags=(common.PIP_CACHE_MOUNT, common.PIP_SECRET_MOUNT),
                why="the app as a wheel beside its dependencies' (its console scripts come with it)",
            )
        )
        decisions.append(
            Decision("app-install", "wheel", "the project is a package: its wheel goes into the zipapp")
        )
    else:
        decisions.append(
            Decision(
                "app-install",
                "source",
                "the project is not a package: its source tree goes into the zipapp, on sys.path",
            )
        )
    build = Build(lock, package, not lock.empty or bool(package), entry, out, runtime.interpreter)
    builder_steps += build_step(build)
    entry_reason = (
        f"`{tool} -c {entry.console_script}` bakes the console script in; CMD passes its arguments"
        if entry.console_script
        else "no entry point baked in: the zipapp runs as the interpreter, with the module or script in CMD"
    )
    decisions.append(Decision("entry", entry.console_script or "interpreter", f"{entry.why}; {entry_reason}"))

    name = out.rsplit("/", 1)[-1]
    target = f"/app/{name}"
    runtime_steps = standalone.runtime_copies(False)
    runtime_steps.append(
        Step(
            "COPY",
            (f"{ROOTFS}/", "/"),
            flags=("--from=builder",),
            why=f"libstdc++.so.6 from the same {debian} as the runtime: distroless python3 has libgcc_s "
            "but not libstdc++, which manylinux wheels may link",
        )
    )
    runtime_steps.append(
        Step(
            "COPY",
            (out, target),
            flags=("--from=builder",),
            why=f"the {tool_title} zipapp: app and locked dependencies in one file (root-owned, read-only)",
        )
    )
    for path in entry.files:
        runtime_steps.append(
            Step("COPY", (path, f"/app/{path}"), why="the start command reads this file from the working dir")
        )
    cmd = (runtime.interpreter, target, *entry.args)
    decisions.append(
        Decision(
            "start",
            " ".join(cmd),
            "exec form under tini; distroless python3 runs the zipapp explicitly (no shebang lookup, "
            "no shell)",
        )
    )
    return standalone.assemble(
        strategy=strategy,
        facts=facts,
        options=options,
        builder_image=builder_image,
        runtime_image=runtime.image,
        builder_apt=builder_apt,
        builder_steps=builder_steps,
        runtime_steps=runtime_steps,
        lock=lock,
        cmd=cmd,
        probe=probe,
        probe_reason=probe_reason,
        support=(tools_file,),
        decisions=decisions,
        warnings=warnings,
        notes=[f"One {tool_title} zipapp on {runtime.image}: Python {runtime.python}, no shell, no pip."],
        builder_title=f"builder: locked wheels + {tool_title}, builds the zipapp offline",
        runtime_title=f"runtime: distroless python3 {runtime.python}, the zipapp and tini; non-root",
        needed=set(entry.files),
        extra_env=(*env, *_framework_env(facts)),
    )


def _framework_env(facts: ProjectFacts) -> tuple[EnvVar, ...]:
    if facts.app.framework.value == "streamlit":
        # streamlit/config.py: developmentMode defaults to "not under site-packages", and a zipapp unpacks
        # its wheels under /tmp, so the server would refuse --server.port as a development setting
        why = "Streamlit takes a zipapp's unpacked wheels for a source checkout (development mode)"
        return (EnvVar("STREAMLIT_GLOBAL_DEVELOPMENT_MODE", "false", why),)
    return ()
