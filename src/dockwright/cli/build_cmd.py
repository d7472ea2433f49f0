"""`dockwright build`: argument parsing and progress display only (logic in dockwright.api.build)."""

from __future__ import annotations

import shlex
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from dockwright import api
from dockwright.cli.help_examples import epilog
from dockwright.cli.params import buildx_output
from dockwright.cli.params import platforms as checked_platforms
from dockwright.errors import EXIT_FINDINGS, EXIT_OK, ConfigError
from dockwright.output import fmt_bytes, step_label

if TYPE_CHECKING:  # build, the engine, rich and the wheel check (urllib) load when a build runs
    from rich.table import Table  # rich: only for the live table on a terminal

    from dockwright.engine.base import BuildStep, Image
    from dockwright.plan.platforms import PlatformReport


class StepBoard:
    """A live table of build steps (state and elapsed time) for a terminal."""

    def __init__(self) -> None:
        self.rows: dict[str, tuple[str, str, float, float | None]] = {}

    def update(self, event: BuildStep) -> None:
        if event.state == "log" or event.name.startswith("[internal]"):
            return
        name, _, started, ended = self.rows.get(event.step_id, (event.name, "", time.monotonic(), None))
        finished = time.monotonic() if event.state in ("done", "cached", "error") else ended
        self.rows[event.step_id] = (name, event.state, started, finished)

    def render(self) -> Table:
        from rich.table import Table
        from rich.text import Text

        table = Table(show_header=False, box=None, pad_edge=False)
        now = time.monotonic()
        marks = {
            "started": "[yellow]…[/]",
            "done": "[green]✓[/]",
            "cached": "[cyan]cached[/]",
            "error": "[red]✗[/]",
        }
        for name, state, started, ended in self.rows.values():
            elapsed = (ended or now) - started
            table.add_row(
                marks.get(state, state), Text(step_label(name, 100)), f"{elapsed:5.1f}s"
            )  # names hold [brackets]
        return table


def platform_lines(report: PlatformReport) -> list[str]:
    """Per platform a summary line, then one line per package that does not install from a wheel."""
    lines = [f"CPython {report.python}"]
    for check in report.platforms:
        counts: dict[str, int] = {}
        for package in check.packages:
            counts[package.status] = counts.get(package.status, 0) + 1
        summary = ", ".join(f"{n} {status}" for status, n in sorted(counts.items())) or "no locked packages"
        lines.append(f"{check.label}: {summary}")
        lines.extend(f"  {package.describe()}" for package in check.packages if not package.ok)
    return lines


def _plain(event: BuildStep) -> None:
    if event.state in ("started", "cached", "error"):
        click.echo(f"{event.state:>7}  {step_label(event.name)}" + (f"  {event.text}" if event.text else ""))


