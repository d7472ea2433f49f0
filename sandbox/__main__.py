"""``python -m sandbox up|down|status|env`` — see the package docstring and README's "Test sandbox"."""

from __future__ import annotations

import argparse
import time

from sandbox import debmirror, images, inputs, pypi, services
from sandbox.config import DOCKER, Settings, log, settings


def up(config: Settings) -> None:
    started = time.monotonic()
    services.ensure_engine(config)
    needs = inputs.collect()
    log(
        f"needs: {len(needs.images)} images, {len(needs.apt)} Debian packages, "
        f"{len(needs.requirement_files)} lock files"
    )
    mirror = debmirror.ensure_mirror(config, set(needs.apt))
    index = pypi.ensure_index(config, needs.requirement_files, needs.extra_requirements)
    services.ensure_server(config, "debian-mirror", mirror, config.deb_port, "Release")
    services.ensure_server(config, "pypi-index", index, config.pypi_port, "simple/")
    images.ensure_images(config, set(needs.images))
    log(f"up in {time.monotonic() - started:.0f} s")


def down(config: Settings) -> None:
    for name in ("pypi-index", "debian-mirror", "dockerd"):
        services.stop(config, name)


def status(config: Settings) -> None:
    print(f"engine:        {'answers' if services.engine_answers() else 'not answering'}")
    for name, port in (("pypi-index", config.pypi_port), ("debian-mirror", config.deb_port)):
        pidfile = config.state / f"{name}.pid"
        running = f"pid {pidfile.read_text()}" if pidfile.exists() else "not started by the sandbox"
        print(f"{name + ':':14} port {port}, {running}")
    print(f"cache:         {config.cache}")


def env(config: Settings) -> None:
    print(f"export DOCKWRIGHT_DOCKER={DOCKER}")
    print("export DOCKER_BUILDKIT=1")
    print(f"export DOCKWRIGHT_SANDBOX_PYPI={config.pypi_url}")
    print(f"export DOCKWRIGHT_SANDBOX_DEBIAN={config.deb_url}")
    print("export DOCKWRIGHT_SANDBOX=1")


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m sandbox", description=__doc__)
    parser.add_argument("command", choices=("up", "down", "status", "env"))
    command = parser.parse_args().command
    {"up": up, "down": down, "status": status, "env": env}[command](settings())


if __name__ == "__main__":
    main()
