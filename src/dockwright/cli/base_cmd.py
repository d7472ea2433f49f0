"""`dockwright base build`: argument parsing and printing only (logic in dockwright.api.base_build)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from dockwright import api
from dockwright.cli.help_examples import epilog
from dockwright.errors import EXIT_OK
from dockwright.output import fmt_bytes, step_label

if TYPE_CHECKING:
    from dockwright.engine.base import BuildStep


@click.group("base")
def base_group() -> None:
    """The trimmed runtime base as an image of its own, for runtime-base = "image:REF"."""


def _plain(event: BuildStep) -> None:
    if event.state in ("started", "cached", "error"):
        click.echo(f"{event.state:>7}  {step_label(event.name)}", err=True)


@base_group.command("build", epilog=epilog("base build"))
@click.argument("path", default=".", type=click.Path())  # checked by the planner, as plan/init do
@click.option("--python", metavar="X.Y[.Z]", help="Python of the base (default: the project's at PATH).")
@click.option(
    "--debian", metavar="SUITE", help="Debian suite of python:X.Y.Z-slim-<suite> (default: newest)."
)
@click.option(
    "--uid", type=int, help="UID/GID of the app user the base carries (default: the project's, 10001)."
)
@click.option(
    "--tag",
    "-t",
    metavar="REF",
    help="REGISTRY/NAME[:TAG] (default tag: <X.Y.Z>-slim-<suite>-uid<UID>; default name: python-trimmed).",
)
@click.option("--push", is_flag=True, help="Push the tag to its registry and print the digest-pinned REF.")
@click.option("--no-cache", is_flag=True, help="Do not use BuildKit's cache.")
@click.option("--network", metavar="NAME", help="Network for the RUN step (e.g. host).")
@click.option(
    "--engine",
    type=click.Choice(["auto", "docker", "podman"]),
    default=None,
    help="Container engine (default: DOCKWRIGHT_ENGINE, else docker when it answers, else podman).",
)
def base_build_command(
    path: str,
    python: str | None,
    debian: str | None,
    uid: int | None,
    tag: str | None,
    push: bool,
    no_cache: bool,
    network: str | None,
    engine: str | None,
) -> int:
    """Build python:X.Y.Z-slim-<suite> trimmed (no pip, setuptools, wheel, ensurepip wheels, C headers; the
    UID user made) as one layer FROM scratch, the same root `init`'s Dockerfile trims in its `base` stage.
    Prints the reference for [tool.dockwright] runtime-base = "image:REF" (digest-pinned with --push)."""
    built = api.base_build(
        path,
        python=python,
        debian=debian,
        uid=uid,
        tag=tag,
        push=push,
        no_cache=no_cache,
        network=network,
        engine=engine,
        on_step=_plain,
    )
    image = built.image
    what = "built and pushed" if built.pushed else "built"
    click.echo(
        f"{what} {image.ref} from {built.base.upstream} ({fmt_bytes(image.size)})"
        if image.size
        else f"{what} {image.ref}",
        err=True,
    )
    if not built.pushed:
        click.echo(
            "not pushed: --push (with a registry in --tag) prints the digest-pinned reference", err=True
        )
    click.echo(f'runtime-base = "image:{built.reference}"')
    return EXIT_OK


COMMANDS: tuple[click.Command, ...] = (base_group,)
