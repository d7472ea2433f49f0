"""What a frozen binary (PyInstaller, Nuitka) must start and bundle, read off the start command.

A frozen binary carries only what static analysis finds from its entry. Servers import their workers
and the app by dotted name at run time, so known commands come from ``plan/data/frozen.toml`` (entry
function, hidden imports, packages to collect); commands that cannot be frozen reliably are refused
with the table's reason.
"""

from __future__ import annotations

import importlib.resources
import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from dockwright.errors import PlanError
from dockwright.plan import bases, common
from dockwright.plan.model import (
    AptPackage,
    BuildPlan,
    Decision,
    FrozenEntry,
    Healthcheck,
    LockPlan,
    Step,
    SupportFile,
)
from dockwright.plan.strategies import standalone
from dockwright.plan.strategies.base import PlanOptions, Verdict
from dockwright.project.facts import ProjectFacts
from dockwright.toml_reader import tomllib

_IMPORT_STRING = re.compile(r"^[A-Za-z_][\w.]*:[A-Za-z_][\w.]*(\(\))?$")
# Directories a web app reads from disk next to its code (Flask, Starlette, aiohttp conventions).
DATA_DIRS = ("templates", "static", "assets")


@dataclass(frozen=True)
class FrozenApp:
    """The entry the binary starts and the arguments its CMD passes."""

    entry: FrozenEntry
    args: tuple[str, ...]


@cache
def _table() -> dict[str, Any]:
    text = (importlib.resources.files("dockwright.plan") / "data" / "frozen.toml").read_text("utf-8")
    table: dict[str, Any] = tomllib.loads(text)
    return table


def known_commands() -> tuple[str, ...]:
    return tuple(sorted(_table()["commands"]))


def analyse(facts: ProjectFacts) -> FrozenApp | str:
    """The frozen entry for the project's start command, or the reason it cannot be frozen."""
    refuse: dict[str, Any] = _table()["refuse"]
    commands: dict[str, Any] = _table()["commands"]
    command = facts.app.command.value
    framework = facts.app.framework.value
    if not command:
        return 'no start command was detected; give --start "..."'
    if framework in refuse:
        return f"{framework}: {refuse[framework]['reason']}"
    head = command[0].rsplit("/", 1)[-1]
    data = _data_dirs(facts)
    if head in ("python", "python3") and len(command) >= 2:
        if command[1] == "-m" and len(command) >= 3:
            if command[2] in refuse:
                return f"{command[2]}: {refuse[command[2]]['reason']}"
            why = f"the start command runs module {command[2]} as __main__"
            entry = FrozenEntry("module", command[2], (command[2],), (), data, why)
            return FrozenApp(entry, tuple(command[3:]))
        script = command[1]
        if script.rsplit("/", 1)[-1] in refuse:
            return f"{script}: {refuse[script.rsplit('/', 1)[-1]]['reason']}"
        if script.endswith(".py"):
            why = f"the start command runs the script {script}; it is frozen directly"
            return FrozenApp(FrozenEntry("script", script, (), (), data, why), tuple(command[2:]))
        return f"cannot freeze `{' '.join(command[:2])}`: expected `python -m MODULE` or `python SCRIPT.py`"
    if head in refuse:
        return f"{head}: {refuse[head]['reason']}"
    entry_point = facts.app.entry_point.value
    if entry_point:
        why = f"{head} is the project's console script {entry_point}"
        module = entry_point.split(":")[0]
        return FrozenApp(FrozenEntry("function", entry_point, (module,), (), data, why), tuple(command[1:]))
    if head in commands:
        spec = commands[head]
        hidden = list(spec["hidden_imports"])
        if spec["app_import_arg"]:
            app = next((a for a in command[1:] if _IMPORT_STRING.match(a)), None)
            if app is None:
                return f"{head} needs the app as MODULE:OBJECT in the start command to bundle it"
            hidden.append(app.split(":")[0])
        why = f"{head}'s console script calls {spec['entry']}; {spec['source']}"
        entry = FrozenEntry(
            "function", spec["entry"], tuple(hidden), tuple(spec["collect_submodules"]), data, why
        )
        return FrozenApp(entry, tuple(command[1:]))
    known = ", ".join(known_commands())
    return (
        f"dockwright does not know which modules {head!r} loads at run time (known servers: {known}; "
        "also `python -m MODULE`, `python SCRIPT.py` and the project's own console scripts)"
    )


def verdict(facts: ProjectFacts, done: str) -> Verdict:
    """Whether the start command can be frozen (``done``: "frozen", "compiled"), and why."""
    unpinned = common.unpinned_python(facts)
    if unpinned:
        return Verdict(False, unpinned)
    app = analyse(facts)
    if isinstance(app, str):
        return Verdict(False, app)
    return Verdict(True, f"the start command can be {done}: {app.entry.why}")


def _data_dirs(facts: ProjectFacts) -> tuple[tuple[str, str], ...]:
    if facts.layout.is_package.value:
        return ()  # a package's data travels inside it (collected with the package)
    return tuple((d, d) for d in DATA_DIRS if d in facts.layout.present_dirs)


