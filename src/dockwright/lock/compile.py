"""Resolve unhashed input (requirements.in/.txt, PEP 621, setup.py) with ``uv pip compile``."""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from dockwright.errors import LockError

PLATFORM = "x86_64-manylinux_2_28"


@dataclass(frozen=True)
class CompileOptions:
    index_url: str | None = None
    find_links: tuple[str, ...] = ()
    no_index: bool = False
    exclude_newer: str | None = None  # RFC 3339 date: reproducible resolution
    timeout: float = 300.0


def uv_binary() -> str:
    try:
        from uv import find_uv_bin

        return str(find_uv_bin())
    except (ImportError, FileNotFoundError):
        found = shutil.which("uv")
        if not found:
            raise LockError("uv is needed to generate a hash-locked file (pip install uv)") from None
        return found


def compile_command(source: str, python_version: str, options: CompileOptions) -> list[str]:
    xy = ".".join(python_version.split(".")[:2])
    cmd = [
        uv_binary(),
        "pip",
        "compile",
        source,
        "--generate-hashes",
        "--python-version",
        xy,
        "--python-platform",
        PLATFORM,
        "--no-header",
        "--no-config",
    ]
    if options.index_url:
        cmd += ["--index-url", options.index_url]
    for link in options.find_links:
        cmd += ["--find-links", link]
    if options.no_index:
        cmd.append("--no-index")
    if options.exclude_newer:
        cmd += ["--exclude-newer", options.exclude_newer]
    return cmd


def compile_lock(
    root: Path,
    source: str,
    python_version: str,
    options: CompileOptions,
    requirements: tuple[str, ...] = (),
) -> str:
    """Resolve ``source`` (or, when given, ``requirements`` read from it, fed on stdin)."""
    cmd = compile_command("-" if requirements else source, python_version, options)
    stdin = "".join(f"{line}\n" for line in requirements) if requirements else None
    try:
        done = subprocess.run(
            cmd,
            cwd=root,
            input=stdin,
            capture_output=True,
            text=True,
            timeout=options.timeout,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        raise LockError(f"uv pip compile failed to run: {error}", file=source) from error
    if done.returncode != 0:
        last = [line for line in done.stderr.strip().splitlines() if line.strip()]
        detail = last[-1].strip() if last else f"exit {done.returncode}"
        raise LockError(f"uv pip compile could not resolve {source}: {detail}", file=source)
    return done.stdout
