"""``python -m sandbox up|down|status|env`` — see the package docstring and README's "Test sandbox"."""

from __future__ import annotations

import argparse
import shlex
import sys
import tempfile
import time
from pathlib import Path

from sandbox import (
    bridge,
    debmirror,
    engine,
    images,
    inputs,
    multiarch,
    npmproxy,
    podman,
    privateindex,
    pypi,
    registry,
    rootless,
    services,
)
from sandbox.config import SUITES, Settings, client_environment, docker_client, log, settings, suite_of

SERVICES = (
    "registry",
    "registry-auth",
    "pypi-index",
    "private-index",
    "npm-registry",
    "debian-mirror",
    "debian-mirror-trixie",
    "dockerd-multiarch",
    "dockerd",
)


ROOTLESS_PAUSE = "rootless-podman-pause"  # not a pidfile service: rootless.stop_pause finds it


def _mirror_service(suite: str) -> str:
    return "debian-mirror" if suite == "bookworm" else f"debian-mirror-{suite}"


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
    if engine.wanted():
        engine.install(config)
    client_environment()
    if services.ensure_engine(config):
        note("dockerd")
    mark = step("engine", started)
    with tempfile.TemporaryDirectory(prefix="dockwright-sandbox-") as scratch:
        needs = inputs.collect(Path(scratch))
        log(
            f"needs: {len(needs.images)} images, "
            + ", ".join(f"{len(p)} Debian packages on {name}" for name, p in needs.apt.items())
            + ", "
            f"{len(needs.requirement_files)} lock files"
        )
        mark = step("needs", mark)
        # the multi-arch leg needs qemu through binfmt_misc; without it nothing arm64 is fetched either
        if not multiarch.wanted():
            reason: str | None = "DOCKWRIGHT_SANDBOX_MULTIARCH=0 left it out"
        elif not engine.wanted():
            reason = "the host's engine has no containerd image store (DOCKWRIGHT_SANDBOX_ENGINE=host)"
        else:
            reason = multiarch.ensure_binfmt()
        if reason and multiarch.wanted():
            log(f"multi-arch: left out ({reason}); the multi-arch test skips, saying so")
        leg = reason is None
        # the multi-arch leg's arm64 packages go to the mirror of the suite its images are made from
        arm64_suites = (
            {s.name for s in map(suite_of, needs.multiarch_images) if s is not None} if leg else set()
        )
        mirrors = {
            name: debmirror.ensure_mirror(
                config,
                suite,
                set(needs.apt[name]),
                needs.multiarch_apt if name in arm64_suites else frozenset(),
            )
            for name, suite in SUITES.items()
        }
        mark = step("debian mirrors", mark)
        index = pypi.ensure_index(
            config, needs.requirement_files, needs.extra_requirements, needs.multiarch_locks if leg else ()
        )
        mark = step("pypi index", mark)
    for name, suite in SUITES.items():
        service = _mirror_service(name)
        if services.ensure_server(config, service, mirrors[name], config.port_of(suite), "Release"):
            note(service)
    if services.ensure_server(config, "pypi-index", index, config.pypi_port, "simple/"):
        note("pypi-index")
    private = privateindex.ensure_private_index(config.private_index)
    argv = [sys.executable, privateindex.__file__, str(config.private_index_port), str(private)]
    argv += [privateindex.USER, privateindex.PASSWORD]
    if services.ensure_process(config, "private-index", argv, config.private_index_url(), accept=(401,)):
        note("private-index")
    if ensure_npm_registry(config):
        note("npm-registry")
    images.ensure_images(config, set(needs.images))
    mark = step("images", mark)
    podman.ensure_podman(config, set(needs.images))
    mark = step("podman images", mark)
    paused_before = rootless.pause_process() is not None
    rootless.ensure_rootless(config)
    if not paused_before and rootless.pause_process() is not None:
        note(ROOTLESS_PAUSE)  # the user's podman left its pause process running: down stops it
    mark = step("rootless podman", mark)
    for name in registry.ensure_registries(config):
        note(name)
    registry.push_base_images(config, images.present_tags())
    mark = step("registries", mark)
    if engine.wanted():
        for name in _containerd_engine(config, set(needs.multiarch_images), reason):
            note(name)
        step("containerd engine" + (" + multi-arch" if leg else ""), mark)
    log(f"up in {time.monotonic() - started:.0f} s")