@dataclass(frozen=True)
class Prepared:
    """What PyInstaller and Nuitka plans share before the tool's own build step.

    ``builder_steps`` end with the source copied, the project's package installed and the probe
    compiled; ``script`` is what the tool freezes (the project's script or the generated entry).
    """

    app: FrozenApp
    scratch: bool
    builder_image: str
    runtime_image: str
    lock: LockPlan
    probe: Healthcheck | None
    probe_reason: str
    builder_apt: tuple[AptPackage, ...]
    support: tuple[SupportFile, ...]
    script: str
    builder_steps: tuple[Step, ...]
    decisions: tuple[Decision, ...]

    def runtime_steps(self, program: Step) -> list[Step]:
        """The root filesystem (scratch), tini and the probe, then the program."""
        rootfs = Step(
            "COPY", ("/rootfs/", "/"), flags=("--from=builder",), why="loader, glibc, certificates, /tmp"
        )
        steps = [rootfs] if self.scratch else []
        return [*steps, *standalone.runtime_copies(self.probe is not None, glibc=not self.scratch), program]


def prepare(
    facts: ProjectFacts,
    options: PlanOptions,
    *,
    strategy: str,
    tool: str,
    tool_apt: list[AptPackage],
    scratch: bool,
    runtime_image: str,
    runtime_reason: str,
) -> Prepared:
    """Analyse the start command (PlanError when it cannot be frozen) and plan the shared builder steps."""
    app = analyse(facts)
    if isinstance(app, str):
        raise PlanError(f"strategy {strategy} cannot package this project: {app}")
    version = facts.python.version.value
    builder_image = bases.slim_image(facts)
    decisions = [
        Decision(
            "base-image",
            f"builder {builder_image}, runtime {runtime_image}",
            f"the program embeds CPython {version} from the builder; {runtime_reason}; "
            f"builder {bases.suite_reason(facts)}",
        )
    ]
    lock, lock_decision = common.lock_plan(facts, options)
    probe, probe_reason, probe_decision = common.healthcheck(facts, prober="static")
    probe_files, probe_steps = standalone.probe_support(probe)
    extra = list(tool_apt)
    if probe_steps:
        extra += [
            AptPackage("gcc", "compiles the static health probe (builder only)"),
            AptPackage("libc6-dev", "static libc for the health probe (builder only)"),
        ]
    builder_apt, toolchain = standalone.builder_apt(facts, extra)
    decisions += [
        lock_decision,
        probe_decision,
        toolchain,
        Decision("entry", app.entry.target, app.entry.why),
    ]

    tools_file, tools_path = standalone.tools_lock(tool.lower())
    support = [tools_file, *probe_files]
    if app.entry.kind == "script":
        script = app.entry.target
    else:
        script = f"{standalone.TOOLS_DIR}/entry.py"
        support.append(standalone.entry_script(script))
    why = f"builder only: what {tool}" + (" and the probe" if probe_steps else "") + " need; tini"
    steps: list[Step] = [
        Step("RUN", common.apt_install(builder_apt), why=why),
        *standalone.install_tools(tool, tools_path),
        *standalone.install_locked(lock),
        Step("COPY", (".", "."), why="the source after the dependency layers"),
    ]
    if facts.layout.is_package.value:
        steps.append(
            Step(
                "RUN",
                ("pip install --no-deps .",),
                flags=(common.PIP_CACHE_MOUNT,),
                why="the project's own package, so its console script's module imports",
            )
        )
    return Prepared(
        app=app,
        scratch=scratch,
        builder_image=builder_image,
        runtime_image=runtime_image,
        lock=lock,
        probe=probe,
        probe_reason=probe_reason,
        builder_apt=tuple(builder_apt),
        support=tuple(support),
        script=script,
        builder_steps=(*steps, *probe_steps),
        decisions=tuple(decisions),
    )


def assemble(
    prepared: Prepared,
    facts: ProjectFacts,
    options: PlanOptions,
    *,
    strategy: str,
    builder_steps: list[Step],
    runtime_steps: list[Step],
    decisions: list[Decision],
    notes: list[str],
    builder_title: str,
) -> BuildPlan:
    """The frozen plan: the shared tail (labels, ignore file, user) with the tool's own steps."""
    cmd = ("/app/app", *prepared.app.args)
    decisions.append(
        Decision("start", " ".join(cmd), "exec form under tini; the program takes the arguments")
    )
    name = prepared.runtime_image.split("/")[-1]
    return standalone.assemble(
        strategy=strategy,
        facts=facts,
        options=options,
        builder_image=prepared.builder_image,
        runtime_image=prepared.runtime_image,
        builder_apt=list(prepared.builder_apt),
        builder_steps=builder_steps,
        runtime_steps=runtime_steps,
        lock=prepared.lock,
        cmd=cmd,
        probe=prepared.probe,
        probe_reason=prepared.probe_reason,
        support=prepared.support,
        decisions=decisions,
        warnings=list(facts.notes),
        notes=notes,
        builder_title=builder_title,
        runtime_title=f"runtime: {name}, the program, tini, the probe; non-root",
        needed={prepared.script},
        entry=prepared.app.entry,
    )
