"""The values every audit check speaks in: Status, Evidence, CheckResult, CheckOptions, and the
evidence helpers."""

from __future__ import annotations

import enum
import shutil
import subprocess
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from dockwright.audit.image import FileEntry, ImageFacts

if TYPE_CHECKING:
    from dockwright.engine.base import Engine

MIB = 1024 * 1024
MB = 1_000_000


class Status(str, enum.Enum):
    PASS = "PASS"
    WARN = "WARN"
    FAIL = "FAIL"
    SKIP = "SKIP"


@dataclass(frozen=True)
class Evidence:
    path: str
    layer: int | None = None
    bytes: int = 0
    detail: str = ""


@dataclass(frozen=True)
class CheckResult:
    id: str
    title: str
    status: Status
    summary: str
    evidence: tuple[Evidence, ...] = ()
    group: str = "checklist"  # "checklist" (the seeds' Pro shipping checklist) | "python" (findings)


@dataclass(frozen=True)
class ProcessResult:
    returncode: int
    stdout: str
    stderr: str


def _run_process(argv: Sequence[str], timeout: float) -> ProcessResult:
    done = subprocess.run(list(argv), capture_output=True, text=True, timeout=timeout, check=False)
    return ProcessResult(done.returncode, done.stdout, done.stderr)


def _which(name: str) -> str | None:
    return shutil.which(name)


@dataclass(frozen=True)
class CheckOptions:
    context: Path | None = None
    max_size_mb: float | None = None
    max_size_origin: str = "--max-size"
    run: bool = False
    engine: Engine | None = None
    which: Callable[[str], str | None] = _which
    run_process: Callable[[Sequence[str], float], ProcessResult] = _run_process
    run_timeout_s: float = 180.0
    sleep: Callable[[float], None] = time.sleep
    # Variables the app needs at run time (``--env-file``), passed to the container ``--run`` starts.
    run_env: tuple[tuple[str, str], ...] = ()
    run_network: str | None = None  # network of the container --run starts (e.g. "host")


Check = Callable[[ImageFacts, CheckOptions], CheckResult]


EVIDENCE_LIMIT = 20


def _cap(items: Iterable[Evidence], limit: int = EVIDENCE_LIMIT) -> tuple[Evidence, ...]:
    rows = sorted(items, key=lambda e: (-e.bytes, e.path))
    if len(rows) <= limit:
        return tuple(rows)
    rest = rows[limit - 1 :]
    more = Evidence("…", None, sum(e.bytes for e in rest), f"and {len(rest)} more")
    return (*rows[: limit - 1], more)


def _ev(entry: FileEntry, detail: str = "", size: int | None = None) -> Evidence:
    return Evidence("/" + entry.path, entry.layer, entry.size if size is None else size, detail)
