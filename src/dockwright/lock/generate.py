"""Produce the lock a plan asks for: header (source + sha256) and a pip ``--require-hashes`` body."""

from __future__ import annotations

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
        body = compile_lock(root, lock.source, python_version, options or CompileOptions(), lock.requirements)
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
