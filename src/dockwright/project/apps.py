"""What the app is and how it starts: process, framework, command, port, health path, env, writes.

The start detectors (``project/detectors/``, one module per source, ranked in one registry) each
propose candidates with evidence; this module reads the explicit choice first (``--start``,
``--port``, ``--process``, ``[tool.dockwright]``), then ranks the candidates, builds the server
command from the server table (a server the project depends on, else one added to the lock), and
decides port, health path, environment and writable directories from the evidence.
"""

from __future__ import annotations

import dataclasses
import posixpath
import re
import shlex
import sys
from collections.abc import Callable
from typing import Any

from packaging.utils import canonicalize_name

from dockwright.errors import ProjectError, StartUnknown
from dockwright.project.adds_in_lock import add_name
from dockwright.project.agent_launchers import missing_agent, split_launcher
from dockwright.project.app_engine_env import app_engine_settings
from dockwright.project.asset_writes import asset_writes
from dockwright.project.bind_variables import bind_variables
from dockwright.project.broker_client import broker_clients, runs_celery
from dockwright.project.browser_libraries import browser_notes
from dockwright.project.celery_beat import beat_schedule, listed_beats
from dockwright.project.command_prefixes import without_prefixes
from dockwright.project.config_templates import is_template, missing_config_notes
from dockwright.project.db_drivers import async_notes, django_driver_notes, driver_notes, unusable_defaults
from dockwright.project.db_url_defaults import SHELL_NAME
from dockwright.project.deploy_env import DeployEnv
from dockwright.project.detectors import DETECTORS, rank
from dockwright.project.detectors.base import (
    DEV_SERVER,
    REPOSITORY_COMMANDS,
    UNPRIVILEGED_PORT,
    Candidate,
    Context,
    dev_script,
    outside_app,
    port_of_command,
    run_by_tool,
    scan_rank,
    with_port,
)
from dockwright.project.detectors.console_scripts import declared_scripts, script_evidence
from dockwright.project.detectors.entry_script import foreign_program, made_writable, own_image_script
from dockwright.project.detectors.scan import (
    Framework,
    ModuleScan,
    made_folder,
    normalise_route,
    scan_module,
    signatures,
)
from dockwright.project.detectors.server_clis import as_server, server_cli
from dockwright.project.detectors.servers import (
    bind_args,
    bind_env,
    choose,
    installed_by,
    last_command,
    launched,
    options_inserted,
    package_of,
    runner,
    runner_programs,
    table,
    without_development,
)
from dockwright.project.dev_server_start import dev_server_start
from dockwright.project.dev_servers import dev_server_notes
from dockwright.project.django_runserver import DEFAULT_PORT, SOURCE, RunServer, runserver
from dockwright.project.dropped_workers import worker_package
from dockwright.project.engine_clients import engine_client_notes
from dockwright.project.entry_steps import child_worker_notes, inline_line, inline_wrapped, manager_prefixed
from dockwright.project.entry_wrap import promote_wrapping_scripts
from dockwright.project.entry_wrapper import (
    build_step_line,
    find_wrapper,
    start_rewrite,
    unused_dockerfile_script,
)
from dockwright.project.env_branch import production_branch, shell_script
from dockwright.project.environ_env import ModuleReads, required_environ
from dockwright.project.explicit_start import explicit_start
from dockwright.project.exposed_port import OWN_DOCKERFILE, own_bound_port, own_image_port
from dockwright.project.facts import AppFacts, AppKind, EnvSetting, Evidence, Fact
from dockwright.project.file_writes import FileWrite
from dockwright.project.flask_cli_env import flask_app_env
from dockwright.project.flask_instance import instance_folders
from dockwright.project.flask_run import DEFAULT_PORT as FLASK_PORT
from dockwright.project.flask_run import flask_run, flask_run_notes
from dockwright.project.helper_writes import helper_writes
from dockwright.project.launcher_chdir import launcher_folder
from dockwright.project.library_dirs import library_dirs, library_files, library_notes
from dockwright.project.loaded_modules import loaded_modules
from dockwright.project.local_state import upload_folders
from dockwright.project.main_only import in_main_only
from dockwright.project.manage_servers import own_line, runs_manage_server, server_add
from dockwright.project.module_scans import SYNTAX_SKIPPED, ModuleScans, scan_modules
from dockwright.project.own_env import own_settings
from dockwright.project.own_image import installs_without_command, python_args
from dockwright.project.own_probe import own_probe_path
from dockwright.project.own_server_options import own_options
from dockwright.project.package_folders import installed_paths
from dockwright.project.pkg_resources_users import setuptools_add
from dockwright.project.plan_files import PlanFiles
from dockwright.project.platform_port import own_port_value
from dockwright.project.programs import (
    handled_programs,
    joined,
    manager_runs,
    programs_of_libraries,
    programs_run,
)
from dockwright.project.project_folders import folder_writes
from dockwright.project.root_commands import root_line
from dockwright.project.root_module import imports_from_a_folder
from dockwright.project.script_as_module import as_module
from dockwright.project.socketio_run import socketio_start
from dockwright.project.stale_start import app_target, import_dirs, unimportable
from dockwright.project.start_cwd import launch_folder, start_folder
from dockwright.project.start_extras import extras_for_start
from dockwright.project.start_variables import expanded_without_default
from dockwright.project.supervisord_choice import promote_supervisord
from dockwright.project.tree import ProjectTree
from dockwright.project.undeclared_imports import (
    ImportCheck,
    installed_names,
    own_names,
    provides,
    reachable,
    undeclared_notes,
)
from dockwright.project.unrequired_imports import library_adds
from dockwright.project.wait_wrappers import unwrapped
from dockwright.python_program import PYTHON_PROGRAM
from dockwright.redact import redact_literal
from dockwright.secret_values import literal_secret

__all__ = ["detect_app", "normalise_route", "scan_module", "signatures"]


def _server_added(
    tree: ProjectTree, pyproject: dict[str, Any] | None, package: str, why: Evidence
) -> Fact[tuple[str, ...]]:
    """``package`` added for the start (``why``): as the project's own line names it outside its
    dependencies when it does (a dev group's ``uvicorn[standard]>=0.40``: its extras and bounds, that
    line the evidence), else by its name."""
    declared = own_line(tree, pyproject, package)
    if declared is None:
        return Fact((package,), (why,))
    line, file, number = declared
    return Fact((line,), (Evidence(file, number, f"{why.detail}; the project's own line: {line}"),))


def _adding(adds: Fact[tuple[str, ...]], requirement: str) -> bool:
    """Whether ``adds`` already adds the distribution ``requirement`` names (``uvicorn[standard]>=0.40``
    adds ``uvicorn``)."""
    return add_name(requirement) in {add_name(a) for a in adds.value}


def candidates(ctx: Context, notes: list[str], *, lenient: bool) -> list[Candidate]:
    """Every detector's candidates, ranked. ``lenient``: a detector's error becomes a note.

    Two demotions keep the ranking honest on real repositories: a framework app whose framework is
    not among the project's dependencies (an optional extra, a demo server in a CLI package) ranks
    after the project's console scripts; a repository command whose program the image would not have
    (``make run``, ``npm start``, an argument to the repo's own ENTRYPOINT) is never chosen."""
    found: list[tuple[int, Candidate]] = []
    for index, (name, detector) in enumerate(DETECTORS):
        try:
            found += [(index, c) for c in detector(ctx)]
        except ProjectError as exc:
            if not lenient:
                raise
            notes.append(f"start detection ({name}) ignored, since the start command was given: {exc}")
    kept: list[tuple[int, Candidate]] = []
    demoted: list[tuple[int, Candidate]] = []
    for index, c in found:
        if c.source == "entry-script" and len(c.command) == 2 and c.command[0] in ("sh", "bash"):
            inline = inline_line(ctx.tree.read_script(c.command[1]))  # its build step taken out by the plan
            c = dataclasses.replace(c, command=inline) if inline else c
        branched = _production_branch(ctx, c)  # `if [ "$MODE" != prod ]; then runserver; else gunicorn`
        c = branched or c
        moduled = as_module(ctx.tree, ctx.by_rel, c.command)  # `python pkg/cli/main.py` importing pkg
        if moduled:
            c = dataclasses.replace(c, command=moduled[0], evidence=(*c.evidence, moduled[1]))
        waited = unwrapped(ctx.tree, c.command) if c.source in REPOSITORY_COMMANDS else None
        if waited:  # `dockerize -wait tcp://db:5432 CMD`: the start is CMD (project/wait_wrappers.py)
            c = dataclasses.replace(c, command=waited[0], notes=(*c.notes, f"{c.evidence[0]}: {waited[1]}"))
        reloading = _without_reload(c) if c.source in REPOSITORY_COMMANDS else None
        if reloading:  # `uvicorn main:app --reload` in compose: the same server, without the reloader
            c = dataclasses.replace(c, command=reloading[0])
            notes.append(f"{c.evidence[0]}: {reloading[1]}")
        missing = _missing_program(ctx, c) or unimportable(ctx, c)
        if missing:
            notes.append(f"{c.evidence[0]}: not used, {missing}")
            continue
        if c.source != "console-script":  # the project's own scripts: see console_scripts.own_server
            c = as_server(c, _runs(c))
        optional = c.framework is not None and ctx.dependencies and not _depends_on(c, ctx.dependencies)
        (demoted if optional and c.kind == "web" else kept).append((index, c))
    notes += [n for n in child_worker_notes(ctx.tree) if n not in notes]
    ranked = promote_supervisord(ctx, promote_wrapping_scripts(rank(kept), notes), notes)
    if demoted:
        cut = next((i for i, c in enumerate(ranked) if c.kind == "script"), len(ranked))
        ranked[cut:cut] = rank(demoted)
    return ranked


