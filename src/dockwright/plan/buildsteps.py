"""Build steps the app needs at run time, planned from ``ProjectFacts.build_steps`` (issue 12, class 4).

Applied by the planner after the strategy, like :mod:`dockwright.plan.start`:

- Message catalogs compile in the **builder** (Django's ``compilemessages`` runs ``msgfmt``, so
  gettext is installed there and never in the runtime; ``pybabel compile`` is Babel's own Python).
  The builder then holds the prepared app tree (catalogs compiled, frontend sources pruned) and the
  runtime copies that tree instead of the build context: root-owned, world-readable, one layer.
- A frontend the app serves builds in its own **frontend** stage on an official ``node`` image
  (``npm ci`` from the lockfile, npm's cache in a cache mount); only its output directory is copied.
  The steps that download from the registry mount the optional BuildKit secret ``npmrc`` where the
  package manager reads its user config, so a private or mirrored registry (and its token) is used
  without reaching a layer.
- Prisma Client Python's ``prisma generate`` runs in the **builder** after the dependencies, from the
  schema alone: the client lands in the venv's ``prisma`` package, which the runtime copies anyway;
  the query engine it starts is copied on its own, named by ``PRISMA_QUERY_ENGINE_BINARY``.
- ``collectstatic`` runs in the **runtime** stage, as root before ``USER``: the settings compute
  ``STATIC_ROOT`` against the same paths the app runs with, so the files land where the app looks.
  Settings import with build-time dummies for the variables they require, passed to that RUN only.

A step that cannot be planned (no STATIC_ROOT, no lockfile, a strategy or package app that has no
place for it) is a decision and a warning, never silently dropped.
"""

from __future__ import annotations

import dataclasses
import importlib.resources
import posixpath
import shlex
from collections.abc import Mapping
from functools import cache
from typing import Any

from dockwright.plan import common
from dockwright.plan.model import (  # FRONTEND_STAGE, NPMRC_SECRET_ID: defined there for build.py
    FRONTEND_STAGE,
    NPMRC_SECRET_ID,
    AptPackage,
    BuildPlan,
    Decision,
    EnvVar,
    IgnoreEntry,
    SideStage,
    Step,
)
from dockwright.project.buildsteps import managers
from dockwright.project.facts import BuildStepNeed, ProjectFacts
from dockwright.project.frontend_config import unset_stops
from dockwright.project.tree import parse_toml

FRONTEND_ROOT = "/frontend"
VENV_PYTHON = "/opt/venv/bin/python"  # the slim builder's venv (plan/strategies/slim.py)
GETTEXT = AptPackage("gettext", "msgfmt for Django's compilemessages (builder only; .mo files are copied)")
TOPICS = {
    "collectstatic": "collectstatic",
    "compilemessages": "compilemessages",
    "pybabel-compile": "pybabel-compile",
    "frontend": "frontend-build",
    "prisma-generate": "prisma-generate",
    "makemigrations": "makemigrations",
}
PREPARED = {  # what each step did to the app's tree in the builder (the runtime COPY's why)
    "compilemessages": "catalogs compiled",
    "pybabel-compile": "catalogs compiled",
    "frontend": "frontend sources pruned",
    "prisma-generate": "Prisma client generated",
    "makemigrations": "migrations made",
}


@cache
def table() -> dict[str, Any]:
    data = importlib.resources.files("dockwright.plan") / "data" / "buildsteps.toml"
    return parse_toml(data.read_text(encoding="utf-8"))


def node_image() -> str:
    return str(table()["node"]["image"])


def dummy_value(name: str, row_of: Mapping[str, str] | None = None) -> tuple[str, str]:
    """The build-time value for a required variable, and why that value: the row ``row_of`` names for it
    (the call that parses it: project/none_refusing_calls.py), else the first row whose suffix ends the
    name as a word (``PORT``, ``APP_PORT``, not ``TRANSPORT``)."""
    wanted = (row_of or {}).get(name)
    for row in table()["dummy"]:
        suffix = row["suffix"]
        by_name = not suffix or name == suffix or name.endswith("_" + suffix)
        if suffix == wanted or (wanted is None and by_name):
            return str(row["value"]), str(row["why"])
    if wanted is not None:
        return dummy_value(name)  # a row this table no longer has: the name decides
    raise AssertionError("the table's last row matches every name")


def _evidence(need: BuildStepNeed) -> str:
    return "; ".join(str(e) for e in need.evidence) or "detected"


