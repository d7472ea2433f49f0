"""Processes the sandbox runs: the engine (only when none answers) and two static HTTP servers."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from sandbox.config import DOCKER, Settings, log


def _pidfile(settings: Settings, name: str) -> Path:
    return settings.state / f"{name}.pid"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except OSError:
        return False
    return True


def _start(settings: Settings, name: str, argv: list[str], log_name: str) -> int:
    settings.state.mkdir(parents=True, exist_ok=True)
    with (settings.state / log_name).open("ab") as out:
        process = subprocess.Popen(
            argv, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True
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
    for _ in range(100):
        if not _alive(pid):
            break
        time.sleep(0.2)
    else:
        os.kill(pid, signal.SIGKILL)
    log(f"stopped {name} (pid {pid})")
    return True


def engine_answers() -> bool:
    try:
        done = subprocess.run(
            [DOCKER, "info", "--format", "{{.ServerVersion}}"], capture_output=True, timeout=20
        )
    except (OSError, subprocess.TimeoutExpired):
        return False
    return done.returncode == 0


def ensure_engine(settings: Settings) -> bool:
    """Reuse an engine that answers, else start ``dockerd``; True when this call started it."""
    if engine_answers():
        log("engine: a Docker engine answers; reusing it")
        return False
    dockerd = next((p for p in ("/usr/sbin/dockerd", "/usr/bin/dockerd") if Path(p).exists()), None)
    if dockerd is None:
        raise SystemExit(
            "sandbox: no dockerd found; install Debian's docker.io (apt-get install -y docker.io)"
        )
    pid = _start(settings, "dockerd", [dockerd], "dockerd.log")
    log(f"engine: started dockerd (pid {pid})")
    for _ in range(120):
        if engine_answers():
            return True
        time.sleep(0.5)
    raise SystemExit(f"sandbox: dockerd did not answer within 60 s; see {settings.state / 'dockerd.log'}")


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return bool(response.status == 200)
    except OSError:
        return False


def ensure_server(settings: Settings, name: str, directory: Path, port: int, probe: str) -> bool:
    """Serve ``directory`` on 127.0.0.1:port unless something already does; True when this call started it."""
    url = f"http://127.0.0.1:{port}/{probe}"
    if _answers(url):
        log(f"{name}: already serving on 127.0.0.1:{port}")
        return False
    argv = [
        sys.executable,
        "-m",
        "http.server",
        str(port),
        "--bind",
        "127.0.0.1",
        "--directory",
        str(directory),
    ]
    _start(settings, name, argv, f"{name}.log")
    for _ in range(50):
        if _answers(url):
            log(f"{name}: serving {directory} on 127.0.0.1:{port}")
            return True
        time.sleep(0.1)
    raise SystemExit(f"sandbox: {name} did not start on port {port}; see {settings.state / (name + '.log')}")