def _production_branch(ctx: Context, c: Candidate) -> Candidate | None:
    """A repository command running a shell script whose production branch an environment variable picks
    (project/env_branch.py): that branch, inline, with the variable set when its value picks it."""
    if c.source not in (*REPOSITORY_COMMANDS, "entry-script"):
        return None
    script = shell_script(c.command)
    if script is None or not ctx.tree.is_file(script):
        return None
    branch = production_branch(ctx.tree.read_script(script), {name: value for name, value, _ in c.env})
    if branch is None:
        return None
    evidence = Evidence(script, branch.line, branch.why)
    env = c.env
    if branch.value is not None and all(name != branch.variable for name, _, _ in env):
        env = (*env, (branch.variable, branch.value, f"{evidence}"))
    # the branch ends by a web server (entry_steps.branch_inline): a web start, whatever the service said
    return dataclasses.replace(
        c, command=branch.command, env=env, evidence=(*c.evidence, evidence), kind="web", process="web"
    )


def _without_reload(c: Candidate) -> tuple[tuple[str, ...], str] | None:
    """A repository command that runs a production server of the servers table with its development
    options (``uvicorn main:app --reload`` in compose) and nothing else of a development start: the
    command without them (``servers.without_development``) and the note that says so. None for anything
    else (a framework's development server stays refused)."""
    argv = last_command(c.command)
    if not argv or c.command != argv:
        return None
    kept, dropped = without_development(argv)
    if not dropped or DEV_SERVER.search(" ".join(kept)):
        return None
    said = (
        f"{' '.join(argv[:2])} runs with {' '.join(dropped)}, a development option (a reloader watching "
        "the files): the image runs the same server without it"
    )
    return kept, said


def _program(argv: tuple[str, ...] | list[str]) -> str:
    """The program a command runs: the module ``python -m gunicorn`` runs (``gunicorn``), else its first
    word."""
    rest = python_args(argv)
    if rest is not None and len(rest) >= 2 and rest[0] == "-m":
        return rest[1].split(".", 1)[0]
    return argv[0] if argv else ""


def _from_own_image(ctx: Context, c: Candidate) -> bool:
    """The start is the repository's own image's: its recipe's command, the script it runs, or the service
    its init supervises (detectors/service_run.py)."""
    if c.source == "service-run" and ctx.files.own_recipe is not None:
        return True
    own = ctx.files.own_final
    if own is None:
        return False
    files = {e.file for e in c.evidence}
    return own[0] in files or ctx.once(own_image_script) in files


def _runs(c: Candidate) -> tuple[str, ...]:
    """The program a candidate's command ends by running (an entry script: the line it execs)."""
    if c.source == "entry-script" and c.target:
        try:
            return tuple(shlex.split(c.target))
        except ValueError:
            return ()
    return last_command(c.command)


# distributions that install a framework whose import name differs or that another one brings
# (gRPC is imported as `grpc`, installed as grpcio)
_FRAMEWORK_DISTRIBUTIONS = {
    "starlette": ("starlette", "fastapi"),
    "bottle": ("bottle",),
    "grpc": ("grpcio",),
    "functions-framework": ("functions-framework",),
    "mcp": ("fastmcp", "mcp"),
}


def _depends_on(c: Candidate, dependencies: frozenset[str]) -> bool:
    assert c.framework is not None
    if c.framework.name == "asgi":  # a bare ASGI callable has no framework: an ASGI server stands for it
        names = tuple(s.package for s in table().servers if "asgi" in s.interfaces)
    else:
        names = _FRAMEWORK_DISTRIBUTIONS.get(c.framework.name, (c.framework.module,))
    return any(n in dependencies for n in names)


def _missing_app_module(ctx: Context, target: str, entered: tuple[str, ...] = ()) -> str | None:
    """Why the ``module:app`` a server command names cannot be imported from the project (a script
    left from another project or a template), or None when its top package is in the tree."""
    try:
        argv = shlex.split(target)
    except ValueError:
        return None
    app = app_target(argv)
    if app is None:
        return None
    top = app.split(":", 1)[0].split(".", 1)[0]
    dirs = import_dirs(argv, entered)
    if any(ctx.tree.is_dir(d + top) or ctx.tree.is_file(f"{d}{top}.py") for d in dirs):
        return None
    if provides(top, frozenset(canonicalize_name(d) for d in ctx.dependencies)):
        return None  # a dependency's app (`uvicorn solara.server.starlette:app`)
    return f"it serves {app}, but the project has no module {top!r} to import it from"


def _missing_program(ctx: Context, c: Candidate) -> str | None:
    """Why a command the repository spells cannot run in the image, or None when it can."""
    if c.source == "entry-script" and len(c.command) == 2 and c.command[0] in ("sh", "bash"):
        foreign = foreign_program(ctx.tree.read_script(c.command[1]))
        if foreign:
            return (
                f"line {foreign[0]} runs {foreign[1]}, a path the repository's own image makes, which this "
                "image does not have (run its other steps, such as migrations, as a release step)"
            )
        script_text = ctx.tree.read_script(c.command[1])
        root = root_line(script_text)
        if root:
            return (
                f"line {root.line} runs {root.program}, which {root.does.split(', which ')[0]}: the script "
                "is written for an image that starts as root, and this one starts as its non-root user (run "
                "its other steps, such as migrations, as a release step)"
            )
        rewrites = start_rewrite(
            script_text
        )  # collectstatic: project/entry_run.py makes STATIC_ROOT writable
        if rewrites:
            return (
                f"line {rewrites[0]} ({rewrites[1][:60]}) rewrites the app's files at start, which the "
                "non-root app cannot (the image does that step at build time; run its other steps, such as "
                "migrations, as a release step)"
            )
        # `cd backend && exec gunicorn ...`: the target imports from the folder the script enters
        cds = re.findall(r"(?:^|[;&|]\s*)cd\s+([^\s;&|]+)", script_text, re.M)
        entered = tuple(d.strip("\"'") for d in cds)
        missing = _missing_app_module(ctx, c.target, entered)
        if missing:
            return missing
    if c.source not in REPOSITORY_COMMANDS or not c.command:
        return None
    agent = missing_agent(launched(c.command), frozenset(canonicalize_name(d) for d in ctx.dependencies))
    if agent:
        return agent
    argv = last_command(c.command)
    if not argv:
        return None
    program = argv[0]
    name = program.rsplit("/", 1)[-1]
    words = " ".join(argv)
    placeholder = re.search(r"\{\{.*?\}\}|\{%.*?%\}|\$\{\{.*?\}\}", words)
    if placeholder:
        return (
            f"it holds the template placeholder {placeholder.group(0)!r}: the repository is a project "
            "template (cookiecutter, django-admin startproject --template); generate the project first"
        )
    marker = DEV_SERVER.search(words)
    if marker:
        return f"{' '.join(argv[:3])} runs a development server ({marker.group(0)}), not the production start"
    wrapped = _runserver_command(ctx, argv)
    if wrapped:
        return wrapped
    if c.source in ("task-runner", "deploy", "procfile"):
        # a task, platform blueprint or Procfile left from a template or another project (render.yaml's
        # `gunicorn mysite.wsgi` in a project whose package is another)
        cds = re.findall(r"(?:^|[;&|]\s*)cd\s+([^\s;&|]+)", " ".join(c.command), re.M)
        entered = tuple(d.strip("\"'") for d in cds) + (
            (launch_folder(c.command),) if launch_folder(c.command) else ()
        )
        missing_module = _missing_app_module(ctx, shlex.join(argv), entered)
        if missing_module:
            return missing_module
    dev = dev_script(ctx.tree, argv)
    if dev:
        return dev
    script = next((w for w in argv[1:] if w.endswith(".py") and not w.startswith("-")), None)
    if script and not script.startswith("/") and not ctx.tree.is_file(script.removeprefix("./")):
        return (
            f"it runs {script}, which is not at that path in the project (the service builds another "
            "context or works in another directory)"
        )
    if PYTHON_PROGRAM.match(name) or package_of(name) or server_cli(argv):
        return None
    if ctx.tree.is_file(program.removeprefix("./")) or name in declared_scripts(ctx.pyproject):
        return None
    if name in ("sh", "bash") and len(argv) > 1 and ctx.tree.is_file(argv[1].removeprefix("./")):
        return None  # `bash start.sh`: the project's start script, run by the image's shell
    return (
        f"it runs {program!r}, which neither the interpreter, a server, the project nor its scripts provide"
    )


# Django's development server named in code: `call_command("runserver", ...)`, its Command subclassed
_RUNSERVER = re.compile(r"""call_command\(\s*['"]runserver['"]|commands\.runserver\b""")


def _runserver_command(ctx: Context, argv: tuple[str, ...]) -> str | None:
    """Why ``python manage.py CMD`` starts Django's development server: the project's management command
    CMD (``app/management/commands/CMD.py``), or manage.py itself when it handles CMD, calls
    ``runserver``; None otherwise."""
    manage = next((i for i, word in enumerate(argv) if word.rsplit("/", 1)[-1] == "manage.py"), None)
    if manage is None or manage + 1 >= len(argv):
        return None
    script, command = argv[manage].removeprefix("./"), argv[manage + 1]
    own = [rel for rel in ctx.by_rel if rel.endswith(f"/management/commands/{command}.py")]
    named = rf"""['"]{re.escape(command)}['"]"""
    if ctx.tree.is_file(script) and re.search(named, ctx.tree.read_text(script)):
        own.append(script)  # manage.py dispatches the command itself (`if sys.argv[1] == "run"`)
    for rel in own:
        line = ctx.tree.line_of(rel, _RUNSERVER.pattern)
        if line:
            return (
                f"manage.py {command} starts Django's development server ({rel}:{line} calls runserver), "
                "not the production start"
            )
    return None