def apply(plan: BuildPlan) -> BuildPlan:
    needs = plan.facts.build_steps
    if not needs:
        return plan
    decisions = list(plan.decisions)
    warnings = list(plan.warnings)
    ready: list[BuildStepNeed] = []
    for need in needs:
        if need.done_by is not None and need.kind == "collectstatic":
            decisions.append(
                Decision(
                    TOPICS[need.kind],
                    "committed",
                    f"{need.done_by}: the image copies the files as the repository has them; collecting "
                    f"again would rewrite that manifest from the app folders alone ({_evidence(need)})",
                )
            )
            continue
        if need.done_by is not None and plan.app_install == "wheel":
            decisions.append(
                Decision(
                    TOPICS[need.kind],
                    "in the wheel build",
                    f"{need.done_by}: the app's wheel carries the "
                    + ("built frontend" if need.kind == "frontend" else "compiled files")
                    + f", so no step of its own ({_evidence(need)})",
                )
            )
            continue
        refused = need.blocker if not need.ready else _no_place(plan, need)
        if refused:
            decisions.append(Decision(TOPICS[need.kind], "not planned", f"{refused} ({_evidence(need)})"))
            warnings.append(f"build step {need.kind} is not planned: {refused}")
        else:
            ready.append(need)
    plan = dataclasses.replace(plan, decisions=tuple(decisions), warnings=tuple(warnings))
    return _planned(plan, ready) if ready else plan


def _no_place(plan: BuildPlan, need: BuildStepNeed) -> str:
    if plan.strategy != "slim":
        return f"the {plan.strategy} strategy has no stage for build steps yet (the slim strategy plans them)"
    # the client goes into the venv; collectstatic writes STATIC_ROOT, a folder of the image, from the
    # static files the installed package carries, with the settings module the image runs
    if plan.app_install != "source" and need.kind not in ("prisma-generate", "collectstatic"):
        return (
            "the app installs as a wheel, which would have to package the step's output (package-data); "
            "run the step before building the wheel"
        )
    return ""


