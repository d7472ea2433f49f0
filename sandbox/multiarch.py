"""The multi-arch leg: linux/arm64 RUN steps under qemu, on a second Docker 26 (containerd image store).

Docker 26's default (classic) image store holds one platform per tag, so a multi-platform build cannot
even resolve ``FROM python:…`` for arm64 there. The containerd image store holds an OCI index per tag:
the sandbox starts a second dockerd 26 with it (own socket, data and exec roots) and puts there the
example's ``python:X.Y.Z-slim-<suite>`` index of the amd64 stand-in and an arm64 one
(``mmdebstrap --arch=arm64``, maintainer scripts under qemu-user-static via binfmt_misc). The index also
goes to the sandbox registry.

Only ``EXAMPLE`` is built for both platforms (the smallest web example: its one compiled dependency,
markupsafe, has aarch64 wheels): the PyPI index gets its aarch64 wheels and the Debian mirror the arm64
packages its Dockerfile installs. The leg is heavy (a cold arm64 root filesystem takes minutes under
qemu), so it is opt-in: ``DOCKWRIGHT_SANDBOX_MULTIARCH=1``.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

from sandbox.config import Settings, docker_client, log

EXAMPLE = "flask-requirements"
PLATFORMS = ("linux/amd64", "linux/arm64")
BINFMT = Path("/proc/sys/fs/binfmt_misc")


def wanted() -> bool:
    return os.environ.get("DOCKWRIGHT_SANDBOX_MULTIARCH", "0") == "1"


def socket(settings: Settings) -> Path:
    return settings.engine / "multiarch" / "docker.sock"


def docker_host(settings: Settings) -> str:
    return f"unix://{socket(settings)}"


def ensure_binfmt() -> str | None:
    """Let the kernel run arm64 binaries through qemu-user-static; why not, else None."""
    if not (BINFMT / "status").exists():
        done = subprocess.run(["mount", "-t", "binfmt_misc", "binfmt_misc", str(BINFMT)], capture_output=True)
        if done.returncode != 0:
            return f"cannot mount binfmt_misc: {done.stderr.decode().strip()}"
    entry = BINFMT / "qemu-aarch64"
    if not entry.exists() or "enabled" not in entry.read_text():
        subprocess.run(["update-binfmts", "--enable", "qemu-aarch64"], capture_output=True)
    if not entry.exists():
        return "no qemu-aarch64 binfmt entry (apt-get install qemu-user-static binfmt-support)"
    text = entry.read_text()
    if "enabled" not in text.splitlines()[0]:
        return "the qemu-aarch64 binfmt entry is disabled (update-binfmts --enable qemu-aarch64)"
    flags = next((line.split(":", 1)[1] for line in text.splitlines() if line.startswith("flags:")), "")
    if "F" not in flags:
        return "qemu-aarch64 is registered without the F flag: containers cannot reach the interpreter"
    return None


def _docker(settings: Settings, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DOCKER_HOST": docker_host(settings)}
    return subprocess.run([docker_client(), *args], capture_output=True, text=True, env=env, check=check)


def answers(settings: Settings) -> bool:
    if not socket(settings).exists():
        return False
    try:
        return _docker(settings, "version", check=False).returncode == 0
    except OSError:  # no client installed
        return False


def dockerd_command(settings: Settings, root: Path) -> tuple[list[str], dict[str, str]]:
    from sandbox import engine

    argv, env = engine.dockerd_command(settings, root)
    state = settings.engine / "multiarch"
    state.mkdir(parents=True, exist_ok=True)
    config = state / "daemon.json"
    config.write_text(json.dumps({"features": {"containerd-snapshotter": True}}))
    replaced = {
        "--host": docker_host(settings),
        "--data-root": str(state / "data-root"),
        "--exec-root": str(state / "exec-root"),
        "--pidfile": str(state / "dockerd.pid"),
    }
    out = [argv[0], "--config-file", str(config)]
    rest = argv[1:]
    while rest:
        flag = rest.pop(0)
        if flag in replaced:
            out += [flag, replaced[flag]]
            rest.pop(0)
        else:
            out.append(flag)
    return out, env


def ensure_base(settings: Settings, tag: str, amd64: Path, arm64: Path, changes: tuple[str, ...]) -> None:
    """``tag`` as an amd64+arm64 index in the multi-arch engine, and in the open registry."""
    registry = f"127.0.0.1:{settings.registry_port}"
    remote = f"{registry}/{tag}"
    marker = f"{amd64.stem}+{arm64.stem}"
    done = _docker(settings, "image", "inspect", "--format", "{{json .Config.Labels}}", tag, check=False)
    if done.returncode == 0 and marker in done.stdout:
        log(f"multi-arch: cached {tag} ({', '.join(PLATFORMS)})")
        return
    parts = []
    for platform, tarball in zip(PLATFORMS, (amd64, arm64), strict=True):
        part = f"{remote}-{platform.split('/')[1]}"
        command = ["import", "--platform", platform]
        for change in (*changes, f"LABEL dockwright.sandbox.multiarch={marker}"):
            command += ["--change", change]
        _docker(settings, *command, str(tarball), part)
        _docker(settings, "push", "--quiet", part)
        parts.append(part)
    _docker(settings, "buildx", "imagetools", "create", "--tag", remote, *parts)
    for platform in PLATFORMS:
        _docker(settings, "pull", "--quiet", "--platform", platform, remote)
    _docker(settings, "tag", remote, tag)
    log(f"multi-arch: {tag} = {remote} ({', '.join(PLATFORMS)})")
