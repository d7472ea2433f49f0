"""`dockwright plan` and `dockwright init`: argument parsing and printing only (logic in dockwright.api)."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from dockwright import api
from dockwright.cli.detector_opts import detector_options
from dockwright.cli.help_examples import epilog
from dockwright.errors import EXIT_OK, WriteRefused
from dockwright.output import printable_lines
from dockwright.redact import redact

if TYPE_CHECKING:  # the planner and rich load when a command runs, not for --help
    from rich.console import Console

    from dockwright.plan.model import BuildPlan
    from dockwright.project.facts import Evidence, Fact

F = TypeVar("F", bound=Callable[..., Any])


def _overrides(func: F) -> F:
    decorators = [
        click.argument("path", default=".", type=click.Path(file_okay=True, dir_okay=True)),
        click.option("--python", "python", metavar="X.Y[.Z]", help="Target Python (pinned in the base tag)."),
        click.option("--manager", metavar="NAME", help="Dependency manager to use when several are found."),
        click.option("--start", metavar='"CMD ..."', help="Production start command (overrides detection)."),
        click.option("--port", type=int, metavar="N", help="Port the app listens on."),
        click.option(
            "--process",
            metavar="NAME",
            help="Which process to package when the project has several (web, worker, a Procfile name).",
        ),
        click.option(
            "--package",
            metavar="NAME",
            help="Which member of a uv workspace to package (default: the one member that is an app).",
        ),
        click.option("--strategy", metavar="NAME", help="Packaging strategy (default: planner's choice)."),
        click.option(
            "--runtime",
            type=click.Choice(["distroless", "scratch"]),
            help="Runtime base of a standalone binary (pyinstaller): distroless cc (default) or scratch.",
        ),
        click.option(
            "--no-syntax",
            "no_syntax",
            is_flag=True,
            help="Leave out '# syntax=docker/dockerfile:1' (engines that cannot pull the frontend).",
        ),
        click.option(
            "--programs",
            type=click.Choice(["install", "warn"]),
            help="Programs the app starts (git, ffmpeg ...): install their Debian packages in the runtime "
            "(default) or only warn.",
        ),
        click.option(
            "--extra",
            "extras",
            multiple=True,
            metavar="NAME",
            help="An optional extra of the project to install (repeat for several; a uv.lock project: "
            "default, the extras its own Dockerfile or scripts install).",
        ),
        click.option(
            "--group",
            "groups",
            multiple=True,
            metavar="NAME",
            help="A dependency group of a uv.lock project to install (repeat for several; default: its "
            "[tool.uv] default-groups less dev ones).",
        ),
        click.option(
            "--private-index/--no-private-index",
            "private_index",
            default=None,
            help="Mount BuildKit secret 'pipconf' (a pip.conf for a private index) on pip's install steps "
            "(default: only when the project names another index).",
        ),
    ]
    for decorator in reversed(decorators):
        func = decorator(func)
    return func


def _options(
    python: str | None,
    manager: str | None,
    start: str | None,
    port: int | None,
    process: str | None,
    strategy: str | None,
    runtime: str | None,
    no_syntax: bool,
    package: str | None = None,
    private_index: bool | None = None,
    programs: str | None = None,
) -> dict[str, Any]:
    return {
        "programs": programs,
        "private_index": private_index,
        "package": package,
        "python": python,
        "manager": manager,
        "start": start,
        "port": port,
        "process": process,
        "strategy": strategy,
        "runtime": runtime,
        "syntax_directive": False if no_syntax else None,
    }


def _selection(extras: tuple[str, ...], groups: tuple[str, ...]) -> dict[str, Any]:
    """``--extra``/``--group`` as config values (comma lists allowed); None where not given."""
    return {"extras": extras or None, "groups": groups or None}


def _evidence(evidence: tuple[Evidence, ...]) -> str:
    return "; ".join(str(e) for e in evidence) or "-"


def _fact_rows(plan: BuildPlan) -> list[tuple[str, str, str]]:
    facts = plan.facts
    deps = facts.dependencies

    def row(label: str, fact: Fact[Any], shown: str | None = None) -> tuple[str, str, str]:
        value = fact.value
        text = shown if shown is not None else (" ".join(value) if isinstance(value, tuple) else str(value))
        return (label, text, _evidence(fact.evidence))

    rows = [
        row("name", facts.metadata.name),
        row("version", facts.metadata.version),
        row("revision", facts.metadata.revision),
        row("python requested", facts.python.requested),
        row("python", facts.python.version),
        row("debian", facts.python.debian),
        row("manager", deps.manager),
        ("dependency files", ", ".join(deps.input_files) or "-", "-"),
        ("hash-locked file", deps.hashed_requirements or "-", "-"),
        ("manager lock", deps.lock_file or "-", "-"),
        row("app kind", facts.app.kind),
        row("framework", facts.app.framework),
        ("process", facts.app.process, "; ".join(facts.app.other_processes) or "-"),
        row("start", facts.app.command),
        row("port", facts.app.port),
        row("health path", facts.app.health_path),
        *(row("needs env", f) for f in facts.app.required_env),
        *(row("writes", f) for f in (*facts.app.writable, *facts.app.writable_files)),
        row("package", facts.layout.is_package),
        row("build backend", facts.layout.build_backend),
    ]
    if deps.uv_selection is not None:  # the uv.lock extras and groups the image installs
        rows += [row("uv.lock extra", f) for f in deps.uv_selection.extras]
        rows += [row("uv.lock group", f) for f in deps.uv_selection.groups]
    for alt in deps.alternatives:
        rows.append(("not chosen", str(alt.value), _evidence(alt.evidence)))
    for need in facts.native:
        how = "compiles" if need.compiles else "wheel"
        rows.append(
            (
                f"native {need.package}",
                f"{how}; build: {' '.join(need.build_apt) or '-'}; run: {' '.join(need.run_apt) or '-'}",
                _evidence(need.evidence) if need.evidence else need.source,
            )
        )
    return rows


def print_plan(plan: BuildPlan, console: Console) -> None:
    from rich.table import Table
    from rich.text import Text

    console.print(Text(redact(f"{plan.facts.metadata.name.value} → {plan.image_name}"), style="bold"))
    facts = Table(title="Detected", show_lines=False, title_justify="left")
    facts.add_column("fact")
    facts.add_column("value", overflow="fold")
    facts.add_column("evidence", overflow="fold")
    for label, value, evidence in _fact_rows(plan):
        facts.add_row(Text(label), Text(redact(value)), Text(redact(evidence)))  # literal: [brackets]
    console.print(facts)
    decisions = Table(title=f"Decisions (strategy: {plan.strategy})", title_justify="left")
    decisions.add_column("topic")
    decisions.add_column("choice", overflow="fold")
    decisions.add_column("reason", overflow="fold")
    for decision in plan.decisions:
        decisions.add_row(Text(decision.topic), Text(redact(decision.choice)), Text(redact(decision.reason)))
    console.print(decisions)
    for warning in plan.warnings:
        console.print(Text(f"warning: {redact(warning)}", style="yellow"))


@click.command("plan", epilog=epilog("plan"))
@_overrides
@click.option("--json", "as_json", is_flag=True, help="Print the BuildPlan as JSON (dockwright.plan/1).")
@detector_options
def plan_command(
    path: str,
    python: str | None,
    manager: str | None,
    start: str | None,
    port: int | None,
    process: str | None,
    package: str | None,
    strategy: str | None,
    runtime: str | None,
    no_syntax: bool,
    private_index: bool | None,
    programs: str | None,
    extras: tuple[str, ...],
    groups: tuple[str, ...],
    as_json: bool,
) -> int:
    """Show what was detected (with evidence) and every decision (with its reason)."""
    options = _options(
        python, manager, start, port, process, strategy, runtime, no_syntax, package, private_index, programs
    )
    options.update(_selection(extras, groups))
    plan = api.plan(path, **options)
    if as_json:
        click.echo(redact(json.dumps(plan.to_dict(), indent=2, sort_keys=False)))
    else:
        from rich.console import Console

        print_plan(plan, Console(soft_wrap=False))
    return EXIT_OK


@click.command("init", epilog=epilog("init"))
@_overrides
@click.option("--dry-run", is_flag=True, help="Say what would be written; write nothing.")
@click.option("--diff", "show_diff", is_flag=True, help="Show a unified diff; write nothing.")
@click.option("--force", is_flag=True, help="Replace existing files that differ.")
@click.option(
    "--lock-only",
    "lock_only",
    is_flag=True,
    help="Write only the generated lock (a stale one resolved again); leave the Dockerfile as it is.",
)
@click.option("--index-url", metavar="URL", help="Index for resolving a new lock (not baked in).")
@click.option("--exclude-newer", metavar="DATE", help="Resolve a new lock as of this date (reproducible).")
def init_command(
    path: str,
    python: str | None,
    manager: str | None,
    start: str | None,
    port: int | None,
    process: str | None,
    package: str | None,
    strategy: str | None,
    runtime: str | None,
    no_syntax: bool,
    private_index: bool | None,
    programs: str | None,
    extras: tuple[str, ...],
    groups: tuple[str, ...],
    dry_run: bool,
    show_diff: bool,
    force: bool,
    lock_only: bool,
    index_url: str | None,
    exclude_newer: str | None,
) -> int:
    """Write Dockerfile, .dockerignore and, when the project has none, a hash-locked requirements file."""
    if dry_run and show_diff:
        raise click.UsageError("--dry-run and --diff are exclusive")
    options = _options(
        python, manager, start, port, process, strategy, runtime, no_syntax, package, private_index, programs
    )
    options.update(index_url=index_url, exclude_newer=exclude_newer, **_selection(extras, groups))
    result = api.init(path, force=force, dry_run=dry_run or show_diff, lock_only=lock_only, **options)
    if show_diff:
        click.echo(
            printable_lines(redact(result.diff)), nl=False
        )  # a file of yours cannot drive the terminal
        return EXIT_OK
    if result.refused:  # --dry-run stops where init would, with its one line
        raise WriteRefused(result.refused)
    verbs = {
        "create": ("would create", "created"),
        "update": ("would update", "updated"),
        "unchanged": ("unchanged", "unchanged"),
    }
    context = Path(result.context)
    for change in result.changes:
        verb = verbs[change.status][1 if result.written else 0]
        click.echo(f"{verb}: {_shown(context / change.path, path)}")
    decided = result.plan.decision("build-context")
    if decided is not None:
        click.echo(f"build context: {_shown(context, '.')} ({decided.choice})")
    if decided is not None and not result.written:  # once written, the next steps say how to build
        dockerfile = _shown(context / result.plan.dockerfile_path, ".")
        click.echo(
            f"build: docker build -f {dockerfile} {_shown(context, '.')}  (or: dockwright build {path})"
        )
    if result.written:
        from dockwright.cli.next_steps import next_steps

        for line in next_steps(result.plan, context, path):
            click.echo(redact(line))
    from dockwright.project.detect import existing_dockerfile_note

    existing = result.plan.facts.layout.existing_dockerfile
    settled = existing_dockerfile_note(existing) if existing and result.written else None
    for warning in result.plan.warnings:
        if warning != settled:  # init wrote (or kept) it: the note no longer applies
            click.echo(f"warning: {redact(warning)}", err=True)
    return EXIT_OK


def _shown(target: Path, base: str) -> str:
    """``target`` relative to ``base`` when it lies inside it, else relative to the current folder."""
    try:
        return target.resolve().relative_to(Path(base).resolve()).as_posix() or "."
    except ValueError:
        return os.path.relpath(target.resolve())


COMMANDS: tuple[click.Command, ...] = (plan_command, init_command)