def _planned(plan: BuildPlan, needs: list[BuildStepNeed]) -> BuildPlan:
    facts = plan.facts
    decisions = list(plan.decisions)
    builder_apt = list(plan.builder_apt)
    builder_steps = list(plan.builder_steps)
    runtime_steps = list(plan.runtime_steps)
    side_stages = list(plan.side_stages)
    ignore = list(plan.dockerignore)
    prepared: list[Step] = []  # builder steps on the source tree
    after_source: list[Step] = []  # runtime steps after the app's source
    collect: list[Step] = []  # after the frontend's output, which STATICFILES_DIRS may name
    runtime_env = list(plan.runtime_env)
    static = _static_root(plan, needs)
    if static:
        plan, runtime_env, decisions = _static_root_env(plan, needs, static, runtime_env, decisions)
        facts = plan.facts

    for need in needs:
        if need.kind == "compilemessages":
            if GETTEXT.name not in {a.name for a in builder_apt}:
                builder_apt.append(GETTEXT)
            builder_apt += _settings_libraries(plan, builder_apt)
            command = f"{_settings_env(facts, static)}{VENV_PYTHON} {need.script} compilemessages"
            prepared.append(
                Step(
                    "RUN",
                    (command,),
                    why="Django's catalogs to .mo with gettext's msgfmt, which stays in the builder; "
                    + _dummy_why(facts, static),
                )
            )
            decisions.append(
                Decision(
                    "compilemessages",
                    f"builder: {need.script} compilemessages",
                    f"gettext catalogs in {', '.join(need.outputs)}; compiled in the builder (gettext there "
                    f"only) and copied with the app's tree ({_evidence(need)})",
                )
            )
        elif need.kind == "makemigrations":
            env = _settings_env(facts, static)
            runs = [
                f"{env}{VENV_PYTHON} {need.script} makemigrations {args}".rstrip() for args in need.outputs
            ]
            prepared.append(
                Step(
                    "RUN",
                    (" && ".join(dict.fromkeys(runs)),),
                    why="the migration files the start script makes, made here: the image's tree is root's, "
                    "so at start the non-root app could not write them (its own run then finds no changes); "
                    + _dummy_why(facts, static),
                )
            )
            decisions.append(
                Decision(
                    "makemigrations",
                    f"builder: {need.script} makemigrations",
                    f"the start script writes migration files ({_evidence(need)}); made in the builder and "
                    "copied with the app's tree, so the start's own makemigrations writes nothing",
                )
            )
        elif need.kind == "pybabel-compile":
            pybabel = VENV_PYTHON.rsplit("/", 1)[0] + "/pybabel"
            commands = tuple(
                f"{pybabel} compile -d {shlex.quote(d)}"
                + ("" if need.domains == ("messages",) else f" -D {shlex.quote(' '.join(need.domains))}")
                for d in need.outputs
            )
            prepared.append(
                Step("RUN", commands, why="Babel's catalogs to .mo with the locked Babel (pure Python)")
            )
            decisions.append(
                Decision(
                    "pybabel-compile",
                    "builder: " + " && ".join(c.replace(pybabel, "pybabel") for c in commands),
                    f"the app translates with Babel; its .po catalogs are compiled in the builder and copied "
                    f"with the app's tree ({_evidence(need)})",
                )
            )
        elif need.kind == "frontend":
            side_stages.append(_frontend_stage(need))
            prune = need.directory != "."
            if prune:
                prepared.append(
                    Step(
                        "RUN",
                        (f"rm -rf {shlex.quote(need.directory)}",),
                        why="the frontend's sources are built in the frontend stage; only its output ships",
                    )
                )
            for output in need.outputs:
                served = dict(need.placed).get(output, output)  # where the app serves it from
                after_source.append(
                    Step(
                        "COPY",
                        (f"{FRONTEND_ROOT}/{output}", f"{plan.workdir}/{served}"),
                        flags=(f"--from={FRONTEND_STAGE}",),
                        why="only the frontend's build output, owned by root and readable by the app",
                    )
                )
            row = manager(need)
            install = row["install"].split(" --", 1)[0]
            decisions.append(
                Decision(
                    "frontend-build",
                    f"{node_image()}: {install} && {row['tool']} run {need.script} -> "
                    + ", ".join(need.outputs),
                    f"the app serves the frontend's build output; Node runs in its own stage "
                    f"({table()['node']['source']}), "
                    + (f"{need.installer} installed with npm, " if need.installer else "")
                    + f"`{row['install']}` installs exactly {need.lockfile} with {row['tool']}'s "
                    "cache in a cache mount, only the output reaches the runtime"
                    + (
                        f", and {need.directory}/ (sources) stays out of it"
                        if prune
                        else "; the sources share the project root with the app, so they are not pruned"
                    )
                    + f"; {_network(need)} ({_evidence(need)})",
                )
            )
            ignore = ignore_node_modules(ignore)
        elif need.kind == "prisma-generate":
            builder_steps += _prisma_generate(plan, need)
            engine = str(table()["prisma"]["engine"])
            runtime_steps = _after_venv(
                runtime_steps,
                Step(
                    "COPY",
                    (engine, engine),
                    flags=("--from=builder",),
                    why="the query engine the Prisma client starts (the CLI and Node.js stay in the builder)",
                ),
            )
            runtime_env.append(
                EnvVar("PRISMA_QUERY_ENGINE_BINARY", engine, "where the Prisma client finds its query engine")
            )
            decisions.append(
                Decision(
                    "prisma-generate",
                    f"builder: prisma generate --schema {need.evidence[0].file}",
                    "the client the app imports is written into the venv's prisma package, which the runtime "
                    "copies; Node.js, the Prisma CLI and the engines sit in a cache mount, and only the "
                    f"query engine is copied to {engine} (PRISMA_QUERY_ENGINE_BINARY); the step downloads "
                    f"from {table()['prisma']['network']} at build time ({_evidence(need)})",
                )
            )
        elif need.kind == "collectstatic":
            wheel = plan.app_install != "source"
            collect.append(_collectstatic(facts, need, static, wheel=wheel))
            decisions.append(
                Decision(
                    "collectstatic",
                    f"runtime: {'django-admin' if wheel else need.script} collectstatic --noinput",
                    "run in the runtime stage as root before USER, so STATIC_ROOT resolves against the paths "
                    f"the app runs with; files are root-owned and readable; {_dummy_why(facts, static)} "
                    f"({_evidence(need)})",
                )
            )

    if prepared:
        prepared_what = ", ".join(
            dict.fromkeys(
                PREPARED.get(n.kind, n.kind)
                for n in needs
                if n.kind != "collectstatic" and (n.kind != "frontend" or n.directory != ".")
            )
        )
        if builder_apt != list(plan.builder_apt):
            builder_steps = _with_apt(builder_steps, builder_apt, plan.builder_apt)
        if not any(s.instruction == "COPY" and s.args == (".", ".") for s in builder_steps):
            builder_steps.append(
                Step("COPY", (".", "."), why="the app's source, prepared here; the runtime copies the result")
            )
        builder_steps += prepared
        runtime_steps = [
            Step(
                "COPY",
                (f"{plan.builder_workdir}/", "./"),
                flags=("--from=builder",),
                why=f"the app's tree as the builder prepared it ({prepared_what}), root-owned: code changes "
                "keep the dependency layers",
            )
            if s.instruction == "COPY" and s.args == (".", ".")
            else s
            for s in runtime_steps
        ]
    runtime_steps = _after_source(runtime_steps, [*after_source, *collect], plan.builder_workdir)
    return dataclasses.replace(
        plan,
        builder_apt=tuple(builder_apt),
        builder_steps=tuple(builder_steps),
        runtime_steps=tuple(runtime_steps),
        side_stages=tuple(side_stages),
        dockerignore=tuple(ignore),
        decisions=tuple(decisions),
        runtime_env=tuple(runtime_env),
    )


