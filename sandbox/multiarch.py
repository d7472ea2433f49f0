"""The containerd-store engine: a second Docker 26 for reproducible digests and the multi-arch leg.

Docker 26's default (classic) image store holds one platform per tag, cannot export OCI, and accepts
BuildKit's ``rewrite-timestamp`` only to ignore it (layers keep the build's mtimes). The containerd image
store does all three, so the sandbox starts a second dockerd 26 with it (own socket, data and exec roots)
whenever it runs its own engine, and exports ``DOCKWRIGHT_SANDBOX_CONTAINERD_HOST``. It holds the amd64
stand-in ``python:X.Y.Z-slim-<suite>`` of ``EXAMPLE``: tests/integration/test_reproducible.py builds it
there twice and compares digests.

The multi-arch leg (on by default; ``DOCKWRIGHT_SANDBOX_MULTIARCH=0`` leaves it out) turns that base
into an amd64+arm64 index: an arm64 root filesystem made from the amd64 one without running maintainer
scripts under emulation (sandbox/foreignroot.py: about 2 min cold, was 34 with ``mmdebstrap
--arch=arm64``), the arm64 packages its Dockerfile installs in the Debian mirror, the aarch64 wheels of
its lock in the PyPI index. Foreign ``RUN`` steps and containers run under qemu-user-static through
binfmt_misc (scripts/setup.sh installs qemu-user-static and binfmt-support); where binfmt_misc cannot be
mounted or the entry lacks the F flag the leg is left out, the reason is written to the state directory,
``sandbox env`` exports it as ``DOCKWRIGHT_SANDBOX_MULTIARCH_SKIPPED`` and the multi-arch test skips
with it. The index also goes to the sandbox registry, and ``DOCKWRIGHT_SANDBOX_MULTIARCH_HOST`` is
exported. Only ``EXAMPLE`` is built for both platforms (the smallest web example: its one compiled
dependency, markupsafe, has aarch64 wheels). A later ``sandbox up`` without the leg keeps the index.
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
MARKER = "dockwright.sandbox.multiarch"  # label: the stand-in root filesystem(s) an image was made from


def wanted() -> bool:
    return os.environ.get("DOCKWRIGHT_SANDBOX_MULTIARCH", "1") != "0"


def _reason_file(settings: Settings) -> Path:
    return settings.state / "multiarch-skipped"


def record_reason(settings: Settings, reason: str | None) -> None:
    """Why the last ``sandbox up`` left the leg out (None: it did not)."""
    if reason is None:
        _reason_file(settings).unlink(missing_ok=True)
    else:
        _reason_file(settings).parent.mkdir(parents=True, exist_ok=True)
        _reason_file(settings).write_text(reason)


def skipped_reason(settings: Settings) -> str:
    """Why the multi-arch leg is not ready, for the test's skip message."""
    if _reason_file(settings).exists():
        return _reason_file(settings).read_text().strip()
    return "`python -m sandbox up` has not made the amd64+arm64 base (its log says why)"


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


def _marker(settings: Settings, tag: str) -> str:
    """The stand-in root filesystems ``tag`` was made from in this engine ("" when absent)."""
    done = _docker(settings, "image", "inspect", "--format", "{{json .Config.Labels}}", tag, check=False)
    if done.returncode != 0:
        return ""
    labels = json.loads(done.stdout) or {}
    return str(labels.get(MARKER, ""))


def multiarch_ready(settings: Settings) -> bool:
    """Whether the engine holds an amd64+arm64 base (the multi-arch leg ran)."""
    if not answers(settings):
        return False
    done = _docker(
        settings, "image", "ls", "--filter", f"label={MARKER}", "--format", "{{.Repository}}:{{.Tag}}"
    )
    return any("+" in _marker(settings, tag) for tag in done.stdout.split())


def ensure_amd64_base(settings: Settings, tag: str, amd64: Path, changes: tuple[str, ...]) -> None:
    """``tag`` in the containerd-store engine for amd64 (kept as it is when an index already holds it)."""
    if _marker(settings, tag).split("+")[0] == amd64.stem:
        log(f"containerd engine: cached {tag}")
        return
    command = ["import", "--platform", PLATFORMS[0]]
    for change in (*changes, f"LABEL {MARKER}={amd64.stem}"):
        command += ["--change", change]
    _docker(settings, *command, str(amd64), tag)
    log(f"containerd engine: {tag} ({PLATFORMS[0]})")


def ensure_base(settings: Settings, tag: str, amd64: Path, arm64: Path, changes: tuple[str, ...]) -> None:
    """``tag`` as an amd64+arm64 index in the containerd-store engine, and in the open registry."""
    registry = f"127.0.0.1:{settings.registry_port}"
    remote = f"{registry}/{tag}"
    marker = f"{amd64.stem}+{arm64.stem}"
    if _marker(settings, tag) == marker:
        log(f"multi-arch: cached {tag} ({', '.join(PLATFORMS)})")
        return
    parts = []
    for platform, tarball in zip(PLATFORMS, (amd64, arm64), strict=True):
        part = f"{remote}-{platform.split('/')[1]}"
        command = ["import", "--platform", platform]
        for change in (*changes, f"LABEL {MARKER}={marker}"):
            command += ["--change", change]
        _docker(settings, *command, str(tarball), part)
        _docker(settings, "push", "--quiet", part)
        parts.append(part)
    _docker(settings, "buildx", "imagetools", "create", "--tag", remote, *parts)
    for platform in PLATFORMS:
        _docker(settings, "pull", "--quiet", "--platform", platform, remote)
    _docker(settings, "tag", remote, tag)
    log(f"multi-arch: {tag} = {remote} ({', '.join(PLATFORMS)})")