@click.command("build", epilog=epilog("build"))
@click.argument("path", default=".", type=click.Path())  # checked by the planner, as plan/init do
@click.option("--tag", "-t", metavar="REF", help="Image tag (default: <name>:<version> from the plan).")
@click.option(
    "--file",
    "-f",
    "dockerfile",
    type=click.Path(dir_okay=False),  # checked before planning (BuildOptions.check)
    metavar="DOCKERFILE",
    help="Your own Dockerfile (as docker build -f; default: PATH/Dockerfile, else the planned one). "
    "Its CMD is the start when dockwright cannot tell one.",
)
@click.option(
    "--platform",
    "platforms",
    multiple=True,
    metavar="PLATFORM",
    callback=checked_platforms,
    help="Target platform(s), e.g. linux/amd64,linux/arm64.",
)
@click.option(
    "--output",
    metavar="SPEC",
    callback=buildx_output,
    help="Where the image goes instead of the engine: a buildx output SPEC (type=...), e.g. type=registry, "
    "type=oci,dest=app.tar or type=docker,dest=app.tar (needed for several platforms). Not a file name: "
    "audit and sbom take --output FILE for their reports.",
)
@click.option("--push", is_flag=True, help="Push the tag to its registry (buildx --push).")
@click.option(
    "--cache-from",
    "cache_from",
    multiple=True,
    metavar="SPEC",
    help="buildx cache source, e.g. type=registry,ref=REG/app:cache (a missing ref is a warning).",
)
@click.option(
    "--cache-to",
    "cache_to",
    multiple=True,
    metavar="SPEC",
    help="buildx cache export, e.g. type=inline, or type=registry,ref=REG/app:cache,mode=max "
    "(needs a docker-container/remote builder or the containerd image store).",
)
@click.option("--builder", metavar="NAME", help="A buildx builder (docker-container, kubernetes, remote).")
@click.option("--build-arg", "user_build_args", multiple=True, metavar="KEY=VALUE", help="Extra build arg.")
@click.option(
    "--secret",
    "secrets",
    multiple=True,
    metavar="SPEC",
    help="BuildKit secret: id=NAME,src=FILE or id=NAME,env=VAR.",
)
@click.option("--label", "user_labels", multiple=True, metavar="KEY=VALUE", help="Extra image label.")
@click.option("--dry-run", "dry_run", is_flag=True, help="Print the exact engine command; build nothing.")
@click.option(
    "--reproducible",
    is_flag=True,
    help="SOURCE_DATE_EPOCH from the last commit, layer timestamps rewritten on export, no provenance; "
    "the docker driver exports an OCI archive, then loads (and pushes) it.",
)
@click.option(
    "--allow-stale-lock",
    "allow_stale_lock",
    is_flag=True,
    help="Build even when a lock init generated (requirements.lock, requirements-build.lock) is stale "
    "(its source or the Python changed since): a warning, not an error (exit 2).",
)
@click.option(
    "--fresh-plan",
    "fresh_plan",
    is_flag=True,
    help="Plan the project anew, ignoring the plan kept from the last build (kept under "
    "~/.cache/dockwright/plans and reused while every file, folder, git and index answer its planning "
    "read still holds; DOCKWRIGHT_PLAN_CACHE=off never keeps one).",
)
@click.option("--target", metavar="STAGE", help="Build only up to this stage.")
@click.option(
    "--engine",
    type=click.Choice(["auto", "docker", "podman"]),
    default=None,
    help="Container engine (default: DOCKWRIGHT_ENGINE, else docker when it answers, else podman).",
)
@click.option("--no-cache", is_flag=True, help="Do not use BuildKit's cache.")
@click.option(
    "--index-url",
    metavar="URL",
    help="Private package index, passed as BuildKit secret 'pipconf' (never ARG/ENV); the planned Dockerfile "
    "then mounts it, and a Dockerfile of yours must (else exit 2).",
)
@click.option("--network", metavar="NAME", help="Network for RUN steps (e.g. host).")
@click.option(
    "--progress",
    type=click.Choice(["auto", "tty", "plain"]),
    default="auto",
    show_default=True,
    help="Build steps as a live table (tty) or one line each (plain); auto: tty on a terminal.",
)
@click.option("--strategy", metavar="NAME", help="Packaging strategy when the project has no Dockerfile yet.")
# what plan and init take to correct detection: build plans the project too (tag, labels, build args)
@click.option("--python", "python", metavar="X.Y[.Z]", help="Target Python (pinned in the base tag).")
@click.option("--manager", metavar="NAME", help="Dependency manager to use when several are found.")
@click.option("--start", metavar='"CMD ..."', help="Production start command (overrides detection).")
@click.option("--port", type=int, metavar="N", help="Port the app listens on.")
@click.option(
    "--process",
    metavar="NAME",
    help="Which process to package when the project has several (web, worker, a Procfile name).",
)
@click.option(
    "--package", metavar="NAME", help="Which member of a uv workspace to build (default: the app one)."
)
@click.option(
    "--runtime", type=click.Choice(["distroless", "scratch"]), help="Standalone binaries' runtime base."
)
@click.option(
    "--programs",
    type=click.Choice(["install", "warn"]),
    help="Programs the app starts (git, ffmpeg ...): install their Debian packages (default) or only warn.",
)
@click.option(
    "--no-syntax",
    "no_syntax",
    is_flag=True,
    help="Planned Dockerfile without '# syntax=docker/dockerfile:1' (engines that cannot pull the frontend).",
)
@click.option(
    "--check-platforms",
    "check_only",
    is_flag=True,
    help="Only check that every locked dependency has a wheel for each --platform "
    "(default linux/amd64,linux/arm64); build nothing. Exit 1 when one cannot install.",
)
def build_command(
    path: str,
    tag: str | None,
    dockerfile: str | None,
    platforms: tuple[str, ...],
    output: str | None,
    push: bool,
    cache_from: tuple[str, ...],
    cache_to: tuple[str, ...],
    builder: str | None,
    user_build_args: tuple[str, ...],
    secrets: tuple[str, ...],
    user_labels: tuple[str, ...],
    dry_run: bool,
    reproducible: bool,
    allow_stale_lock: bool,
    fresh_plan: bool,
    target: str | None,
    engine: str | None,
    no_cache: bool,
    index_url: str | None,
    network: str | None,
    progress: str,
    strategy: str | None,
    python: str | None,
    manager: str | None,
    start: str | None,
    port: int | None,
    process: str | None,
    package: str | None,
    runtime: str | None,
    programs: str | None,
    no_syntax: bool,
    check_only: bool,
) -> int:
    """Build the planned Dockerfile with BuildKit through the Docker CLI (or with Podman/Buildah)."""
    if Path(path).is_file() and "dockerfile" in Path(path).name.lower():  # `build Dockerfile.prod`
        raise ConfigError(
            f"{path}: not a directory: PATH is the project's folder; give a Dockerfile with --file"
        )
    planning: dict[str, Any] = {  # api.BUILD_PLANNING: a kept plan's options (init keeps them too)
        "strategy": strategy,
        "python": python,
        "manager": manager,
        "start": start,
        "port": port,
        "process": process,
        "package": package,
        "runtime": runtime,
        "programs": programs,
        "syntax_directive": False if no_syntax else None,
    }
    if check_only:
        report = api.check_platforms(
            path, platforms or ("linux/amd64", "linux/arm64"), index_url=index_url, **planning
        )
        for line in platform_lines(report):
            click.echo(line)
        return EXIT_FINDINGS if report.errors() else EXIT_OK
    from dockwright.build import BuildOptions, key_values

    options = BuildOptions(
        push=push,
        cache_from=cache_from,
        cache_to=cache_to,
        builder=builder,
        build_args=key_values(user_build_args, "--build-arg"),
        secrets=secrets,
        labels=key_values(user_labels, "--label"),
        dry_run=dry_run,
        reproducible=reproducible,
        dockerfile=dockerfile,
        allow_stale_lock=allow_stale_lock,
    )
    options.check()  # a bad spec or a missing --file before the plan
    if dry_run:
        image = api.build(
            path,
            tag=tag,
            platforms=platforms,
            output=output,
            target=target,
            no_cache=no_cache,
            index_url=index_url,
            network=network,
            on_warning=lambda message: click.echo(f"warning: {message}", err=True),
            build_options=options,
            fresh_plan=fresh_plan,
            **planning,
        )
        click.echo(shlex.join(image.extra["command"]))
        for argv in image.extra.get("then", ()):  # e.g. docker load + push after a reproducible export
            click.echo(shlex.join(argv))
        return EXIT_OK
    live = progress == "tty" or (progress == "auto" and sys.stdout.isatty())

    def run(on_step: Callable[[BuildStep], None]) -> Image:
        return api.build(
            path,
            tag=tag,
            platforms=platforms,  # api.build splits comma lists
            output=output,
            target=target,
            no_cache=no_cache,
            index_url=index_url,
            network=network,
            engine=engine,
            on_step=on_step,
            on_warning=lambda message: click.echo(f"warning: {message}", err=True),
            build_options=options,
            fresh_plan=fresh_plan,
            **planning,
        )

    if live:
        from rich.console import Console
        from rich.live import Live

        board = StepBoard()
        with Live(board.render(), console=Console(), refresh_per_second=8, transient=False) as display:

            def on_step(event: BuildStep) -> None:
                board.update(event)
                display.update(board.render())

            image = run(on_step)
    else:
        image = run(_plain)
    for note in image.extra.get("notes", ()):  # e.g. the kept root image (engine/root_image.py)
        click.echo(note)
    for warning in image.extra.get("warnings", ()):
        click.echo(f"warning: {warning}", err=True)
    cached = f", {len(image.cached_steps)} steps cached" if image.cached_steps else ""
    if push:
        click.echo(f"built and pushed {image.ref}{cached}")
    elif output:
        click.echo(f"built {image.ref} -> {output}{cached}")
    else:
        click.echo(f"built {image.ref}  {image.image_id}  {fmt_bytes(image.size)}{cached}")
    log_file = image.extra.get("log_file")
    if log_file:
        click.echo(f"full log: {log_file}")
    return EXIT_OK


COMMANDS: tuple[click.Command, ...] = (build_command,)