def _settings_libraries(plan: BuildPlan, present: list[AptPackage]) -> list[AptPackage]:
    """The runtime's libraries that dependencies open at import (``dlopen``/ctypes, no compiled link):
    ``compilemessages`` imports the settings and so every INSTALLED_APPS module (pure-Python psycopg
    opens libpq, GeoDjango libgdal/libgeos), which fails in a builder without them. Compiled ones need
    nothing more: their -dev package in the builder already pulls the library."""
    opened = {pkg for n in plan.facts.native if not n.compiles for pkg in n.run_apt}
    have = {a.name for a in present}
    return [
        AptPackage(a.name, f"{a.why}: compilemessages imports the settings in the builder (builder copy)")
        for a in plan.runtime_apt
        if a.name in opened and a.name not in have
    ]


def _prisma_generate(plan: BuildPlan, need: BuildStepNeed) -> list[Step]:
    """The schema alone, then ``prisma generate`` with the venv's programs first on the PATH (the Prisma
    CLI starts the generator ``prisma-client-py`` from there), the query engine the generated client
    records copied out of the cache mount, and the generated modules compiled like the rest of the venv."""
    schema = need.evidence[0].file
    venv = VENV_PYTHON.rsplit("/bin/", 1)[0]
    engine = str(table()["prisma"]["engine"])
    copy_engine = (
        "import shutil; from prisma.client import BINARY_PATHS; "
        f"shutil.copy(next(iter(BINARY_PATHS.query_engine.values())), '{engine}')"
    )
    return [
        Step(
            "COPY",
            (schema, schema),
            why="the Prisma schema alone: the client is generated again only when it changes",
        ),
        Step(
            "RUN",
            (
                f"PATH={venv}/bin:$PATH prisma generate --schema {shlex.quote(schema)}",
                f"mkdir -p {posixpath.dirname(engine)}",
                f'{VENV_PYTHON} -c "{copy_engine}"',
                f"{VENV_PYTHON} -m compileall -q {venv}/lib/python*/site-packages/prisma",
            ),
            flags=(f"--mount=type=cache,target={table()['prisma']['cache']}",),
            why="Prisma Client Python writes the client the app imports into its installed package "
            f"({table()['prisma']['source']}); Node.js, the Prisma CLI and the engines stay in the cache "
            "mount",
        ),
    ]


def _after_venv(steps: list[Step], step: Step) -> list[Step]:
    """``step`` right after the runtime's copy of the builder's venv (at the end without one)."""
    at = next(
        (
            i + 1
            for i, s in enumerate(steps)
            if s.instruction == "COPY" and s.args[0] == VENV_PYTHON.rsplit("/bin/", 1)[0]
        ),
        len(steps),
    )
    return [*steps[:at], step, *steps[at:]]


