"""Processes the sandbox runs: the engine (only when none answers) and the static HTTP servers."""

from __future__ import annotations

import http.client
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from sandbox import bridge, engine, fileserver
from sandbox.config import Settings, docker_client, log


def _pidfile(settings: Settings, name: str) -> Path:
    return settings.state / f"{name}.pid"


def _alive(pid: int) -> bool:
    try:  # a child of this process that exited stays a zombie (and "alive" to kill) until reaped
        if os.waitpid(pid, os.WNOHANG)[0] == pid:
            return False
    except ChildProcessError:
        pass  # not our child
    try:
        os.kill(pid, 0)
    except OSError:
        return False
    return True


def start(
    settings: Settings, name: str, argv: list[str], log_name: str, env: dict[str, str] | None = None
) -> int:
    settings.state.mkdir(parents=True, exist_ok=True)
    with (settings.state / log_name).open("ab") as out:
        process = subprocess.Popen(
            argv,
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
            env=env,
        )
    _pidfile(settings, name).write_text(str(process.pid))
    return process.pid


def stop(settings: Settings, name: str) -> bool:
    """Stop a process this sandbox started (by its pidfile); never touch anything else."""
    pidfile = _pidfile(settings, name)
    if not pidfile.exists():
        return False
    pid = int(pidfile.read_text())
    pidfile.unlink()
    if not _alive(pid):
        return False
    os.kill(pid, signal.SIGTERM)
    for _ in range(400):
        if not _alive(pid):
            break
        time.sleep(0.05)
    else:
        os.kill(pid, signal.SIGKILL)
    log(f"stopped {name} (pid {pid})")
    return True


