"""The Docker engine users have (Debian trixie's Docker 26 + buildx), installed from pinned .debs.

The .debs come from Debian's archive (``data/engine.toml``: version, pool path and sha256 copied from the
trixie Packages index) and are unpacked with ``dpkg-deb -x`` under the sandbox cache, so nothing on the host
changes: no apt, no systemd unit. runc comes from the host (trixie's needs glibc 2.38; bookworm's serves).

The client gets its own ``DOCKER_CONFIG`` holding ``cli-plugins/docker-buildx``; ``sandbox env`` exports it.
``DOCKWRIGHT_SANDBOX_ENGINE=host`` skips all this and uses the host's docker.io (e.g. bookworm's 20.10).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from sandbox.config import Settings, log

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

DATA = Path(__file__).resolve().parent / "data" / "engine.toml"
RUNC_HINT = "apt-get install -y runc (bookworm's runc serves the trixie engine)"


@dataclass(frozen=True)
class Pin:
    name: str
    version: str
    filename: str
    sha256: str


def pins() -> tuple[str, tuple[Pin, ...]]:
    """The archive URL (overridable) and the pinned packages."""
    data = tomllib.loads(DATA.read_text())
    mirror = os.environ.get("DOCKWRIGHT_SANDBOX_ENGINE_MIRROR", data["mirror"]).rstrip("/")
    return mirror, tuple(Pin(**package) for package in data["package"])


def wanted() -> bool:
    """Whether the sandbox installs and runs its own engine (else the host's docker.io)."""
    choice = os.environ.get("DOCKWRIGHT_SANDBOX_ENGINE", "trixie")
    if choice not in ("trixie", "host"):
        raise SystemExit(f"sandbox: DOCKWRIGHT_SANDBOX_ENGINE={choice!r}: use 'trixie' (default) or 'host'")
    return choice == "trixie"


def _stamp(packages: tuple[Pin, ...]) -> str:
    return hashlib.sha256("\n".join(p.sha256 for p in packages).encode()).hexdigest()


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _download(url: str, target: Path, sha256: str) -> None:
    if target.exists() and _sha256(target) == sha256:
        return
    partial = target.with_suffix(".partial")
    try:
        with urllib.request.urlopen(url, timeout=60) as response, partial.open("wb") as out:
            shutil.copyfileobj(response, out, 1 << 20)
    except urllib.error.HTTPError as error:
        raise SystemExit(
            f"sandbox: {url}: HTTP {error.code}; the pin in {DATA.name} is gone from the archive - "
            "copy Version/Filename/SHA256 from the current trixie Packages index"
        ) from error
    except OSError as error:
        raise SystemExit(f"sandbox: cannot download {url}: {error}") from error
    actual = _sha256(partial)
    if actual != sha256:
        partial.unlink()
        raise SystemExit(f"sandbox: {url}: sha256 {actual} differs from the pinned {sha256}; not installed")
    partial.rename(target)


def install(settings: Settings) -> Path:
    """Download (verified) and unpack the pinned engine; return its root (``usr/bin/docker`` etc.)."""
    mirror, packages = pins()
    root = settings.engine / "root"
    stamp = _stamp(packages)
    if (root / ".stamp").exists() and (root / ".stamp").read_text() == stamp:
        log(f"engine: trixie Docker cached ({_versions(packages)})")
    else:
        debs = settings.engine / "debs"
        debs.mkdir(parents=True, exist_ok=True)
        partial = settings.engine / "root.partial"
        shutil.rmtree(partial, ignore_errors=True)
        for package in packages:
            target = debs / Path(package.filename).name
            log(f"engine: {package.name} {package.version}")
            _download(f"{mirror}/{package.filename}", target, package.sha256)
            subprocess.run(["dpkg-deb", "-x", str(target), str(partial)], check=True)
        (partial / ".stamp").write_text(stamp)
        shutil.rmtree(root, ignore_errors=True)
        partial.rename(root)
        log(f"engine: installed {_versions(packages)} under {root}")
    plugins = settings.docker_config / "cli-plugins"
    plugins.mkdir(parents=True, exist_ok=True)
    link = plugins / "docker-buildx"
    link.unlink(missing_ok=True)
    link.symlink_to(root / "usr" / "libexec" / "docker" / "cli-plugins" / "docker-buildx")
    # other clients that read DOCKER_CONFIG (podman, skopeo) stat its config.json: give them an empty one
    config = settings.docker_config / "config.json"
    if not config.exists():
        config.write_text("{}\n")
    return root


def _versions(packages: tuple[Pin, ...]) -> str:
    return ", ".join(f"{p.name} {p.version}" for p in packages)


def client(settings: Settings) -> Path:
    return settings.engine / "root" / "usr" / "bin" / "docker"


def socket_path() -> str:
    """The unix socket the engine serves: DOCKER_HOST's when it names one, else Docker's default."""
    host = os.environ.get("DOCKER_HOST", "")
    if not host:
        return "/var/run/docker.sock"
    if host.startswith("unix://"):
        return host.removeprefix("unix://")
    raise SystemExit(
        f"sandbox: no engine answers DOCKER_HOST={host}, and the sandbox starts one only on a unix socket"
    )


def dockerd_command(
    settings: Settings, root: Path, bridge: str | None = None
) -> tuple[list[str], dict[str, str]]:
    """dockerd 26 on its own data/exec roots, never touching iptables; on ``bridge`` (the sandbox's own,
    :mod:`sandbox.bridge`: ``-p`` publishes through docker-proxy) or, without one, ``--bridge=none``
    (containers then need ``--network host``). Builds use ``--network host`` either way."""
    runc = shutil.which("runc", path="/usr/sbin:/usr/bin:/sbin:/bin")
    if runc is None:
        raise SystemExit(f"sandbox: no runc on this host; {RUNC_HINT}")
    state = settings.engine
    argv = [
        str(root / "usr" / "sbin" / "dockerd"),
        "--host",
        f"unix://{socket_path()}",
        "--data-root",
        str(state / "data-root"),
        "--exec-root",
        str(state / "exec-root"),
        "--pidfile",
        str(state / "dockerd.pid"),
        f"--bridge={bridge or 'none'}",
        "--iptables=false",
        "--ip6tables=false",
    ]
    # containerd and its shims from the trixie tree; runc (and docker-init's tini) from the host
    host = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
    path = f"{root / 'usr' / 'bin'}:{root / 'usr' / 'sbin'}:{host}"
    return argv, {**os.environ, "PATH": path}


def forget_networks_of_another_bridge(settings: Settings, bridge: str | None) -> str | None:
    """Before dockerd starts on ``bridge`` (None: ``--bridge=none``): if the last start used another setting,
    drop its network store, and say so; else None.

    dockerd keeps its default network in ``network/files/local-kv.db``: after a start on a bridge and
    one on none, it refuses the bridge again ("conflicts with network ...: networks have same bridge name")
    and the sandbox would fall back for good. The store holds only networks (none the tests keep).
    Engines from before the record ran on none.
    """
    wanted = bridge or "none"
    record = settings.engine / "bridge"
    previous = record.read_text().strip() if record.exists() else "none"
    record.parent.mkdir(parents=True, exist_ok=True)
    record.write_text(f"{wanted}\n")
    store = settings.engine / "data-root" / "network" / "files" / "local-kv.db"
    if previous == wanted or not store.exists():
        return None
    store.unlink()
    return f"engine: last started on bridge {previous}, now {wanted}: its network store reset ({store})"