def _network(need: BuildStepNeed) -> str:
    """What the frontend build needs from the network: ``npm ci`` downloads the locked packages."""
    counted = [e.detail for e in need.evidence if e.file == need.lockfile]
    if counted and counted[0].endswith(": 0 package(s)"):
        return "the lockfile holds no package, so the build downloads nothing"
    row = manager(need)
    tool = row["tool"]
    yarnrc = row["user_secret"] != NPMRC_SECRET_ID
    variables = ", ".join(f"{v.name} ({v.evidence.file}:{v.evidence.line})" for v in need.registry_env)
    return (
        f"`{row['install'].split(' --', 1)[0]}` downloads the locked packages from the npm "
        "registry at build time"
        + (f" (and npm the {need.installer} package first)" if need.installer else "")
        + ": the only step that needs the network (a private or mirrored registry: "
        + (
            f"the project's .yarnrc.yml, copied with the manifest, and the user's ~/.yarnrc.yml, passed as "
            f"BuildKit secret {row['user_secret']} and mounted at {row['npmrc']} where {tool} reads it"
            if yarnrc
            else f"an .npmrc passed as BuildKit secret {NPMRC_SECRET_ID}, mounted at {row['npmrc']} where "
            f"{tool} reads it"
        )
        + ", never in a layer; `dockwright build` passes "
        + ("the user's" if yarnrc else "the project's .npmrc and the user's, their ${VARIABLES} expanded")
        + (
            f"; the variables the project's config reads, each as the BuildKit secret of its name: "
            f"{variables}"
            if variables
            else ""
        )
        + f"; {row['lock_urls']})"
    )


def _settings_env(facts: ProjectFacts, static: dict[str, str]) -> str:
    """``NAME=value `` prefixes for the settings module and the dummies of required variables."""
    pairs = [(e.name, e.value) for e in facts.app.env if e.name == "DJANGO_SETTINGS_MODULE"]
    return "".join(f"{name}={shlex.quote(value)} " for name, value in [*pairs, *_build_values(facts, static)])


def _build_values(facts: ProjectFacts, static: dict[str, str]) -> list[tuple[str, str]]:
    """The build-time values: the STATIC_ROOT folder for the variable STATIC_ROOT reads (unless the image
    sets it as ENV), a dummy for every other required variable."""
    env = {e.name for e in facts.app.env}
    rows = dict(facts.app.env_dummies)
    pairs = [
        (f.value, dummy_value(f.value, rows)[0]) for f in facts.app.required_env if f.value not in static
    ]
    return pairs + [(name, folder) for name, folder in static.items() if name not in env]


def _dummy_why(facts: ProjectFacts, static: dict[str, str]) -> str:
    names = [f.value for f in facts.app.required_env if f.value not in static]
    said = [
        f"{name}={folder} (the folder STATIC_ROOT reads, where the image keeps the files)"
        for name, folder in static.items()
    ]
    if not names:
        return "; ".join(said) or "the settings import without a database"
    rows = dict(facts.app.env_dummies)
    reasons = sorted({dummy_value(n, rows)[1] for n in names})
    return "; ".join(
        [
            *said,
            f"build-time dummies for {', '.join(names)} are given to this RUN only (never ENV, never the "
            f"image config): {'; '.join(reasons)}",
        ]
    )


def _collectstatic(facts: ProjectFacts, need: BuildStepNeed, static: dict[str, str], *, wheel: bool) -> Step:
    """The collectstatic RUN: ``python manage.py`` in the app's tree, or ``django-admin`` for an app
    installed as a wheel (manage.py is not in the image; DJANGO_SETTINGS_MODULE names the installed
    settings, and the package's static files are in site-packages)."""
    prefix = "".join(f"{name}={shlex.quote(value)} " for name, value in _build_values(facts, static))
    program = "django-admin" if wheel else f"python {need.script}"
    home = shlex.quote(str(table()["build_home"]["folder"]))
    return Step(
        "RUN",
        (f"HOME={home} {prefix}{program} collectstatic --noinput && rm -rf {home}",),
        why="static files into STATIC_ROOT, as root before USER (the app only reads them); HOME a "
        "throwaway folder removed in this RUN: what the settings make under the home at import (a "
        "generated secret key) never stays in root's home in the layer; "
        + (
            "the app is installed as a wheel, so django-admin runs it with the installed settings; "
            if wheel
            else ""
        )
        + _dummy_why(facts, static),
    )


def _static_root(plan: BuildPlan, needs: list[BuildStepNeed]) -> dict[str, str]:
    """The variable a planned collectstatic's STATIC_ROOT reads with no default -> the image's folder."""
    folder = posixpath.join(plan.workdir, str(table()["static_root"]["folder"]))
    given = {e.name for e in plan.facts.app.env} | {e.name for e in plan.runtime_env}
    return {n.root_env: folder for n in needs if n.kind == "collectstatic" and n.root_env not in {"", *given}}


