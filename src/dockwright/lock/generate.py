"""Produce the lock a plan asks for: header (source + sha256) and a pip ``--require-hashes`` body."""

from __future__ import annotations

import tempfile
from pathlib import Path

from dockwright.errors import LockError
from dockwright.lock.compile import CompileOptions, compile_lock
from dockwright.lock.convert import convert
from dockwright.lock.header import make_header, sha256_of
from dockwright.plan.model import LockPlan
from dockwright.redact import has_credentials, redact


def generate_lock(
    root: Path, lock: LockPlan, python_version: str, options: CompileOptions | None = None
) -> str:
    """The full text of ``lock.path`` (raises LockError when it cannot be produced)."""
    if not lock.generate or lock.source is None:
        raise LockError(f"{lock.path} is not a file dockwright generates")
    source = root / lock.source
    if not source.is_file():
        raise LockError(f"{lock.source} not found", file=lock.source)
    if lock.method == "uv-compile":
        body = compile_lock(root, lock.source, python_version, options or CompileOptions())
    else:
        body = convert(root, lock.method, lock.source, python_version)
    for number, line in enumerate(body.splitlines(), start=1):
        if has_credentials(line) or line.lstrip().startswith(("--index-url", "--extra-index-url", "-i ")):
            raise LockError(
                f"the generated lock would carry an index or credentials ({redact(line.strip())[:80]}, "
                f"line {number}); give the index with --index-url (a BuildKit secret at build time)",
                file=lock.source,
            )
    header = make_header(lock.source, sha256_of(source), lock.method, python_version)
    return header + body


BUILD_LOCK_METHOD = "uv-compile-build"


def build_lock_source(root: Path) -> str:
    """The file that declares the build backend: pyproject.toml, else setup.py (PEP 517's default)."""
    return "pyproject.toml" if (root / "pyproject.toml").is_file() else "setup.py"


def generate_build_lock(
    root: Path, requires: tuple[str, ...], python_version: str, options: CompileOptions | None = None
) -> str:
    """The hash-locked ``[build-system].requires``: the builder installs it once and builds the app
    wheel with ``--no-build-isolation``, so a source edit downloads and installs nothing."""
    if not requires:
        raise LockError("the project declares no build requirements to lock")
    source = build_lock_source(root)
    with tempfile.TemporaryDirectory(prefix="dockwright-build-") as scratch:
        spec = Path(scratch) / "build-requires.in"
        spec.write_text("\n".join(requires) + "\n", encoding="utf-8")
        body = compile_lock(root, str(spec), python_version, options or CompileOptions())
        body = body.replace(str(spec), f"{source} [build-system].requires")
    header = make_header(source, sha256_of(root / source), BUILD_LOCK_METHOD, python_version)
    return header + body