def detect_app(
    tree: Any,
    pyproject: dict[str, Any] | None,
    *,
    start: str | None = None,
    port: int | None = None,
    process: str | None = None,
    dependencies: frozenset[str] = frozenset(),
    extras_declared: frozenset[str] = frozenset(),
    notes: list[str] | None = None,
    imports: ImportCheck | None = None,
    project: str = "",
    built: list[bool] | None = None,
    scans: ModuleScans | None = None,
    deploy_env: DeployEnv | None = None,
) -> AppFacts:
    """The app's facts; ``imports``: warn (in ``notes``) about imported packages no dependency installs
    (project/undeclared_imports.py), ``project`` being the project's distribution name; ``built`` gets
    True when the start is the server command the plan writes for a framework (its flags are ours);
    ``scans``: the project's module scans when already made (project/module_scans.py), ``deploy_env``
    its deploy descriptors' settings (project/deploy_env.py); ``extras_declared``: the extras the declared
    requirements ask for (``celery[redis]``)."""
    notes = [] if notes is None else notes
    scans = scan_modules(tree) if scans is None else scans
    notes.extend(scans.notes)
    by_rel = scans.by_rel
    app_scans = tuple(
        sorted((s for s in by_rel.values() if not outside_app(s.rel) and not run_by_tool(s)), key=scan_rank)
    )
    deploy_env = DeployEnv(PlanFiles(tree)) if deploy_env is None else deploy_env
    ctx = Context(tree, pyproject, app_scans, by_rel, dependencies, deploy_env, imports)
    ranked = candidates(ctx, notes, lenient=start is not None)
    # a one-shot migration service is the release step the start runs first (compose_migrations.py)
    releases = [c for c in ranked if c.release_step]
    runnable = [c for c in ranked if (c.command or (c.framework and c.target)) and not c.release_step]
    hints = [c for c in ranked if c not in runnable and not c.release_step]
    for c in ranked:
        if c.source == "reflex" and start is None:
            ev = c.evidence[0]
            where = f"{ev.file}:{ev.line}" if ev.line else ev.file
            raise StartUnknown(
                f"Reflex app ({where}): its production start builds the frontend with Bun/Node.js and the "
                "npm registry, which dockwright does not plan; pass --start (the backend alone: "
                "`reflex run --env prod --backend-only --backend-host 0.0.0.0`)"
            )
        if c.source == "django" and not c.target and start is None:
            raise StartUnknown(
                "Django project without a WSGI or ASGI module (no WSGI_APPLICATION, wsgi.py or asgi.py); "
                "pass --start"
            )

    chosen: Candidate | None = None
    if process:
        # the process of that name, else the first of that kind (`--process worker` with no such name)
        named = (c for c in runnable if c.process == process)
        chosen = next(named, None) or next((c for c in runnable if c.kind == process), None)
        release = next((c for c in releases if c.process == process), None)
        if chosen is None and release is not None:
            raise ProjectError(
                f"--process {process}: {release.evidence[0]} is a one-shot migration, the release step the "
                "plan runs before the server, not a long-running process (run it alone with "
                f"`docker run IMAGE {shlex.join(release.command)}`)"
            )
        if chosen is None:
            seen = ", ".join(sorted({c.process for c in runnable})) or "none"
            raise ProjectError(f"--process {process}: no such process (seen: {seen})")
    elif runnable:
        chosen = runnable[0]
    if chosen is not None and start is None:
        notes.extend(n for n in chosen.notes if n not in notes)
    framework_c = next(
        (c for c in runnable if c.framework and c.kind == (chosen.kind if chosen else "web")), None
    )
    if chosen and chosen.framework:
        framework_c = chosen
    fw = framework_c.framework if framework_c else None

    # --- kind and command -----------------------------------------------------------------------------
    explicit: tuple[str, ...] | None = None
    if start is not None:  # run as given, less a project manager's runner, in a shell if it needs one
        explicit = explicit_start(start, notes)
    if explicit is None and chosen is None:
        unused = [n.split(": not used, ", 1) for n in notes if ": not used, " in n]
        why = "; ".join(f"{where.split(' (', 1)[0]} not used: {reason}" for where, reason in unused)
        broken = [n.removesuffix(SYNTAX_SKIPPED) for n in notes if n.endswith(SYNTAX_SKIPPED)]
        if broken:  # the script that would have been the app may be one of them
            shown = ", ".join(broken[:3]) + (f" and {len(broken) - 3} more" if len(broken) > 3 else "")
            why = "; ".join(filter(None, (why, f"not valid Python syntax, so not read: {shown}")))
        raise StartUnknown(
            "cannot tell how the app starts (no framework, entry point or script found"
            + (f"; {why}" if why else "")
            + "); pass --start"
        )

    own_image = next((c for c in ranked if c.source == OWN_DOCKERFILE), None)
    port_fact = _port(port, explicit, chosen, hints, framework_c, by_rel, own_image, ctx.files)
    kind: Fact[AppKind]
    command: Fact[tuple[str, ...]]
    built_command = False
    if explicit is not None:
        ev = Evidence("command line", None, f"--start {start}")
        command = Fact(explicit, (ev,))
        servers = {s.command[0] for s in table().servers} | runner_programs("web")
        explicit_runs = last_command(explicit)  # `sh -c "migrate && exec gunicorn ..."`: gunicorn's
        web = port is not None or port_of_command(explicit_runs) is not None
        web = web or (bool(explicit_runs) and explicit_runs[0] in servers)
        served = server_cli(explicit_runs)
        web = web or served is not None
        if served and served.listening(explicit_runs) != explicit_runs:
            notes.append(
                f"{served.program} listens on {served.host_default} unless told: add "
                f"{' '.join(served.bind_flags)} to --start, or the container is unreachable ({served.source})"
            )
        development = runserver(explicit)
        if development is not None:  # `manage.py runserver 0.0.0.0:8000`: a web process, on its port
            web = True
            notes += _runserver_notes(development, port_fact.value, framework_c, dependencies)
        flask_dev = flask_run(explicit)
        if flask_dev is not None:  # `flask run --host 0.0.0.0`: the same, on Flask's
            web = True
            flask_app = framework_c.target if framework_c and framework_c.framework else ""
            notes += flask_run_notes(flask_dev, port_fact.value, flask_app or "", "gunicorn" in dependencies)
        kind = Fact(
            "web" if web else (chosen.kind if chosen and chosen.command == explicit else "cli"), (ev,)
        )
        if not web and chosen and chosen.kind == "web":
            kind = Fact("cli", (ev,))
    else:
        assert chosen is not None
        kind = Fact(chosen.kind, chosen.evidence)
        if port is not None and chosen.kind != "web":  # --port: the user says the process listens
            ev = Evidence("command line", None, f"--port {port}: the {chosen.kind}'s process listens")
            kind = Fact("web", (ev, *chosen.evidence))
        if chosen.command:
            command = Fact(chosen.command, chosen.evidence)
        else:
            built_command = True
            command = Fact((), chosen.evidence)

    # --- port: privileged ports cannot be bound by the non-root user ----------------------------------
    if kind.value != "web":
        port_fact = (
            port_fact
            if port is not None
            else Fact(None, (Evidence("default", None, f"{kind.value} app: no listening port"),))
        )
    elif port_fact.value is None:
        port_fact = Fact(8000, (Evidence("default", None, "web app without a known port; 8000"),))
    rewritable = kind.value == "web" and explicit is None and not built_command  # the start's own port
    if kind.value == "web" and port_fact.value is not None and port_fact.value < 1024 and port is None:
        if (
            built_command
            or (chosen and chosen.source in ("compose", "deploy", "systemd"))
            or (rewritable and with_port(command.value, UNPRIVILEGED_PORT) is not None)
        ):
            old = port_fact.value
            port_fact = Fact(
                UNPRIVILEGED_PORT,
                (
                    *port_fact.evidence,
                    Evidence(
                        "default",
                        None,
                        f"port {old} is privileged and the app runs as non-root: "
                        f"served on {UNPRIVILEGED_PORT}",
                    ),
                ),
            )
        else:
            notes.append(
                f"the start command binds port {port_fact.value}, which a non-root user cannot bind; "
                f"serve on {UNPRIVILEGED_PORT} (--port/--start) or grant NET_BIND_SERVICE"
            )

    rebound = (
        with_port(command.value, port_fact.value) if rewritable and port_fact.value is not None else None
    )
    if rebound is not None:  # --port, or a privileged port moved: the server is told the planned port
        why = f"the start's port rewritten to {port_fact.value} ({port_fact.evidence[-1].detail})"
        command = Fact(rebound, (*command.evidence, Evidence("default", None, why)))

    adds: Fact[tuple[str, ...]] = Fact(())
    env: list[EnvSetting] = []
    if built_command and chosen and chosen.framework:
        provided = dependencies | {s.module.split(".", 1)[0] for s in app_scans if s.module}
        argv, adds, extra_env, carried = _server_command(
            chosen, port_fact.value or 8000, dependencies, ctx.files, provided, pyproject
        )
        command = Fact(argv, (*chosen.evidence, *carried))
        if built is not None:
            built.append(True)
        env += extra_env
    else:
        program = _program(command.value)
        if (
            program in ("sh", "bash", "/bin/sh")
            and chosen
            and chosen.source == "entry-script"
            and explicit is None
        ):
            program = _program(chosen.target.split())
        elif program in ("sh", "bash", "/bin/sh") and chosen and chosen.source == "app-server-base":
            program = last_command(command.value)[0]  # the base image's start, worker count computed first
        elif (
            program in ("sh", "bash", "/bin/sh")
            and command.value[1:2] == ("-c",)
            and explicit is None
            and not runs_manage_server(command.value)  # server_add's: the package adding the command
        ):
            program = (last_command(command.value) or ("",))[0]  # a Procfile `web: gunicorn ...` in sh -c
        cli_server = server_cli(_runs(chosen) if chosen and explicit is None else last_command(command.value))
        package = cli_server.package if cli_server else package_of(program)
        if (
            package
            and not installed_by(package) & dependencies
            and program not in declared_scripts(pyproject)
        ):
            why = (
                f"the start command runs {program}, which {package} installs; "
                "the project does not depend on it"
            )
            file = command.evidence[0].file if command.evidence else ""
            adds = _server_added(tree, pyproject, package, Evidence(file, None, why))
        needs = cli_server.needs if cli_server else ""  # `litestar run` imports uvicorn
        if cli_server and needs and not installed_by(needs) & dependencies and not _adding(adds, needs):
            cli_words = " ".join((cli_server.program, *cli_server.subcommand))
            why = f"{cli_words} imports {needs}, which the dependencies do not install ({cli_server.source})"
            file = command.evidence[0].file if command.evidence else ""
            adds = Fact((*adds.value, needs), (*adds.evidence, Evidence(file, None, why)))
        worker = worker_package(last_command(command.value)) if package else None
        if worker and worker[0] not in dependencies and not _adding(adds, worker[0]):
            ev = Evidence(command.evidence[0].file if command.evidence else "", None, worker[1])
            adds = Fact((*adds.value, worker[0]), (*adds.evidence, ev))
    if not built_command and kind.value == "web" and explicit is None and command.value and port is None:
        dev_start = dev_server_start(tree, app_scans, pyproject, command, dependencies)
        if dev_start is not None:  # a program only running a development server (dev_server_start.py)
            command, port_fact = dev_start.command, dev_start.port
            notes.append(dev_start.note)
            if dev_start.add and not _adding(adds, dev_start.add):
                adds = Fact((*adds.value, dev_start.add), (*adds.evidence, command.evidence[-1]))
    others = tuple(c.command for c in runnable if c is not chosen and c.command)
    clients = broker_clients(command.value, app_scans, dependencies, others, extras_declared)
    # the start itself is no celery process: the broker clients are for the worker the plan lists
    for_others = () if runs_celery(command.value) else tuple(r for r, _ in clients)
    if clients:
        # `celery[redis]` replaces a plain `celery` the command added
        extended = {add_name(r) for r, _ in clients}
        kept = tuple(a for a in adds.value if add_name(a) not in extended)
        adds = Fact((*kept, *(r for r, _ in clients)), (*adds.evidence, *(e for _, e in clients)))
    if not built_command and kind.value == "web" and explicit is None:
        runs = last_command(command.value)
        if chosen and chosen.source == "entry-script" and chosen.target:
            try:
                runs = tuple(shlex.split(chosen.target))
            except ValueError:
                runs = ()
        for name, value, why in bind_env(runs, port_fact.value or 8000):
            env.append(EnvSetting(name, value, why, command.evidence))
        bound = bind_args(runs, port_fact.value or 8000)
        launcher = split_launcher(command.value)
        head = launcher[0] if launcher and launcher[1] == runs else ()
        if bound is not None and command.value in (runs, (*head, *runs)):
            # the server's own line, or an APM agent's launcher before it: the server's options added
            argv = (*head, *bound.argv)
            command = Fact(argv, (*command.evidence, Evidence("servers table", None, bound.why)))
        elif bound is not None:
            where = command.evidence[0].file if command.evidence else "the start"
            notes.append(
                f"{where}: {bound.program} listens on 127.0.0.1 unless told, and the start runs it inside "
                f"another command, which dockwright does not rewrite: give it {' '.join(bound.added)} there, "
                "or it is unreachable from outside the container"
            )
    if ("$PORT" in " ".join(command.value) or "${PORT" in " ".join(command.value)) and "PORT" not in {
        e.name for e in env
    }:
        env.append(
            EnvSetting(
                "PORT",
                str(port_fact.value or 8000),
                "the start command reads $PORT (a platform sets it)",
                command.evidence,
            )
        )
    for name, role in bind_variables(last_command(command.value)) if kind.value == "web" else ():
        if name not in {e.name for e in env}:  # `--bind "$APP_HOST":"$APP_PORT"` (bind_variables.py)
            value = "0.0.0.0" if role == "host" else str(port_fact.value or 8000)
            why = f"the start binds ${name} ({'every interface' if role == 'host' else 'the planned port'})"
            env.append(EnvSetting(name, value, why, command.evidence))
    withheld: list[Fact[str]] = []  # secrets of the run instructions: for docker run, not the image
    for c in ranked:
        if c is chosen or c is framework_c or (chosen and c.source == "django"):
            for name, value, why in c.env:
                if literal_secret(name, value) and name not in {f.value for f in withheld}:
                    held = _where(why, c.evidence)
                    withheld.append(Fact(name, (held,)))
                    notes.append(
                        f"{held.file}{f':{held.line}' if held.line else ''}: {name} holds a secret, which "
                        f"the image never carries: pass it at run time (docker run -e {name})"
                    )
                elif name not in {e.name for e in env} | {f.value for f in withheld}:
                    env.append(EnvSetting(name, value, why, c.evidence))
            if c is not chosen and c.source == "django" and start is None:
                # the settings the image runs, chosen by the Django detector, whatever process starts
                notes.extend(n for n in c.notes if "DJANGO_SETTINGS_MODULE" in n and n not in notes)

    if chosen is not None and explicit is None and _from_own_image(ctx, chosen):
        settings, secret_notes = own_settings(ctx.files, (s.rel for s in app_scans))
        env += [EnvSetting(n, v, ev.detail, (ev,)) for n, v, ev in settings if n not in {e.name for e in env}]
        notes += [n for n in secret_notes if n not in notes]
    if explicit is None:  # App Engine's env_variables (project/app_engine_env.py)
        engine, engine_notes = app_engine_settings(ctx.files)
        env += [EnvSetting(n, v, ev.detail, (ev,)) for n, v, ev in engine if n not in {e.name for e in env}]
        notes += [n for n in engine_notes if n not in notes]

    module: Fact[str | None] = Fact(None)
    framework: Fact[str | None] = Fact(
        None, (Evidence("source scan", None, "no framework signature matched"),)
    )
    if framework_c and fw:
        ev = framework_c.evidence[0]
        framework = Fact(fw.name, (ev, Evidence("frameworks table", None, fw.source)))
    module_c = chosen if chosen and chosen.module else framework_c
    if module_c and module_c.module:
        module = Fact(module_c.module, module_c.evidence)

    health: Fact[str | None]
    if kind.value != "web":
        health = Fact(None, (Evidence("default", None, f"{kind.value} app: no health probe"),))
    else:
        health = _health(list(app_scans), fw, own_probe_path(ctx.files))
        served_by = runner(fw.interface) if built_command and fw else None
        if served_by and served_by.health and health.value is None:
            why = f"{' '.join(served_by.command[:2])} serves {served_by.health} ({served_by.source})"
            health = Fact(served_by.health, (Evidence("servers table", None, why),))
        tool = server_cli(_runs(chosen) if chosen and explicit is None else last_command(command.value))
        if tool and tool.health and health.value is None:
            why = f"{tool.program} serves {tool.health} ({tool.source})"
            health = Fact(tool.health, (Evidence("server CLIs table", None, why),))
    unusable: list[tuple[str, Evidence]] = []  # URL variables whose default's driver is not installed
    third_party: Fact[tuple[str, ...]] = Fact(())
    if imports is not None:  # the extras the start needs are installed too (project/start_extras.py)
        start_extras = tuple(e for e, _ in extras_for_start(tree, pyproject, command.value, name=project))
        own = own_names(by_rel.values(), project)
        loaded = _loaded(app_scans, by_rel, chosen, module.value, command.value, pyproject, fw)
        third_party = _third_party(loaded, own)
        notes += undeclared_notes(loaded, own, dependencies, imports, start_extras)
        installed = installed_names(imports, dependencies, start_extras)
        notes += driver_notes(app_scans, installed, imports.specifier("sqlalchemy"))
        notes += django_driver_notes(app_scans, installed, imports.specifier("django"))
        unusable += unusable_defaults(app_scans, installed, imports.specifier("django"))
        notes += async_notes(app_scans, imports.specifier("sqlalchemy"))
        # a locked library that imports pkg_resources without requiring setuptools (pkg_resources_users)
        needed = setuptools_add(installed, imports.specifier) if kind.value in ("web", "worker") else None
        if needed is not None:
            adds = Fact((*adds.value, needed[0]), (*adds.evidence, needed[1]))
        # a management command that runs a server needs the package that adds it (manage_servers)
        serving = server_add(tree, pyproject, command.value, installed) if kind.value == "web" else None
        if serving is not None and not _adding(adds, serving[0]):
            adds = Fact((*adds.value, serving[0]), (*adds.evidence, serving[1]))
        # a locked library that imports another module its metadata does not require (unrequired_imports)
        if kind.value in ("web", "worker"):
            for library_add, library_why in library_adds(installed, imports.specifier):
                adds = Fact((*adds.value, library_add), (*adds.evidence, library_why))
        notes += missing_config_notes(tree, loaded)
    if explicit is None and kind.value in ("web", "worker") and command.value:
        command = _wrapped(tree, command, notes, made_writable(ctx))
    flask_target = chosen if chosen and chosen.framework else framework_c
    flask_env = (
        flask_app_env(tree, command.value, fw.name if fw else None, flask_target.target, flask_target.factory)
        if flask_target and explicit is None
        else None
    )
    if flask_env and flask_env[0] not in {e.name for e in env}:
        env.append(EnvSetting(*flask_env, command.evidence))
    command, beat_dirs = beat_schedule(command)
    if not beat_dirs:
        beat_notes, beat_dirs = listed_beats(
            tuple(
                (c.process, c.command, c.evidence[0] if c.evidence else None)
                for c in runnable
                if c is not chosen and c.command
            )
        )
        notes += beat_notes
    notes += [n for n in (*handled_programs(app_scans), *manager_runs(app_scans)) if n not in notes]
    notes += library_notes(tree, app_scans)
    notes += [
        n for n in (*engine_client_notes(tree, app_scans), *browser_notes(tree, app_scans)) if n not in notes
    ]
    if kind.value == "web" and command.value and explicit is None:
        socketio = socketio_start(tree, app_scans, pyproject, command, port_fact.value or 8000, dependencies)
        if socketio is not None and socketio.command is not None:
            command = socketio.command
            if socketio.add:
                adds = Fact((*adds.value, socketio.add), (*adds.evidence, command.evidence[-1]))
        elif socketio is not None:
            notes.append(socketio.note)
    if kind.value == "web" and command.value:
        said = {n.split(": ", 1)[0] for n in notes}  # Flask's app.run of an own image's program: said there
        dev = dev_server_notes(tree, app_scans, pyproject, command.value, port_fact.value or 8000)
        notes += [n for n in dev if n.split(": ", 1)[0] not in said]
    start_c, start_module = (chosen, module.value) if explicit is None else (None, None)
    scope = _env_scope(tree, app_scans, by_rel, start_c, start_module, command.value, env, fw)
    cwd = start_folder(command.value) if command.value else ""
    moved = launcher_folder(tree, app_scans, pyproject, command.value, cwd) if command.value else None
    cwd = moved[0] if moved else cwd  # the program's own os.chdir (project/launcher_chdir.py)
    scripts = _run_as_script(command.value, cwd)
    writable = _writable(app_scans, notes, cwd, scripts)
    writable += _helper_writes(tree, scope, _code_folders(app_scans), {f.value for f in writable}, notes)
    run_arguments = (
        Fact(True, chosen.evidence[:1])
        if chosen and explicit is None and chosen.run_arguments and command.value == chosen.command
        else Fact(False)
    )
    all_writable = (
        writable
        + tuple(asset_writes(tree, app_scans))
        + tuple(library_dirs(tree, app_scans))
        + folder_writes(tree, pyproject)
        + tuple(instance_folders(tree, app_scans, _import_folder(tree, command.value)))
        + upload_folders(tree, app_scans)
        + beat_dirs
    )
    return AppFacts(
        kind=kind,
        framework=framework,
        command=command,
        port=port_fact,
        health_path=health,
        module=module,
        entry_point=_entry_point(tree, pyproject, command.value),
        process=chosen.process if chosen and explicit is None else ("custom" if explicit else "web"),
        other_processes=tuple(redact_literal(c.summary) for c in _others(runnable, chosen, by_rel)),
        other_commands=tuple(
            # a credential in another process's words never reaches the probe's gate (the image's config)
            tuple(redact_literal(w) for w in c.command)
            for c in _others(runnable, chosen, by_rel)
            if c.command and c.kind in ("web", "worker")
        ),
        adds=adds,
        adds_for_others=tuple(a for a in for_others if a in adds.value),
        env=tuple(env),
        required_env=_with_withheld(
            _required_env(
                scope, env, unusable, command, _script_runs(scripts, tree, pyproject, command.value, scope)
            ),
            withheld,
        ),
        env_dummies=tuple(sorted({pair for scan in scope for pair in scan.env_dummies})),
        writable=all_writable,
        installed_writable=installed_paths(all_writable, by_rel),
        writable_files=_log_files_here(app_scans, notes, cwd, scripts)
        + tuple(library_files(tree, app_scans)),
        programs=joined(programs_run(app_scans), programs_of_libraries(tree, app_scans, dependencies)),
        run_arguments=run_arguments,
        tool_suite=_tool_suite(tree, pyproject, chosen if explicit is None else None, kind.value),
        third_party_imports=third_party,
    )