def _static_root_env(
    plan: BuildPlan,
    needs: list[BuildStepNeed],
    static: dict[str, str],
    runtime_env: list[EnvVar],
    decisions: list[Decision],
) -> tuple[BuildPlan, list[EnvVar], list[Decision]]:
    """The variable STATIC_ROOT reads: given to the build's RUNs; set as ENV too when the app serves the
    folder itself (WhiteNoise reads STATIC_ROOT at run time), and then no longer asked of the user."""
    served = any(n.served_by_app for n in needs if n.kind == "collectstatic")
    source = table()["static_root"]["source"]
    app = plan.facts.app
    for name, folder in static.items():
        if served:
            runtime_env.append(
                EnvVar(
                    name, folder, "the folder STATIC_ROOT reads: WhiteNoise serves the files collected there"
                )
            )
            why = (
                f"the settings read STATIC_ROOT from {name} with no default and WhiteNoise serves it, so the "
                f"build's collectstatic writes to {folder} and the image sets ENV {name}={folder} for the "
                f"app to serve from the same folder ({source})"
            )
        else:
            asked = any(f.value == name for f in app.required_env)
            why = (
                f"the settings read STATIC_ROOT from {name} with no default: the build's collectstatic "
                f"writes to {folder}, the folder the image keeps the files in; the app does not serve them "
                "(no WhiteNoise), so the web server in front serves that folder"
                + (f"; {name} is still read at start, so pass {name}={folder}" if asked else "")
                + f" ({source})"
            )
        decisions.append(Decision("static-root", f"{name}={folder}", why))
    if served:
        kept = tuple(f for f in app.required_env if f.value not in static)
        facts = dataclasses.replace(plan.facts, app=dataclasses.replace(app, required_env=kept))
        plan = dataclasses.replace(plan, facts=facts)
    return plan, runtime_env, decisions


def manager(need: BuildStepNeed) -> dict[str, Any]:
    """The package manager row of the frontend's lockfile (project/data/frontend_managers.toml): the
    need's ``manager`` among those of that lockfile (Yarn 1 and 2+ share yarn.lock), else the first."""
    rows = [r for r in managers() if r["lockfile"] == posixpath.basename(need.lockfile)] or [managers()[0]]
    return next((r for r in rows if r["name"] == need.manager), rows[0])


def npmrc_mount(row: dict[str, Any]) -> str:
    """The optional user config secret (``npmrc``, or ``yarnrc`` for Yarn 2+) at the file the manager of
    ``row`` reads as root."""
    return f"--mount=type=secret,id={row['user_secret']},target={row['npmrc']},required=false"


def env_mounts(need: BuildStepNeed) -> tuple[str, ...]:
    """A secret per variable the frontend's config files read, named after it (``docker build --secret
    id=NPM_TOKEN,env=NPM_TOKEN`` passes it): required when a reference has no fallback, so a build
    without it stops naming it instead of installing without the token."""
    return tuple(
        f"--mount=type=secret,id={v.name}" + ("" if v.required else ",required=false")
        for v in need.registry_env
    )


def env_prefix(need: BuildStepNeed) -> str:
    """``NAME="$(cat /run/secrets/NAME)" `` per variable the frontend's config reads: the secret's value in
    the install RUN's environment only."""
    return "".join(
        f'{v.name}="$(cat /run/secrets/{v.name}{"" if v.required else " 2>/dev/null"})" '
        for v in need.registry_env
    )


