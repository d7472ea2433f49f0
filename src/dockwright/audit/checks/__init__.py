"""The Pro shipping checklist and the Python-aware findings: one module per check.

A check is ``check(facts: ImageFacts, options: CheckOptions) -> CheckResult``, in a module of its own
whose docstring documents it (What it does / Why is this bad? / Example / Use instead) and whose
``ID``, ``TITLE`` and ``GROUP`` name it; ``registry.CHECKS`` is the one ordered registry. Each result
carries evidence ``(path, layer, bytes, detail)`` so a reader can verify it.
"""

from __future__ import annotations

from collections.abc import Sequence

from dockwright.audit.checks.base import (
    EVIDENCE_LIMIT,
    MB,
    MIB,
    Check,
    CheckOptions,
    CheckResult,
    Evidence,
    ProcessResult,
    Status,
)
from dockwright.audit.checks.common import dir_totals
from dockwright.audit.checks.dockerignore import ignore_file
from dockwright.audit.checks.registry import CHECKS, check_by_id, reads_secrets
from dockwright.audit.image import ImageFacts
from dockwright.secrets import SECRET_PATTERNS, secret_match

__all__ = [
    "CHECKS",
    "EVIDENCE_LIMIT",
    "MB",
    "MIB",
    "Check",
    "CheckOptions",
    "CheckResult",
    "Evidence",
    "ProcessResult",
    "Status",
    "check_by_id",
    "dir_totals",
    "ignore_file",
    "prepare",
    "reads_secrets",
    "run_checks",
]


def prepare() -> None:
    """Compile what the checks match every path of an image against (the secret-file patterns), so
    that ``run_audit`` does it while the engine exports the image rather than after the read."""
    for entry in SECRET_PATTERNS:
        secret_match(entry.probe)


def run_checks(
    facts: ImageFacts, options: CheckOptions, checks: Sequence[Check] = CHECKS
) -> tuple[CheckResult, ...]:
    if facts.secrets_pending and any(reads_secrets(check) for check in checks):
        raise ValueError("a check that reads the secret scan's hits run before the scan finished")
    return tuple(check(facts, options) for check in checks)