MAX_CHECKED_IMPORTS = 60  # the build-time check imports at most this many (a whole Django project's)


def _third_party(loaded: list[ModuleScan], own: frozenset[str]) -> Fact[tuple[str, ...]]:
    """The top-level modules ``loaded`` import when they load (``import_sites``) that are not the
    project's own (``own``) nor the standard library's, first seen first."""
    found: dict[str, Evidence] = {}
    for scan in loaded:
        for dotted_name, line in scan.import_sites:
            top = dotted_name.split(".")[0]
            if top and top not in own and top not in sys.stdlib_module_names and top not in found:
                found[top] = Evidence(scan.rel, line, f"imports {top} when it loads")
    names = tuple(found)[:MAX_CHECKED_IMPORTS]
    return Fact(names, tuple(found[n] for n in names[:3]))


def _tool_suite(
    tree: ProjectTree, pyproject: dict[str, Any] | None, chosen: Candidate | None, kind: str
) -> Fact[tuple[str, ...]]:
    """The project's console scripts when the start is one of several and the repository's own image
    installs the project without naming a command (:func:`installs_without_command`); else empty."""
    scripts = tuple(sorted(declared_scripts(pyproject)))
    if kind != "cli" or chosen is None or chosen.source != "console-script" or len(scripts) < 2:
        return Fact(())
    found = installs_without_command(tree)
    if found is None:
        return Fact(())
    why = (
        f"RUN installs the project and the image names no command: its {len(scripts)} console scripts "
        f"({', '.join(scripts[:4])}{' ...' if len(scripts) > 4 else ''}) each run by name"
    )
    return Fact(scripts, (Evidence(found[0], found[1], why),))