def ensure_npm_registry(config: Settings) -> bool:
    """The npm registry proxy (sandbox/npmproxy.py) and the npmrc naming it with its token, which the
    tests pass as the frontend stage's ``npmrc`` secret; True when this call started the proxy."""
    config.npm.mkdir(parents=True, exist_ok=True)
    text = npmproxy.npmrc_text(config.npm_registry_url, npmproxy.TOKEN)
    if not config.npmrc.is_file() or config.npmrc.read_text() != text:
        scratch = config.npmrc.with_name(".npmrc.tmp")
        scratch.write_text(text)
        scratch.chmod(0o600)
        scratch.replace(config.npmrc)
    argv = [sys.executable, npmproxy.__file__, str(config.npm_port), str(config.npm), npmproxy.TOKEN]
    return services.ensure_process(config, "npm-registry", argv, config.npm_registry_url)


def _containerd_engine(config: Settings, bases: set[str], reason: str | None) -> list[str]:
    """The containerd-store engine with the example's bases (amd64; amd64+arm64 unless ``reason`` says
    why the multi-arch leg is left out); the services this call started."""
    started = []
    if not multiarch.answers(config):
        argv, environment = multiarch.dockerd_command(config, config.engine / "root")
        pid = services.start(config, "dockerd-multiarch", argv, "dockerd-multiarch.log", environment)
        for _ in range(120):
            if multiarch.answers(config):
                break
            time.sleep(0.5)
        else:
            raise SystemExit(f"sandbox: the containerd-store dockerd (pid {pid}) did not answer within 60 s")
        log(f"containerd engine: started dockerd 26 with the containerd image store (pid {pid})")
        started.append("dockerd-multiarch")
    for recipe in images.recipes_for(bases, config):
        (tag, changes), *_ = recipe.tags
        amd64 = images.rootfs(config, recipe)
        if reason is None:
            multiarch.ensure_base(config, tag, amd64, images.rootfs(config, recipe, "arm64"), changes)
        else:
            multiarch.ensure_amd64_base(config, tag, amd64, changes)
    multiarch.record_reason(config, None if multiarch.multiarch_ready(config) else reason)
    return started


def down(config: Settings, record: Path | None = None) -> None:
    """Stop what `up` started: everything with a pidfile, or with ``--record`` only what that `up` started."""
    names: tuple[str, ...] = (*SERVICES, ROOTLESS_PAUSE)
    if record is not None:
        listed = set(record.read_text().split()) if record.exists() else set()
        names = tuple(name for name in names if name in listed)
        if not names:
            log("down: this run started nothing; leaving the running sandbox alone")
    for name in names:
        if name == ROOTLESS_PAUSE:
            rootless.stop_pause()
        else:
            services.stop(config, name)
    if "dockerd" in names and engine.wanted():  # the bridge `up` made for the dockerd it started
        done = bridge.remove()
        if done:
            log(f"down: {done}")


