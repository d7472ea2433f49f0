"""Debian packages a platform file names (``ProjectFacts.system_packages``: packages.txt, Aptfile,
apt.txt), installed where a multi-stage image needs them.

The platforms install them into the one image that builds and runs the app
(``project/data/platform_packages.toml``). Here the runtime gets the libraries and programs, in its
one apt step (the programs' step, plan/programs.py; moved into the trimmed base's stage by
plan/trim.py, so the runtime layers hold no apt lists or caches); the builder gets the build tools
(``cmake`` for a dlib sdist) and ``-dev`` packages when it compiles something (else they would only
cost build time: every dependency installs from a wheel), and the runtime the library a ``-dev`` package
depends on (``libgl1-mesa-dev`` -> ``libgl1``): no header or compiler reaches the runtime (lint DW204,
audit ``toolchain``). A ``-dev`` package the table has no library for is said, as the runtime may then
lack what the app loads. Names are deduplicated with what the plan already installs (the native
table's libraries, the programs' packages, the toolchain).

The names were checked when read (project/system_packages.py): Debian's name grammar, so no shell
character can reach the ``RUN``, and dockwright's tables, so no unknown name stops ``apt-get install``.
``programs = "warn"`` (``--programs warn``) and a runtime without apt (Alpine, distroless) only warn.
"""

from __future__ import annotations

import dataclasses
from functools import cache

from dockwright.plan import common
from dockwright.plan.model import AptPackage, BuildPlan, Decision, Step
from dockwright.plan.programs import installs_here, with_runtime_packages
from dockwright.plan.reproducible import COMPILERS
from dockwright.plan.strategies.base import PlanOptions
from dockwright.project.facts import Fact
from dockwright.project.python_version import debian_suites
from dockwright.project.system_packages import platform_files
from dockwright.project.tree import data_table


@cache
def dev_libraries() -> dict[str, str]:
    """A -dev package -> the library package it depends on (bookworm's name; "" = none)."""
    table = data_table("platform_packages.toml")["dev-libraries"]
    return {str(k): str(v) for k, v in table.items() if k != "source-dev"}


@cache
def build_tools() -> frozenset[str]:
    return frozenset(str(n) for n in data_table("platform_packages.toml")["build-tools"]["names"])


def _where(fact: Fact[str]) -> str:
    e = fact.evidence[0]
    return f"{e.file}:{e.line}"


def _is_dev(name: str) -> bool:
    return name.endswith("-dev") or "-dev-" in name


def split(facts: tuple[Fact[str], ...], suite: str) -> tuple[list[AptPackage], list[AptPackage], list[str]]:
    """(runtime packages, builder packages, warnings) for the platform packages."""
    renames = debian_suites()[suite].renames if suite in debian_suites() else {}
    runtime: list[AptPackage] = []
    builder: list[AptPackage] = []
    warnings: list[str] = []
    for fact in facts:
        name, where = fact.value, _where(fact)
        if name in build_tools():
            builder.append(AptPackage(name, f"a build tool {where} names (builder only)"))
            continue
        if not _is_dev(name):
            runtime.append(AptPackage(name, f"{where} names it"))
            continue
        builder.append(AptPackage(name, f"headers {where} names (builder only)"))
        library = dev_libraries().get(name)
        if library:
            library = renames.get(library, library)
            runtime.append(AptPackage(library, f"the library of {name}, which {where} names"))
        elif library is None:
            warnings.append(
                f"{where} names {name}: its headers go to the builder, and the runtime gets none of its "
                "libraries (dockwright's table does not know which): name the library package "
                f"(apt-cache depends {name}) in {fact.evidence[0].file} if the app loads it"
            )
    return runtime, builder, warnings


def _with_builder_packages(plan: BuildPlan, added: tuple[AptPackage, ...], why: str) -> BuildPlan:
    """``plan`` whose builder apt step (made first if missing) also installs ``added``."""
    after = (*plan.builder_apt, *added)
    steps = list(plan.builder_steps)
    if steps and steps[0].instruction == "RUN" and steps[0].args[:1] == ("apt-get update",):
        steps[0] = dataclasses.replace(steps[0], args=common.apt_install(after), why=f"{steps[0].why}; {why}")
    else:
        steps.insert(0, Step("RUN", common.apt_install(after), why=f"builder only: {why}"))
    return dataclasses.replace(plan, builder_apt=after, builder_steps=tuple(steps))


def _new(packages: list[AptPackage], present: set[str]) -> tuple[AptPackage, ...]:
    out: dict[str, AptPackage] = {}
    for p in packages:
        if p.name not in present and p.name not in out:
            out[p.name] = p
    return tuple(out.values())


def apply(plan: BuildPlan, options: PlanOptions | None = None) -> BuildPlan:
    facts = plan.facts.system_packages
    if not facts:
        return plan
    runtime, builder, warnings = split(facts, plan.facts.python.debian.value)
    files = ", ".join(dict.fromkeys(f.evidence[0].file for f in facts))
    source = "; ".join(
        f"{spec.platforms} {spec.reads} [{spec.source}]"
        for spec in platform_files()
        if spec.name in {f.evidence[0].file for f in facts}
    )
    listed = "; ".join(f"{f.value} ({_where(f)})" for f in facts)
    cannot = installs_here(plan)
    if (options and options.programs == "warn") or cannot:
        why = cannot or "asked for (programs = warn)"
        warning = (
            f"{files} names Debian packages the platform installs where the app runs ({listed}), and "
            f"this image does not have them: {why}; the app may fail where it loads one"
        )
        decision = Decision(
            "platform-packages", " ".join(f.value for f in facts), f"not installed: {why}; {listed}"
        )
        return dataclasses.replace(
            plan, warnings=(*plan.warnings, warning), decisions=(*plan.decisions, decision)
        )
    added = _new(runtime, {a.name for a in plan.runtime_apt})
    planned = with_runtime_packages(plan, added) if added else plan
    tools = _new(builder, {a.name for a in planned.builder_apt})
    compiles = any(a.name in COMPILERS for a in planned.builder_apt)
    if tools and not compiles:  # every dependency installs from a wheel: the headers would only cost time
        named = {f.value: _where(f) for f in facts}
        each = "; ".join(f"{named.get(t.name, files)}: {t.name} not installed" for t in tools)
        warnings.append(
            f"{files} names headers and build tools ({' '.join(t.name for t in tools)}), which this build "
            f"does not install: nothing in it compiles (every dependency has a wheel for the target) ({each})"
        )
        builder, tools = [], ()
    if tools:
        planned = _with_builder_packages(
            planned, tools, f"{' '.join(t.name for t in tools)}: headers and build tools {files} names"
        )
    value = "runtime: " + (" ".join(p.name for p in runtime) or "none")
    value += "; builder: " + (" ".join(p.name for p in builder) or "none")
    decision = Decision(
        "platform-packages",
        value,
        f"{files} names them ({listed}); {source}. The runtime gets the libraries and programs in its apt "
        "step (--no-install-recommends, with what the plan already installs there), the builder the "
        "-dev headers and build tools (no compiler or header in the runtime), a -dev package's library "
        "in the runtime (headers and tools only when the builder compiles); words that are no Debian "
        "package dockwright's tables know are left out, each named in the notes (an unknown name would stop "
        'apt-get install and the build); `programs = "warn"` (--programs warn) only warns',
    )
    return dataclasses.replace(
        planned, warnings=(*planned.warnings, *warnings), decisions=(*planned.decisions, decision)
    )