def _loaded(
    app_scans: tuple[ModuleScan, ...],
    by_rel: dict[str, ModuleScan],
    chosen: Candidate | None,
    module: str | None,
    command: tuple[str, ...],
    pyproject: dict[str, Any] | None,
    fw: Framework | None,
) -> list[ModuleScan]:
    """The app modules the start loads (its module, its file, its console script's module, and what they
    import); every app module for Django (it loads apps, URLs and settings by their dotted strings) or
    when no start module is known."""
    script = declared_scripts(pyproject).get(command[0]) if command else None
    roots = {module, chosen.module if chosen else None, str(script).split(":")[0] if script else None}
    if chosen and chosen.rel in by_rel:
        roots.add(by_rel[chosen.rel].module)
    found = reachable(app_scans, {r for r in roots if r})
    return list(app_scans) if not found or (fw is not None and fw.name == "django") else found


def _env_scope(
    tree: Any,
    app_scans: tuple[ModuleScan, ...],
    by_rel: dict[str, ModuleScan],
    chosen: Candidate | None,
    module: str | None,
    command: tuple[str, ...],
    env: list[EnvSetting],
    fw: Framework | None,
) -> tuple[ModuleScan, ...]:
    """The app modules whose environment reads the start needs (project/loaded_modules.py): those the
    start loads, from its module, the files and modules its command names, the settings module the image
    sets, and for Django manage.py (the release steps run it); every app module when none is known."""
    roots = {module, chosen.module if chosen else None}
    if chosen and chosen.rel in by_rel:
        roots.add(by_rel[chosen.rel].module)
    for word, after in zip(command, (*command[1:], ""), strict=True):
        if word in by_rel:
            roots.add(by_rel[word].module)
        elif word == "-m":
            roots.add(after)
        elif ":" in word:
            roots.add(word.split(":", 1)[0])
    roots |= {e.value for e in env if e.name == "DJANGO_SETTINGS_MODULE"}
    if fw is not None and fw.name == "django" and "manage.py" in by_rel:
        roots.add(by_rel["manage.py"].module)
    loaded = loaded_modules(tree, app_scans, {r for r in roots if r})
    return app_scans if loaded is None else tuple(loaded)


def _wrapped(
    tree: Any, command: Fact[tuple[str, ...]], notes: list[str], writable: Callable[[str], bool]
) -> Fact[tuple[str, ...]]:
    """The start run through the repository's ``exec "$@"`` entrypoint script, when it has a usable one
    (project/entry_wrapper.py); the command itself when it has none or already runs a script.
    ``writable``: the paths the image makes its user's (a script for a root start: root_commands)."""
    if command.value[0] in ("sh", "bash") and command.value[1:2] and command.value[1].endswith(".sh"):
        return command
    wrapper, note = find_wrapper(tree, writable)
    # a plain script with a build step or a manager's prefix (`uv run`) runs inline, as does one written
    # for a root start (`exec gosu app "$@"`: it would fail as itself); one with structure runs as itself
    text = tree.read_script(wrapper.rel) if wrapper else ""
    plain = (note and wrapper is None) or (
        wrapper and (build_step_line(text) or manager_prefixed(text) or wrapper.freed)
    )
    inline = inline_wrapped(tree, command.value, writable) if plain else None
    if inline and wrapper and wrapper.freed:
        notes.append(
            f"{wrapper.rel}: written for an image that starts as root; this one starts as its non-root "
            f"user, so the script runs inline without what only root can do there: {'; '.join(wrapper.freed)}"
        )
    if inline:  # its build step is taken out by the plan (plan/start_build_steps.py)
        return Fact(inline[0], (*command.evidence, inline[1]))
    if wrapper is not None and wrapper.freed:  # with shell structure: not rewritten, and fails as itself
        left = "; ".join(wrapper.freed)
        notes.append(
            f'{wrapper.rel} wraps the start (exec "$@") for an image that starts as root ({left}), and its '
            "shell structure is not rewritten: the script is not used; run its steps another way"
        )
        return command
    if note:
        notes.append(note)
    if wrapper is None:
        unused = None if note else unused_dockerfile_script(tree, frozenset(e.file for e in command.evidence))
        if unused:
            notes.append(unused)
        return command
    return Fact((wrapper.shell, wrapper.rel, *command.value), (*command.evidence, *wrapper.evidence))


def _others(
    runnable: list[Candidate], chosen: Candidate | None, by_rel: dict[str, ModuleScan]
) -> tuple[Candidate, ...]:
    """The other processes seen (one per process name), for the plan and ``--process``."""
    out: list[Candidate] = []
    names = {chosen.process} if chosen else set()
    for c in runnable:
        # a file that is the chosen app seen again by a weaker detector is not another process
        # (the same detector's other process in that file, a second Scrapy spider, is one)
        same_file = chosen and c.rel and c.rel == chosen.rel and c.source != chosen.source
        if c is chosen or c.process in names or same_file:
            continue
        if c.kind == "script" and chosen and chosen.kind != "script":
            continue
        if c.source == "main" and chosen and chosen.kind == "cli" and _same_program(c, chosen, by_rel):
            continue  # `python -m pkg` beside the package's own console script is the same program
        if chosen and (_same_start(c, chosen) or _script_runs_main(c, chosen, by_rel)):
            continue
        names.add(c.process)
        out.append(c)
    return tuple(out)