def status(config: Settings, record: Path | None = None) -> None:
    client_environment()
    version = services.engine_version()
    answer = f"Docker {version} answers" if version else "not answering"
    started = config.state / "dockerd.pid"
    print(f"client:        {docker_client()}")
    print(
        f"engine:        {answer}"
        + (f" (dockerd pid {started.read_text()} started by the sandbox)" if started.exists() else "")
    )
    ports = [("pypi-index", config.pypi_port), ("private-index", config.private_index_port)]
    ports.append(("npm-registry", config.npm_port))
    ports += [(_mirror_service(name), config.port_of(suite)) for name, suite in SUITES.items()]
    for name, port in ports:
        pidfile = config.state / f"{name}.pid"
        running = f"pid {pidfile.read_text()}" if pidfile.exists() else "not started by the sandbox"
        print(f"{name + ':':21} port {port}, {running}")
    store = "answers at " + multiarch.docker_host(config) if multiarch.answers(config) else "not running"
    leg = "ready" if multiarch.multiarch_ready(config) else f"not ready ({multiarch.skipped_reason(config)})"
    print(f"containerd:    Docker 26 on the containerd image store {store}; multi-arch leg {leg}")
    for name, port in (("registry", config.registry_port), ("registry-auth", config.registry_auth_port)):
        pidfile = config.state / f"{name}.pid"
        running = f"pid {pidfile.read_text()}" if pidfile.exists() else "not started by the sandbox"
        print(f"{name + ':':21} 127.0.0.1:{port}, {running}")
    publish = (
        "-p publishes (default bridge)"
        if bridge.publishes(docker_client())
        else "no bridge: -p does not publish"
    )
    print(f"ports:         {publish}")
    print(f"cache:         {config.cache}")
    for tag in images.present_tags():
        print(f"image:         {tag}")


def env(config: Settings, record: Path | None = None) -> None:
    client = docker_client()
    print(f"export DOCKER={client}")
    print(f"export DOCKWRIGHT_DOCKER={client}")
    if client.startswith(str(config.engine)):  # the sandbox's Docker 26: its buildx plugin lives there
        print(f"export DOCKER_CONFIG={config.docker_config}")
    print("export DOCKER_BUILDKIT=1")
    print(f"export DOCKWRIGHT_SANDBOX_PYPI={config.pypi_url}")
    print(f"export DOCKWRIGHT_SANDBOX_PRIVATE_INDEX={config.private_index_url()}")
    print(f"export DOCKWRIGHT_SANDBOX_PRIVATE_INDEX_USER={privateindex.USER}")
    print(f"export DOCKWRIGHT_SANDBOX_PRIVATE_INDEX_PASSWORD={privateindex.PASSWORD}")
    print(f"export DOCKWRIGHT_SANDBOX_NPM_REGISTRY={config.npm_registry_url}")
    print(f"export DOCKWRIGHT_SANDBOX_NPMRC={config.npmrc}")
    print(f"export DOCKWRIGHT_SANDBOX_DEBIAN={config.deb_url}")
    print(f"export DOCKWRIGHT_SANDBOX_DEBIAN_TRIXIE={config.deb_url_of(SUITES['trixie'])}")
    print(f"export DOCKWRIGHT_SANDBOX_CACHE={config.cache}")
    print(f"export CONTAINERS_CONF={podman.containers_conf(config)}")
    if rootless.wrapper(config).exists():
        print(f"export DOCKWRIGHT_SANDBOX_ROOTLESS_PODMAN={rootless.wrapper(config)}")
    print(f"export DOCKWRIGHT_SANDBOX_REGISTRY=127.0.0.1:{config.registry_port}")
    print(f"export DOCKWRIGHT_SANDBOX_REGISTRY_AUTH=127.0.0.1:{config.registry_auth_port}")
    print(f"export DOCKWRIGHT_SANDBOX_REGISTRY_USER={registry.USER}")
    print(f"export DOCKWRIGHT_SANDBOX_REGISTRY_PASSWORD={registry.PASSWORD}")
    if multiarch.answers(config):
        print(f"export DOCKWRIGHT_SANDBOX_CONTAINERD_HOST={multiarch.docker_host(config)}")
        if multiarch.multiarch_ready(config):
            print(f"export DOCKWRIGHT_SANDBOX_MULTIARCH_HOST={multiarch.docker_host(config)}")
    if not multiarch.multiarch_ready(config):
        print(f"export DOCKWRIGHT_SANDBOX_MULTIARCH_SKIPPED={shlex.quote(multiarch.skipped_reason(config))}")
    # 1: the engine has a default bridge, so `docker run -p HOST:CONTAINER` publishes (sandbox/bridge.py)
    print(f"export DOCKWRIGHT_SANDBOX_PUBLISH={int(bridge.publishes(client))}")
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
