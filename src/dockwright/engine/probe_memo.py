"""The Docker client's BuildKit probe and the current builder's driver, kept between runs while what
decides them holds.

What it does: a build first asks ``docker buildx version`` (whether the client has buildx) and
``docker buildx inspect`` (the current builder's driver, which decides whether the kept root image can be
used). Each is a CLI run of ~0.1 s; side by side with the planning they cost nothing, but when the plan
is kept (a rebuild that changed no planned file: an edited template, a stylesheet, nothing at all) the
build waited for them: 0.31 s against 0.14 s for ``docker build`` (docs/lean.md, session 29). The two
answers are kept in ``$XDG_CACHE_HOME/dockwright/engine-probes.json`` (else ``~/.cache/...``), keyed by
everything that picks them:

- the environment that picks a client, a daemon, a context or a builder (``DOCKWRIGHT_DOCKER``,
  ``PATH``, ``DOCKER_HOST``, ``DOCKER_CONTEXT``, ``DOCKER_CONFIG``, ``BUILDX_BUILDER``, ``BUILDX_CONFIG``,
  ``HOME``);
- each candidate client as found on PATH: its real path, size and modification time;
- ``docker-buildx`` in every folder the CLI loads plugins from (size and time, or absent);
- the Docker configuration's ``config.json``, its contexts and buildx's state (the current builder and
  every builder instance), by content.

Any change asks both again. An entry is written only after a build with those answers succeeded, so a
wrong answer is never kept. ``DOCKWRIGHT_ENGINE_MEMO=off`` turns it off.

Why: a rebuild that plans nothing should cost little more than ``docker build``.

Example: ``dockwright build`` twice with nothing changed: the second asks neither question.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import stat
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from dockwright.switches import switched_off

FORMAT = 2  # 2: the buildx plugin's file
MAX_ENTRIES = 16
_ENVIRONMENT = (
    "DOCKWRIGHT_DOCKER",
    "PATH",
    "DOCKER_HOST",
    "DOCKER_CONTEXT",
    "DOCKER_CONFIG",
    "BUILDX_BUILDER",
    "BUILDX_CONFIG",
    "HOME",
)
# where the Docker CLI looks for plugins besides the configuration's cli-plugins folder (docker/cli
# cli-plugins/manager/manager_unix.go, defaultSystemPluginDirs)
_SYSTEM_PLUGIN_DIRS = (
    "/usr/local/lib/docker/cli-plugins",
    "/usr/local/libexec/docker/cli-plugins",
    "/usr/lib/docker/cli-plugins",
    "/usr/libexec/docker/cli-plugins",
)
_STATE_SKIPPED = frozenset({"activity", "refs", ".lock", ".buildNodeID"})  # rewritten by every build


def _path(environ: Mapping[str, str]) -> Path | None:
    if switched_off(environ.get("DOCKWRIGHT_ENGINE_MEMO")) or not hasattr(os, "getuid"):
        return None
    base = environ.get("XDG_CACHE_HOME") or str(Path("~").expanduser() / ".cache")
    return Path(base) / "dockwright" / "engine-probes.json"


def _file_row(path: Path) -> str:
    """A file's real path, size and modification time, or that it is absent."""
    try:
        found = path.stat()
    except OSError:
        return f"{path}:absent"
    return f"{path}:{path.resolve()}:{found.st_size}:{found.st_mtime_ns}"


def _content_row(path: Path) -> str:
    """A small file by content (its first MiB), or that it is absent."""
    try:
        with path.open("rb") as handle:
            return f"{path}:{hashlib.sha256(handle.read(1 << 20)).hexdigest()}"
    except OSError:
        return f"{path}:absent"


def _content_rows(folder: Path, depth: int = 3) -> list[str]:
    """Every regular file under ``folder`` by content (buildx's state skipped where each build rewrites
    it), at most ``depth`` folders down."""
    rows: list[str] = []
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError:
        return [f"{folder}:absent"]
    for entry in entries:
        if entry.name in _STATE_SKIPPED:
            continue
        if entry.is_dir(follow_symlinks=False):
            rows += _content_rows(Path(entry.path), depth - 1) if depth > 0 else [f"{entry.path}:deep"]
        elif entry.is_file(follow_symlinks=False):
            rows.append(_content_row(Path(entry.path)))
    return rows