def _same_program(main: Candidate, chosen: Candidate, by_rel: dict[str, ModuleScan]) -> bool:
    """Whether a package's ``python -m pkg`` runs the program the chosen CLI runs: any CLI but the
    project's own console script, and a console script whose target is that ``__main__`` or the package
    (``pkg.__main__:main``, ``pkg:main``), or a function the ``__main__`` imports (``from pkg.cli import
    main``). A console script naming another module (``pkg.cli:tools`` beside a ``__main__`` that
    serves) is another program."""
    if chosen.source != "console-script":
        return True
    target = chosen.target.split(":", 1)[0].strip()
    function = chosen.target.split(":", 1)[1].strip() if ":" in chosen.target else ""
    package = main.module or ""
    if target in (package, f"{package}.__main__"):
        return True
    scan = by_rel.get(main.rel)
    return scan is not None and bool(function) and f"{target}.{function}" in scan.from_imports.values()


def _script_runs_main(script: Candidate, runner: Candidate, by_rel: dict[str, ModuleScan]) -> bool:
    """Whether a console script runs what the chosen start runs as ``python -m mod``: its target is a
    function of that module which the module's ``if __name__ == "__main__":`` block calls (``wssh =
    webssh.main:main`` beside ``python -m webssh.main``). Another function there is another program."""
    if script.source != "console-script" or ":" not in script.target or not runner.module:
        return False
    module, function = (part.strip() for part in script.target.split(":", 1))
    scan = by_rel.get(runner.rel)
    runs_as_script = runner.target == f"-m {runner.module}" or runner.command[-2:] == ("-m", runner.module)
    return module == runner.module and runs_as_script and scan is not None and function in scan.main_calls


def _same_start(one: Candidate, other: Candidate) -> bool:
    """Whether two candidates start the same program: the same command seen by two sources (a compose
    service running the own Dockerfile's CMD; a CLI's program and that program with arguments), a
    framework's app and that framework's own server CLI, which discovers and serves it (``litestar run``
    beside the Litestar app), or a server command naming the app's target (``hypercorn app:app``)."""
    if one.command and other.command:
        a, b = sorted((last_command(one.command), last_command(other.command)), key=len)
        # a CLI's program beside the same program with its default arguments (`tool` and `tool --help`)
        clis = one.kind == other.kind == "cli"
        return a == b or (clis and bool(a) and a == b[: len(a)])
    app, run = (one, other) if one.framework and not one.command else (other, one)
    if app.framework is None or app.command or not run.command:
        return False
    words = last_command(run.command)
    if app.target and package_of(posixpath.basename(words[0])):  # `hypercorn -b :8080 app:app`
        return any(w in (app.target, f"{app.target}()") for w in words[1:])
    row = server_cli(words)
    return row is not None and canonicalize_name(row.package) == canonicalize_name(app.framework.name)


def _server_command(
    c: Candidate,
    port: int,
    dependencies: frozenset[str],
    files: PlanFiles,
    provided: frozenset[str],
    pyproject: dict[str, Any] | None,
) -> tuple[tuple[str, ...], Fact[tuple[str, ...]], list[EnvSetting], tuple[Evidence, ...]]:
    """The server's command for the framework candidate, what it adds to the lock (as ``pyproject``
    names it, when it does: :func:`_server_added`), the environment it sets, and the evidence of the
    options carried from the repository's own image (own_server_options)."""
    fw = c.framework
    assert fw is not None
    ev = c.evidence
    interface = c.interface or ("wsgi" if fw.interface == "django" else fw.interface)
    if interface in ("wsgi", "asgi", "aiohttp-gunicorn"):
        server, add = choose(interface, dependencies, c.factory, bool(c.chdir))
        argv = server.argv(c.target, port, interface, c.factory, c.chdir)
        own = own_options(files, server, c.target, argv, provided)
        carried: tuple[Evidence, ...] = ()
        if own is not None:
            argv, carried = options_inserted(argv, own[0], posixpath.basename(argv[0])) or argv, (own[1],)
        if add:
            why = (
                f"no production {interface.upper()} server among the dependencies: {server.package} added to "
                f"the lock to serve {c.target} ({server.source})"
            )
            added = _server_added(
                files.tree, pyproject, server.package, Evidence(ev[0].file, ev[0].line, why)
            )
            return argv, added, [], carried
        return argv, Fact(()), [], carried
    found = runner(interface)
    if found:
        argv = found.argv(target=c.target, port=port, source=c.rel)
        env = [EnvSetting(name, value, why, ev) for name, value, why in found.environment(port)]
        return argv, Fact(()), env, ()
    raise ProjectError(f"no way to serve a {fw.name} app ({interface})")


def _port(
    port: int | None,
    explicit: tuple[str, ...] | None,
    chosen: Candidate | None,
    hints: list[Candidate],
    framework_c: Candidate | None,
    by_rel: dict[str, ModuleScan],
    own: Candidate | None = None,
    files: PlanFiles | None = None,
) -> Fact[int | None]:
    """Port evidence, strongest first: --port, the start command's own flag, the chosen process's
    source (Procfile/compose/fly/entry script), deploy hints, a port passed to a serve call in the
    app's module, the port the repository's own image's start binds for the same app (``files``), or
    EXPOSEs for the same process (``own``: the own-dockerfile candidate), or the value its ``$PORT``
    start gives PORT (``files``), the framework's default."""
    if port is not None:
        return Fact(port, (Evidence("command line", None, f"--port {port}"),))
    if explicit is not None:
        found = port_of_command(explicit)
        if found:
            return Fact(found, (Evidence("command line", None, f"--start {' '.join(explicit)}"),))
        row = server_cli(explicit)
        if row:
            return Fact(row.port, (row.port_evidence(explicit, Evidence("command line", None, "--start")),))
        development = runserver(explicit)
        if development is not None and development.port is not None:
            file = "command line" if development.address else "Django's runserver"
            return Fact(development.port, (Evidence(file, None, development.port_detail),))
        flask_dev = flask_run(explicit)
        if flask_dev is not None:
            file = "command line" if flask_dev.given_port else "Flask's run command"
            return Fact(flask_dev.port or FLASK_PORT, (Evidence(file, None, flask_dev.port_detail),))
    if chosen and chosen.port and chosen.port_evidence and chosen.source != OWN_DOCKERFILE:
        return Fact(chosen.port, (chosen.port_evidence,))
    for hint in hints:
        if hint.port and hint.port_evidence:
            return Fact(hint.port, (hint.port_evidence,))
    if framework_c and framework_c.rel in by_rel:
        for p, line in by_rel[framework_c.rel].ports:
            return Fact(p, (Evidence(framework_c.rel, line, f"port={p} passed to the server in code"),))
    if framework_c and framework_c.port and framework_c.port_evidence and _runs_script(chosen, framework_c):
        # a script that is its own server (Tornado's app.listen), started by the chosen command
        return Fact(framework_c.port, (framework_c.port_evidence,))
    bound = own_bound_port(files, chosen) if files is not None and explicit is None else None
    if bound is not None:
        return bound
    exposed = own_image_port(own, chosen, by_rel, explicit)
    if exposed is not None:
        return exposed
    valued = own_port_value(files, chosen) if files is not None and explicit is None else None
    if valued is not None:
        return valued
    fw = framework_c.framework if framework_c else None
    if fw and fw.port:
        return Fact(fw.port, (Evidence("frameworks table", None, f"{fw.name} default port {fw.port}"),))
    return Fact(None, (Evidence("default", None, "no listening port"),))


def _runserver_notes(
    served: RunServer, port: int | None, framework_c: Candidate | None, dependencies: frozenset[str]
) -> list[str]:
    """What the plan says of a ``--start`` running Django's development server: that it is one (and what
    serves the project instead, gunicorn added first when the project lacks it), and where it listens
    when nothing outside the container reaches it."""
    wsgi = framework_c.target if framework_c and framework_c.framework and framework_c.target else ""
    first = "" if "gunicorn" in dependencies else "gunicorn added to the project's dependencies, then "
    instead = (
        f' ({first}--start "gunicorn --bind 0.0.0.0:{port or DEFAULT_PORT} {wsgi}")'
        if wsgi and framework_c and framework_c.framework and framework_c.framework.name == "django"
        else ""
    )
    notes = [
        "--start runs Django's development server (manage.py runserver): one process meant for "
        "development, which Django's documentation says not to use in production; serve the project's "
        f"WSGI or ASGI application with a production server instead{instead} ({SOURCE})"
    ]
    if served.port is None:
        notes.append(
            f"--start: runserver's address {served.address!r} is no literal [ADDR:]PORT, so the plan cannot "
            f"read its port ({port or DEFAULT_PORT} assumed; --port names another)"
        )
    elif served.loopback:
        given = f"runserver {served.address}" if served.address else "runserver without an address"
        notes.append(
            f"--start: {given} listens on {served.host}, a loopback address: nothing outside the container "
            f"reaches it (the health check, run inside, passes); give it 0.0.0.0:{served.port} "
            f"(`manage.py runserver 0.0.0.0:{served.port}`)"
        )
    return notes


def _runs_script(chosen: Candidate | None, script: Candidate) -> bool:
    """True when ``chosen``'s command runs ``script``'s file (``python server.py``) or module (``-m``)."""
    if chosen is None or chosen is script or not script.rel:
        return False
    argv = last_command(chosen.command)
    rest = python_args(argv) or ()
    if rest and rest[0].removeprefix("./") == script.rel:
        return True
    module = script.module or ""
    return len(rest) >= 2 and rest[0] == "-m" and rest[1] in (module, module.removesuffix(".__main__"))


