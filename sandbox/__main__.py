"""``python -m sandbox up|down|status|env`` — see the package docstring and README's "Test sandbox"."""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from sandbox import debmirror, images, inputs, podman, pypi, services
from sandbox.config import DOCKER, Settings, log, settings

SERVICES = ("pypi-index", "debian-mirror", "dockerd")


def up(config: Settings, record: Path | None = None) -> None:
    started = time.monotonic()
    mine: list[str] = []

    def note(name: str) -> None:
        # the record is rewritten at once, so that `down --record` also cleans up after a failed `up`
        mine.append(name)
        if record is not None:
            record.write_text("".join(f"{n}\n" for n in mine))

    def step(what: str, since: float) -> float:
        now = time.monotonic()
        log(f"{what} ready in {now - since:.1f} s")
        return now

    if record is not None:
        record.write_text("")
    if services.ensure_engine(config):
        note("dockerd")
    mark = step("engine", started)
    with tempfile.TemporaryDirectory(prefix="dockwright-sandbox-") as scratch:
        needs = inputs.collect(Path(scratch))
        log(
            f"needs: {len(needs.images)} images, {len(needs.apt)} Debian packages, "
            f"{len(needs.requirement_files)} lock files"
        )
        mark = step("needs", mark)
        mirror = debmirror.ensure_mirror(config, set(needs.apt))
        mark = step("debian mirror", mark)
        index = pypi.ensure_index(config, needs.requirement_files, needs.extra_requirements)
        mark = step("pypi index", mark)
    if services.ensure_server(config, "debian-mirror", mirror, config.deb_port, "Release"):
        note("debian-mirror")
    if services.ensure_server(config, "pypi-index", index, config.pypi_port, "simple/"):
        note("pypi-index")
    images.ensure_images(config, set(needs.images))
    mark = step("images", mark)
    podman.ensure_podman(config, set(needs.images))
    step("podman images", mark)
    log(f"up in {time.monotonic() - started:.0f} s")


def down(config: Settings, record: Path | None = None) -> None:
    """Stop what `up` started: everything with a pidfile, or with ``--record`` only what that `up` started."""
    names: tuple[str, ...] = SERVICES
    if record is not None:
        listed = set(record.read_text().split()) if record.exists() else set()
        names = tuple(name for name in SERVICES if name in listed)
        if not names:
            log("down: this run started nothing; leaving the running sandbox alone")
    for name in names:
        services.stop(config, name)


def status(config: Settings, record: Path | None = None) -> None:
    engine = "answers" if services.engine_answers() else "not answering"
    started = config.state / "dockerd.pid"
    print(
        f"engine:        {engine}"
        + (f" (dockerd pid {started.read_text()} started by the sandbox)" if started.exists() else "")
    )
    for name, port in (("pypi-index", config.pypi_port), ("debian-mirror", config.deb_port)):
        pidfile = config.state / f"{name}.pid"
        running = f"pid {pidfile.read_text()}" if pidfile.exists() else "not started by the sandbox"
        print(f"{name + ':':14} port {port}, {running}")
    print(f"cache:         {config.cache}")
    for tag in images.present_tags():
        print(f"image:         {tag}")


def env(config: Settings, record: Path | None = None) -> None:
    print(f"export DOCKER={DOCKER}")
    print(f"export DOCKWRIGHT_DOCKER={DOCKER}")
    print("export DOCKER_BUILDKIT=1")
    print(f"export DOCKWRIGHT_SANDBOX_PYPI={config.pypi_url}")
    print(f"export DOCKWRIGHT_SANDBOX_DEBIAN={config.deb_url}")
    print(f"export DOCKWRIGHT_SANDBOX_CACHE={config.cache}")
    print(f"export CONTAINERS_CONF={podman.containers_conf(config)}")
    print("export DOCKWRIGHT_SANDBOX=1")


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m sandbox", description=__doc__)
    parser.add_argument("command", choices=("up", "down", "status", "env"))
    parser.add_argument(
        "--record",
        type=Path,
        help="up: write the services this run started to FILE; down: stop only those (as .ci/run does)",
    )
    arguments = parser.parse_args()
    commands = {"up": up, "down": down, "status": status, "env": env}
    commands[arguments.command](settings(), arguments.record)


if __name__ == "__main__":
    main()