def _plugin_dirs(config: Path, settings: bytes | None) -> list[Path]:
    """The folders the CLI loads plugins from (``settings``: config.json's bytes, None when absent)."""
    try:
        extra = json.loads((settings or b"{}").decode("utf-8")).get("cliPluginsExtraDirs", [])
    except (ValueError, AttributeError):
        extra = []
    named = [str(d) for d in extra if isinstance(d, str)] if isinstance(extra, list) else []
    return [config / "cli-plugins", *map(Path, named), *map(Path, _SYSTEM_PLUGIN_DIRS)]


def _config(environ: Mapping[str, str]) -> tuple[Path, bytes | None]:
    """The Docker CLI's configuration folder and its ``config.json`` (None when absent)."""
    config = Path(environ.get("DOCKER_CONFIG") or Path("~").expanduser() / ".docker")
    try:
        return config, (config / "config.json").read_bytes()
    except OSError:
        return config, None


def plugin_dirs(environ: Mapping[str, str]) -> list[Path]:
    """The folders the Docker CLI loads plugins from, as this module's key covers them."""
    return _plugin_dirs(*_config(environ))


def signature(candidates: Sequence[str], environ: Mapping[str, str]) -> str:
    """The key of the answers: what picks the client, its plugins, the context and the builder."""
    rows = [str(FORMAT), *(f"{name}={environ.get(name, '')}" for name in _ENVIRONMENT)]
    search = environ.get("PATH", os.defpath)
    for name in candidates:
        found = shutil.which(name, path=search) if "/" not in name else name
        rows.append(_file_row(Path(found)) if found else f"{name}:absent")
    config, settings = _config(environ)
    rows += [_file_row(folder / "docker-buildx") for folder in _plugin_dirs(config, settings)]
    rows.append(f"config.json:{hashlib.sha256(settings).hexdigest() if settings is not None else 'absent'}")
    rows += _content_rows(config / "contexts")
    rows += _content_rows(Path(environ.get("BUILDX_CONFIG") or config / "buildx"))
    return hashlib.sha256("\n".join(rows).encode("utf-8", "surrogateescape")).hexdigest()


def _private_file(path: Path) -> bool:
    try:
        found = path.lstat()
    except OSError:
        return False
    return stat.S_ISREG(found.st_mode) and found.st_uid == os.getuid() and not found.st_mode & 0o022


def _entries(path: Path) -> dict[str, Any]:
    if not _private_file(path):
        return {}
    try:
        found = json.loads(path.read_bytes().decode("utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(found, dict) or found.get("format") != FORMAT:
        return {}
    entries = found.get("entries")
    return entries if isinstance(entries, dict) else {}


def kept(key: str, environ: Mapping[str, str] | None = None) -> tuple[str, bool, str, str] | None:
    """(client path, has buildx, driver of the current builder, buildx plugin's file or "") kept
    under ``key``, else None (also when the client or the plugin it names is gone)."""
    path = _path(os.environ if environ is None else environ)
    entry = _entries(path).get(key) if path else None
    if not isinstance(entry, dict):
        return None
    client, buildx, driver = entry.get("client"), entry.get("buildx"), entry.get("driver")
    plugin = entry.get("plugin", "")
    if not (isinstance(client, str) and isinstance(buildx, bool) and isinstance(driver, str)):
        return None
    if not isinstance(plugin, str) or (plugin and not Path(plugin).is_file()):
        return None
    return (client, buildx, driver, plugin) if Path(client).is_file() else None


def keep(
    key: str,
    client: str,
    buildx: bool,
    driver: str,
    environ: Mapping[str, str] | None = None,
    *,
    plugin: str = "",
) -> None:
    """Keep the answers under ``key`` (atomically, 0600; the least recently kept beyond MAX_ENTRIES go)."""
    path = _path(os.environ if environ is None else environ)
    if path is None:
        return
    entries = _entries(path)
    entries.pop(key, None)
    entries[key] = {"client": client, "buildx": buildx, "driver": driver, "plugin": plugin}
    latest = dict(list(entries.items())[-MAX_ENTRIES:])
    body = json.dumps({"format": FORMAT, "entries": latest}, indent=1).encode("utf-8")
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        descriptor, scratch = tempfile.mkstemp(prefix=".engine-probes-", dir=path.parent)  # 0600
        try:
            with os.fdopen(descriptor, "wb") as handle:
                handle.write(body)
            Path(scratch).replace(path)
        except BaseException:
            Path(scratch).unlink()
            raise
    except OSError:
        return