def _health(
    scans: list[ModuleScan], fw: Framework | None, probed: tuple[str, Evidence] | None = None
) -> Fact[str | None]:
    """Only a route the framework's modules declare becomes the probe: the one the repository's own
    image probes (``probed``: project/own_probe.py), else one named like a health route; else the
    framework's own, else TCP."""
    sig = signatures()
    found: dict[str, tuple[str, str, int]] = {}
    relevant = [s for s in scans if fw and fw.module in s.imports and s.routes]
    if fw is not None:  # a views module routing on a blueprint it imports (`from . import bp`), no flask
        framed = {s.module for s in relevant} | {s.module for s in scans if fw.module in s.imports}
        relevant += [
            s
            for s in scans
            if s.routes
            and fw.module not in s.imports
            and any(s.from_imports.get(r, "").rpartition(".")[0] in framed for _, _, r in s.routes if r)
        ]
    if fw is None or fw.module == "tornado":  # Tornado's URL tables, whatever command starts the app
        relevant += [s for s in scans if s.tornado_routes and all(s is not r for r in relevant)]
    mounted: dict[str, str] = {}  # router variable -> prefix it is mounted under (any module)
    by_module: dict[str, str] = {}  # Django: urls module -> include() prefix
    holders = {child: holder for scan in scans for child, holder in scan.holders.items()}
    for scan in scans:
        for key, prefix in scan.prefixes.items():
            if key.startswith("@"):
                continue
            mounted[key] = prefix
            # `from app.routers.health import router as health_router`, then include_router(health_router,
            # prefix=...): the prefix applies to that module's `router`
            imported = scan.from_imports.get(key, "")
            if "." in imported:
                mounted.setdefault(imported, prefix)
        by_module.update(scan.module_prefixes)
    for scan in relevant:
        for path, line, receiver in scan.routes:
            own = scan.prefixes.get("@" + receiver, "")
            # a router the module imports (`from . import bp` in a blueprint's views module): mounted
            # under its defining module's name
            imported = scan.from_imports.get(receiver, "") if receiver else ""
            outer = (
                mounted[imported]
                if imported in mounted
                else _held_prefix(mounted, holders, scan.module, receiver)
                if receiver
                else by_module.get(scan.module, "")
            )
            norm = normalise_route("/".join(p.strip("/") for p in (outer, own, path) if p.strip("/")))
            if path.endswith("/") and not norm.endswith("/"):
                norm += "/"
            found.setdefault(norm.rstrip("/") or "/", (norm, scan.rel, line))
    if probed is not None:
        key = normalise_route(probed[0]).rstrip("/") or "/"
        if key in found:
            served, rel, line = found[key]
            return Fact(served, (probed[1], Evidence(rel, line, f"route {served}")))
        if fw is None and not found:  # routes no scan reads (Twisted's resources): the maintainers' probe
            why = "no framework whose routes the scan reads: the path the repository's own image probes"
            return Fact(probed[0], (probed[1], Evidence("source scan", None, why)))
    computed = next((s for s in scans if s.computed_mounts), None)
    for path in sig.health_paths if computed is None else ():
        # the health route itself, or mounted under a prefix (/api/health): shortest first
        matches = sorted((k for k in found if k == path or k.endswith(path)), key=len)
        if matches:
            served, rel, line = found[matches[0]]
            return Fact(served, (Evidence(rel, line, f"route {served}"),))
    if fw and fw.health and fw.health_call:
        for scan in scans:
            call = next((i for i in scan.invocations if i.last == fw.health_call), None)
            if call:
                said = f"{fw.health_call}: the app serves {fw.name}'s health service ({fw.health})"
                return Fact(fw.health, (Evidence(scan.rel, call.line, said),))
    elif fw and fw.health:
        return Fact(fw.health, (Evidence("frameworks table", None, f"{fw.name} serves {fw.health} itself"),))
    if computed is not None:
        why = (
            "the app mounts sub-applications at computed paths (app.mount(*...)): no route's served path "
            "is known; a TCP probe will do"
        )
        return Fact(None, (Evidence(computed.rel, None, why),))
    return Fact(None, (Evidence("source scan", None, "no health route found; a TCP probe will do"),))


def _held_prefix(mounted: dict[str, str], holders: dict[str, str], module: str, receiver: str) -> str:
    """The prefix of ``receiver`` (:func:`_mounted_prefix`) after those of what holds it: a router
    included in a sub-application mounted at ``/api/v1`` serves under ``/api/v1`` (a few levels, no
    cycle)."""
    parts, seen = [], {receiver}
    while receiver:
        parts.append(_mounted_prefix(mounted, module, receiver))
        receiver = holders.get(receiver, "")
        if receiver in seen or len(seen) > 8:
            break
        seen.add(receiver)
    return "/".join(p.strip("/") for p in reversed(parts) if p.strip("/"))


def _mounted_prefix(mounted: dict[str, str], module: str, receiver: str) -> str:
    """The prefix the router ``receiver`` of ``module`` is mounted under: an include that names it with
    its module (``include_router(summaries.router, prefix=...)``) applies to that module's router only;
    a bare name (``include_router(router, ...)``, imported by name) to any router of that name."""
    for key, prefix in mounted.items():
        owner, _, name = key.rpartition(".")
        if owner and name == receiver and (module == owner or module.endswith("." + owner)):
            return prefix
    return mounted.get(receiver, "")


_SAFE_DEFAULTS = frozenset({"PORT", "HOST", "DJANGO_SETTINGS_MODULE", "PATH", "HOME"})
# Variables only Windows sets: code reading them runs on Windows, never in a Linux image
# (https://learn.microsoft.com/en-us/windows/deployment/usmt/usmt-recognized-environment-variables)
_WINDOWS_ONLY = frozenset(
    {
        "APPDATA",
        "LOCALAPPDATA",
        "USERPROFILE",
        "PROGRAMFILES",
        "PROGRAMDATA",
        "SYSTEMROOT",
        "WINDIR",
        "COMSPEC",
    }
)


def _where(why: str, evidence: tuple[Evidence, ...]) -> Evidence:
    """The evidence of one of a candidate's variables: the ``FILE:LINE`` its reason starts with, else the
    candidate's own."""
    head = why.split(" (", 1)[0]
    rel, _, line = head.rpartition(":")
    if rel and line.isdigit():
        return Evidence(rel, int(line), "a secret value, left out of the image")
    first = evidence[0] if evidence else Evidence("start", None, "")
    return Evidence(first.file, first.line, "a secret value, left out of the image")


def _with_withheld(required: tuple[Fact[str], ...], withheld: list[Fact[str]]) -> tuple[Fact[str], ...]:
    names = {f.value for f in required}
    return (*required, *(f for f in withheld if f.value not in names))


def _required_env(
    scans: tuple[ModuleScan, ...],
    env: list[EnvSetting],
    unusable: list[tuple[str, Evidence]],
    start: Fact[tuple[str, ...]],
    runs: Callable[[ModuleScan], bool] = lambda scan: True,
) -> tuple[Fact[str], ...]:
    """``runs``: whether the start runs a module as the script (its ``__main__``-only reads count then)."""
    given = {e.name for e in env} | _SAFE_DEFAULTS | _WINDOWS_ONLY
    out: dict[str, Fact[str]] = {}
    where = start.evidence[0] if start.evidence else Evidence("the start")
    for name in expanded_without_default(start.value):  # `gunicorn -w "$WORKERS"`: empty when unset
        if name not in given:
            why = f"the start expands ${name} without a default"
            out[name] = Fact(name, (Evidence(where.file, where.line, why),))
    for name, evidence in unusable:  # a URL default whose backend's driver is not installed
        if name not in given:
            out[name] = Fact(name, (evidence,))
    for scan in scans:
        for name, line in scan.env_required:
            if in_main_only(line, scan.main_only) and not runs(scan):
                continue  # read by the module's own program (started as a child, a maintainer's run)
            if name not in given and name not in out:
                out[name] = Fact(name, (Evidence(scan.rel, line, f"os.environ[{name!r}] without a default"),))
        for name, line, why in (*scan.settings_env, *scan.env_refused, *scan.env_helper):
            if name not in given and name not in out:
                out[name] = Fact(name, (Evidence(scan.rel, line, why),))
    settings = next((e.value for e in env if e.name == "DJANGO_SETTINGS_MODULE"), None)
    modules = [ModuleReads(s.rel, s.module, s.from_imports, s.environ) for s in scans]
    by_rel = {s.rel: s for s in scans}
    for name, rel, line in required_environ(modules, settings):
        if name not in given and name not in out:
            reads = by_rel[rel].environ if rel in by_rel else None
            environs = reads is not None and any(
                (variable, at) == (name, line) and receiver in reads.environs
                for receiver, variable, at in reads.reads
            )
            why = f"env({name!r}) ({'environs' if environs else 'django-environ'}) without a default"
            out[name] = Fact(name, (Evidence(rel, line, why),))
    # each name is written into a build step's RUN line and the header's `docker run -e`: only a name a
    # shell sets, whatever the code spelled (a string of the project's code is no shell word)
    return tuple(fact for name, fact in out.items() if SHELL_NAME.match(name))


def _code_folders(scans: tuple[ModuleScan, ...]) -> frozenset[str]:
    """The folders holding the app's modules ("." for the root, always: the app directory is the copied
    tree even when every module sits in a folder): they stay root's, so a write there is a file made
    beforehand or a note, never the whole folder handed to the app user."""
    return frozenset({".", *(posixpath.dirname(s.rel) or "." for s in scans)})


def _in_start_folder(path: str, cwd: str) -> str:
    """A path relative to the working directory, from the tree's root, when the start runs in the folder
    ``cwd`` ("" for the root: project/start_cwd.py)."""
    return posixpath.normpath(posixpath.join(cwd, path)) if cwd else path


def _run_as_script(command: tuple[str, ...], cwd: str) -> frozenset[str] | None:
    """The module files the start runs as ``__main__`` (``python app.py``, ``uv run app.py``, ``python
    -m pkg.tool``: their ``if __name__ == "__main__":`` blocks run), relative to the root (or as written
    when absolute), or module names for ``-m``; empty for a server or tool that only imports the app's
    modules; None when the start cannot be read (every such block may run)."""
    # a manager's runner before it (data/command_prefixes.toml): `uv run app.py` runs python app.py
    argv = without_prefixes(last_command(command))[0] if command else []
    if not argv:
        return None
    if not posixpath.basename(argv[0]).startswith("python"):
        return frozenset() if package_of(argv[0]) or server_cli(tuple(argv)) else None
    words = iter(argv[1:])
    for word in words:
        if word == "-m":
            module = next(words, "")
            return frozenset({module, f"{module}.__main__"}) if module else None
        if word in ("-c", "-"):
            return frozenset()
        if word in ("-X", "-W"):
            next(words, "")
        elif not word.startswith("-"):
            path = word.removeprefix("./")
            return frozenset({path if path.startswith("/") else _in_start_folder(path, cwd)})
    return None