def _frontend_stage(need: BuildStepNeed) -> SideStage:
    root = need.directory == "."
    source = "." if root else f"{need.directory}/"
    manifest = "package.json" if root else f"{need.directory}/package.json"
    npm_cache = table()["node"]["npm_cache"]
    row = manager(need)
    tool = row["tool"]
    releases = [c for c in need.configs if "/" in _in_folder(need, c)]
    # a checked-in release runs with node itself: the image need not ship any yarn (Yarn puts its own
    # `yarn` on the PATH of the scripts it runs)
    program = f"node ./{_in_folder(need, releases[0])}" if releases else tool
    install = program + row["install"].removeprefix(tool)
    rc_files = [c for c in need.configs if c not in releases]
    rc_names = [posixpath.basename(c) for c in rc_files]
    user_config = posixpath.basename(row["npmrc"])
    required = [v.name for v in need.registry_env if v.required and unset_stops(row["env_syntax"])]
    installer: tuple[Step, ...] = ()
    if need.installer:
        installer = (
            Step(
                "RUN",
                (f"npm install --global --no-audit --no-fund {need.installer}",),
                flags=(f"--mount=type=cache,target={npm_cache}", npmrc_mount(managers()[0])),
                why=f"{need.installer}: the lockfile's package manager, which the node image does not ship "
                f"({row['source']}); npm reads the registry's .npmrc, if given, from secret "
                f"{NPMRC_SECRET_ID}, never in a layer",
            ),
        )
    return SideStage(
        FRONTEND_STAGE,
        node_image(),
        f"frontend: {tool} installs from the lockfile, then the build script; only the output reaches the "
        "runtime",
        (
            *installer,
            Step(
                "COPY",
                (manifest, need.lockfile, *rc_files, "./"),
                why=f"the manifest and lockfile alone: the {tool} install caches"
                + (
                    f"; with {tool}'s own config ({', '.join(rc_names)}: registry, scopes)"
                    if rc_files
                    else ""
                ),
            ),
            *(
                Step(
                    "COPY",
                    (release, f"./{posixpath.dirname(_in_folder(need, release))}/"),
                    why="the release the project checks in (yarnPath), which any yarn runs",
                )
                for release in releases
            ),
            Step(
                "RUN",
                (env_prefix(need) + install,),
                flags=(f"--mount=type=cache,target={row['cache']}", npmrc_mount(row), *env_mounts(need)),
                why=f"exactly the lockfile's packages; {tool}'s cache lives in a cache mount, never a layer; "
                f"a private or mirrored registry's {user_config} (secret {row['user_secret']}, optional) is "
                f"mounted where {tool} reads it, never in a layer"
                + (
                    f"; {', '.join(v.name for v in need.registry_env)} (read by {', '.join(rc_names)}) "
                    "comes from the secret of that name into this RUN's environment only"
                    if need.registry_env
                    else ""
                ),
            ),
            Step("COPY", (source, "./"), why="the frontend's sources (node_modules is never in the context)"),
            Step(
                "RUN",
                ("".join(f"{name}='' " for name in required) + f"{program} run {need.script}",),
                why=f"{tool} reads its config again: an empty {', '.join(required)} satisfies it, the build "
                "needs no token"
                if required
                else "",
            ),
        ),
        workdir=FRONTEND_ROOT if root else f"{FRONTEND_ROOT}/{need.directory}",
    )


def _in_folder(need: BuildStepNeed, path: str) -> str:
    """``path`` relative to the frontend's folder."""
    return path if need.directory == "." else path.removeprefix(f"{need.directory}/")


def ignore_node_modules(
    ignore: list[IgnoreEntry], why: str = "installed by `npm ci` in the frontend stage"
) -> list[IgnoreEntry]:
    if any(e.pattern == "**/node_modules" for e in ignore):
        return ignore
    entry = IgnoreEntry("**/node_modules", f"{why}; a host copy is large and platform-bound")
    at = next((i for i, e in enumerate(ignore) if e.why == common.SECRETS_WHY), len(ignore))
    return [*ignore[:at], entry, *ignore[at:]]


def _with_apt(steps: list[Step], packages: list[AptPackage], before: tuple[AptPackage, ...]) -> list[Step]:
    """The builder's apt step with ``packages`` (one apt run), added first when there was none; its
    reason names the packages this module added (``before`` held the others)."""
    step = Step(
        "RUN",
        common.apt_install(tuple(packages)),
        why="builder only: " + "; ".join(f"{p.name}: {p.why}" for p in packages if p not in before),
    )
    if steps and steps[0].instruction == "RUN" and steps[0].args[:1] == ("apt-get update",):
        return [
            dataclasses.replace(step, why=steps[0].why + "; " + step.why.removeprefix("builder only: ")),
            *steps[1:],
        ]
    return [step, *steps]


def _after_source(steps: list[Step], extra: list[Step], builder_workdir: str) -> list[Step]:
    """``extra`` right after the app's source COPY (and its bytecode step), before anything else."""
    sources = {(".", "."), (f"{builder_workdir}/", "./")}
    at = len(steps)
    for i, step in enumerate(steps):
        if step.instruction == "COPY" and step.args in sources:
            at = i + 1
            if at < len(steps) and "compileall" in " ".join(steps[at].args):
                at += 1
    return [*steps[:at], *extra, *steps[at:]]