def engine_version() -> str | None:
    """The answering engine's version (``DOCKER_HOST`` or the default socket), else None."""
    try:
        done = subprocess.run(
            [docker_client(), "version", "--format", "{{.Server.Version}}"],
            capture_output=True,
            text=True,
            timeout=20,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    return done.stdout.strip() or None if done.returncode == 0 else None


def engine_answers() -> bool:
    return engine_version() is not None


def ensure_engine(settings: Settings) -> bool:
    """Reuse an engine that answers, else start one; True when this call started it.

    The sandbox starts trixie's dockerd 26 (installed by :func:`sandbox.engine.install`) on its own data
    and exec roots, on the sandbox's own bridge (:mod:`sandbox.bridge`), or on none when that bridge cannot
    be made or dockerd does not start on it; with ``DOCKWRIGHT_SANDBOX_ENGINE=host`` the host's ``dockerd``.
    """
    version = engine_version()
    if version is not None:
        log(f"engine: Docker {version} answers; reusing it")
        if int(version.split(".")[0]) < 26:
            log(
                f"engine: {version} is older than the suite's reference engine (Docker 26 with buildx); "
                "tests of features it lacks say so and skip"
            )
        return False
    if not engine.wanted():
        dockerd = next((p for p in ("/usr/sbin/dockerd", "/usr/bin/dockerd") if Path(p).exists()), None)
        if dockerd is None:
            raise SystemExit(
                "sandbox: no dockerd found; install Debian's docker.io (apt-get install -y docker.io)"
            )
        return _launch(settings, [dockerd], dict(os.environ), required=True)
    root = settings.engine / "root"
    reason = bridge.ensure()
    if reason is None:
        argv, env = engine.dockerd_command(settings, root, bridge.NAME)
        _note(engine.forget_networks_of_another_bridge(settings, bridge.NAME))
        if _launch(settings, argv, env, required=False):
            log(f"engine: containers on bridge {bridge.NAME} ({bridge.ADDRESS}); -p publishes ports")
            return True
        reason = f"dockerd did not start on bridge {bridge.NAME} (see {settings.state / 'dockerd.log'})"
        stop(settings, "dockerd")
        bridge.remove()
    log(f"engine: no bridge ({reason}); --bridge=none, containers need --network host, publishing tests skip")
    argv, env = engine.dockerd_command(settings, root)
    _note(engine.forget_networks_of_another_bridge(settings, None))
    return _launch(settings, argv, env, required=True)


def _note(message: str | None) -> None:
    if message:
        log(message)


def _launch(settings: Settings, argv: list[str], env: dict[str, str], *, required: bool) -> bool:
    """Start dockerd and wait until it answers: True; if it exits or stays silent 60 s, stop (``required``)
    or return False so the caller can fall back."""
    pid = start(settings, "dockerd", argv, "dockerd.log", env)
    log(f"engine: started {argv[0]} (pid {pid})")
    for _ in range(120):
        version = engine_version()
        if version is not None:
            log(f"engine: Docker {version} answers")
            return True
        if not _alive(pid):
            break
        time.sleep(0.5)
    if required:
        raise SystemExit(f"sandbox: dockerd did not answer within 60 s; see {settings.state / 'dockerd.log'}")
    return False


def _answers(url: str, accept: tuple[int, ...] = (200,)) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return int(response.status) in accept
    except urllib.error.HTTPError as error:
        return error.code in accept
    except OSError:
        return False


def ensure_process(
    settings: Settings, name: str, argv: list[str], probe: str, accept: tuple[int, ...] = (200,)
) -> bool:
    """Run ``argv`` unless ``probe`` already answers (in HTTP/1.1: an older ``up``'s HTTP/1.0 server is
    replaced); True when this call started it."""
    if _answers(probe, accept) and not _replace_old_server(settings, name, probe):
        log(f"{name}: already serving at {probe}")
        return False
    pid = start(settings, name, argv, f"{name}.log")
    for _ in range(200):
        if _answers(probe, accept):
            log(f"{name}: serving at {probe} (pid {pid})")
            return True
        if not _alive(pid):
            break
        time.sleep(0.05)
    raise SystemExit(f"sandbox: {name} did not answer at {probe}; see {settings.state / (name + '.log')}")


def _speaks_http11(url: str) -> bool:
    """Whether the server at ``url`` answers (any status) in HTTP/1.1; ``http.server`` says HTTP/1.0."""
    parts = urllib.parse.urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port, timeout=2)
    try:
        connection.request("HEAD", parts.path or "/")
        return connection.getresponse().version == 11
    except OSError:
        return False
    finally:
        connection.close()


def _replace_old_server(settings: Settings, name: str, url: str) -> bool:
    """Stop an HTTP/1.0 server an older ``up`` started for ``name`` (True), to start its successor at
    once; False when ``url`` is served in HTTP/1.1 already or by something this sandbox did not start."""
    if _speaks_http11(url):
        return False
    if not stop(settings, name):
        log(f"{name}: an HTTP/1.0 server this sandbox did not start serves {url}; kept")
        return False
    log(f"{name}: replaced the HTTP/1.0 server with an HTTP/1.1 keep-alive one")
    return True


def ensure_server(settings: Settings, name: str, directory: Path, port: int, probe: str) -> bool:
    """Serve ``directory`` on 127.0.0.1:port unless something already does; True when this call started it.

    An HTTP/1.0 ``http.server`` an older ``up`` started (its pidfile names it) is replaced in place by
    sandbox/fileserver.py: stopped and started again at once (well under a second without an answer).
    """
    url = f"http://127.0.0.1:{port}/{probe}"
    if _answers(url) and not _replace_old_server(settings, name, url):
        log(f"{name}: already serving on 127.0.0.1:{port}")
        return False
    argv = [sys.executable, str(Path(fileserver.__file__)), str(port), str(directory)]
    start(settings, name, argv, f"{name}.log")
    for _ in range(100):
        if _answers(url):
            log(f"{name}: serving {directory} on 127.0.0.1:{port}")
            return True
        time.sleep(0.05)
    raise SystemExit(f"sandbox: {name} did not start on port {port}; see {settings.state / (name + '.log')}")