_SERVED_TARGET = re.compile(r"^([A-Za-z_][\w.]*):[A-Za-z_][\w.]*(?:\(.*\))?$")


def _script_runs(
    scripts: frozenset[str] | None,
    tree: ProjectTree,
    pyproject: dict[str, Any] | None,
    start: tuple[str, ...],
    scans: tuple[ModuleScan, ...],
) -> Callable[[ModuleScan], bool]:
    """Whether the start runs a module's ``__main__``-only code: as the script, through a console script
    whose function the module holds, when another module of ``scans`` imports it (and may call those
    functions), or when the start cannot be read."""
    target = _entry_point(tree, pyproject, start).value
    entry = target.split(":", 1)[0] if target else None
    if entry is not None and scripts is None:  # the project's console script: it calls one function
        scripts = frozenset()

    # a server's `module:attr` target (`gunicorn 'app:create_app()'`): it calls that function itself
    targets = {m.group(1) for word in start if (m := _SERVED_TARGET.match(word))}

    def runs(scan: ModuleScan) -> bool:
        if scan.module == entry or scan.module in targets or _run_as_the_script(scan, scripts):
            return True
        # another module importing it may call those functions itself
        return any(_imports_module(other, scan.module) for other in scans)

    return runs


def _imports_module(scan: ModuleScan, module: str) -> bool:
    """``scan`` imports ``module`` or a name from it."""
    return module in scan.imports or any(v.rpartition(".")[0] == module for v in scan.from_imports.values())


def _write_runs(scan: ModuleScan, write: FileWrite, scripts: frozenset[str] | None) -> bool:
    """Whether ``write`` can happen in the image: one under ``if __name__ == "__main__":`` only when the
    start runs its module as the script (``/app/tool.py``: a path in the image ending with the module's),
    or when the start cannot be read."""
    return not write.main_only or _run_as_the_script(scan, scripts)


def _run_as_the_script(scan: ModuleScan, scripts: frozenset[str] | None) -> bool:
    """The start runs ``scan``'s module as ``__main__`` (:func:`_run_as_script`'s ``scripts``: its path,
    its module name, or a path in the image ending with its path), or cannot be read (None)."""
    if scripts is None or scan.rel in scripts or scan.module in scripts:
        return True
    return any(s.startswith("/") and s.endswith("/" + scan.rel) for s in scripts)


def _writable(
    scans: tuple[ModuleScan, ...], notes: list[str], cwd: str = "", scripts: frozenset[str] | None = None
) -> tuple[Fact[str], ...]:
    out: dict[str, Fact[str]] = {}
    code = _code_folders(scans)
    literals = {f"{scan.module}.{name}": path for scan in scans for name, path in scan.path_literals.items()}
    for scan in scans:
        if is_template(scan.rel):
            continue  # `settings/production.example.py`: a template to copy, never imported as it is
        for dotted_name, parent, line in scan.imported_dir_makes:  # `from config import STAMP`
            literal = literals.get(dotted_name)
            folder = made_folder(literal, parent) if literal else None
            if folder and folder not in code:
                why = f"the app makes {folder}/ at run time ({dotted_name} holds {literal})"
                out.setdefault(folder, Fact(folder, (Evidence(scan.rel, line, why),)))
        for path, line in scan.writes:
            if (path, line) in scan.cwd_writes:
                path = _in_start_folder(path, cwd)
            if path in code:
                where = "the app directory" if path == "." else f"the app's code folder {path}/"
                moved = next((v for v, first, last in scan.env_fallbacks if first <= line <= last), None)
                what = "a sqlite:/// URL of a file" if moved and moved.endswith(("URL", "URI")) else "a file"
                fix = (
                    f"set {moved} to {what} on a writable volume"
                    if moved
                    else "point its path or URL at a writable volume"
                )
                why = "which the non-root user cannot write"
                notes.append(f"{scan.rel}:{line}: a SQLite file in {where}, {why}; {fix}")
                continue
            out.setdefault(
                path, Fact(path, (Evidence(scan.rel, line, f"the app writes {path}/ at run time"),))
            )
        for write in scan.file_writes:
            if not _write_runs(scan, write, scripts):
                continue
            if write.folder in code:
                if not write.file:
                    where = (
                        "the app directory"
                        if write.folder == "."
                        else f"the app's code folder {write.folder}/"
                    )
                    notes.append(
                        f"{scan.rel}:{write.line}: {write.writer} writes in {where} (a path built from the "
                        "module's folder), which stays root's: the non-root user cannot create files there; "
                        "point the path at a folder of its own, which the image then makes writable"
                    )
                continue  # a file made beforehand: _log_files_here
            why = f"{write.writer} writes in {write.folder}/ at run time (a path from the module's folder)"
            out.setdefault(write.folder, Fact(write.folder, (Evidence(scan.rel, write.line, why),)))
        for log in scan.log_files:
            log = log._replace(path=_in_start_folder(log.path, cwd)) if log.cwd else log
            if log.folder in code:
                continue  # a file of a folder of code: _log_files_here
            why = f"a logging file handler opens a file in {log.folder}/ at start"
            out.setdefault(log.folder, Fact(log.folder, (Evidence(scan.rel, log.line, why),)))
    return tuple(out.values())


def _helper_writes(
    tree: Any, scope: tuple[ModuleScan, ...], code: frozenset[str], seen: set[str], notes: list[str]
) -> tuple[Fact[str], ...]:
    """Files the loaded modules write at import through a project function (project/helper_writes.py):
    a note in a folder of code, else the folder made writable."""
    out: list[Fact[str]] = []
    for write in helper_writes(tree, scope):
        if write.folder in code:
            where = "the app directory" if write.folder == "." else f"the app's code folder {write.folder}/"
            instead = f", or set {write.sets} another way" if write.sets else ""
            moved = f" ({write.moved_by} sets it)" if write.moved_by else ""
            note = (
                f"{write.rel}:{write.line}: {write.function} ({write.writes_at}) writes {write.file} at "
                f"import (the path held in {write.variable}), in {where}, which stays root's: the non-root "
                f"user cannot create it and the app stops with PermissionError; point {write.variable} at "
                f"a file on a writable volume{moved}{instead}"
            )
            if note not in notes:
                notes.append(note)
        elif write.folder not in seen:
            seen.add(write.folder)
            why = f"{write.function} ({write.writes_at}) writes {write.file} at import"
            out.append(Fact(write.folder, (Evidence(write.rel, write.line, why),)))
    return tuple(out)


_MODULE_SUFFIXES = (".py", ".pyc", ".pyi", ".so", ".pyd", ".pth")  # made empty, a file Python imports


def _log_files_here(
    scans: tuple[ModuleScan, ...], notes: list[str], cwd: str = "", scripts: frozenset[str] | None = None
) -> tuple[Fact[str], ...]:
    """Files opened in a folder of the app's code (the app directory itself, a package's folder), which
    the app user cannot create there: log files a handler opens at start, and files the app opens to
    write on a path from its module's folder (project/file_writes.py). Each is made beforehand, owned by
    the app user (the folder stays root's). A rotating handler also renames files beside it at
    rollover, which still fails there: said."""
    out: dict[str, Fact[str]] = {}
    code = _code_folders(scans)
    for scan in scans:
        for write in scan.file_writes:
            if (
                not write.file
                or write.folder not in code
                or write.file in out
                or not _write_runs(scan, write, scripts)
            ):
                continue
            if write.file.endswith(_MODULE_SUFFIXES):
                note = (
                    f"{scan.rel}:{write.line}: {write.writer} writes the module {write.file} beside the "
                    "app's code at run time, which stays root's: the non-root user cannot create it; the "
                    "image makes no empty module beforehand (an import would find it instead of failing "
                    "over), so generate it at build time or write it elsewhere"
                )
                _say_once(notes, note)
                continue
            why = f"{write.writer} writes {write.file} beside the app's code at run time"
            out[write.file] = Fact(write.file, (Evidence(scan.rel, write.line, why),))
        for log in scan.log_files:
            log = log._replace(path=_in_start_folder(log.path, cwd)) if log.cwd else log
            if log.folder not in code or log.path in out:
                continue
            where = "the app directory" if log.folder == "." else f"{log.folder}/, where the start runs"
            if log.path.rpartition("/")[2] == "*":  # loguru's `{time}.log`: no file to make beforehand
                note = (
                    f"{scan.rel}:{log.line}: a loguru sink opens a new log file each run in {where}, which "
                    "stays root's: the non-root user cannot create it and the app stops with "
                    "PermissionError; point the sink at a folder of its own, or log to the console"
                )
                _say_once(notes, note)
                continue
            why = f"a logging file handler opens {log.path} in {where} at start"
            out[log.path] = Fact(log.path, (Evidence(scan.rel, log.line, why),))
            if log.rotates:
                notes.append(
                    f"{scan.rel}:{log.line}: a rotating logging handler writes {log.path} in {where}: "
                    "the image makes that file writable, but at rollover the handler renames it "
                    "beside itself, which the non-root user cannot do there (the rollover fails and is "
                    "printed on every record); point its filename at a folder of its own, or log to the "
                    "console"
                )
    return tuple(out.values())


def _say_once(notes: list[str], note: str) -> None:
    if note not in notes:
        notes.append(note)


def _entry_point(tree: Any, pyproject: dict[str, Any] | None, command: tuple[str, ...]) -> Fact[str | None]:
    """``module:function`` behind the start command when it is one of the project's console scripts."""
    target = declared_scripts(pyproject).get(command[0]) if command else None
    if not isinstance(target, str) or ":" not in target:
        return Fact(None)
    return Fact(target, (script_evidence(tree, command[0], target),))


def _import_folder(tree: ProjectTree, command: tuple[str, ...] | None) -> str:
    """The folder the start's server imports the app from (``--chdir app``), "" for the root."""
    found = imports_from_a_folder(tree, command) if command else None
    return found.file.rstrip("/") if found else ""
