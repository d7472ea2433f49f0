"""## What it does
Image size under the target from --max-size or [tool.dockwright] max-size-mb.
"""

from __future__ import annotations

from dockwright.audit.checks.base import MB, CheckOptions, CheckResult, Evidence, Status
from dockwright.audit.image import ImageFacts
from dockwright.output import fmt_bytes

ID = "size"
TITLE = "Size under target"
GROUP = "checklist"


def check_size(facts: ImageFacts, options: CheckOptions) -> CheckResult:
    """Image size under the target from --max-size or [tool.dockwright] max-size-mb."""
    title = "Size under target"
    size = f"{fmt_bytes(facts.size)}"
    if options.max_size_mb is None:
        return CheckResult(
            "size", title, Status.SKIP, f"{size}; no target (--max-size or [tool.dockwright] max-size-mb)"
        )
    limit = options.max_size_mb * MB
    evidence = tuple(Evidence(p.path, None, p.size, "top-level path") for p in facts.top_level()[:5])
    if facts.size > limit:
        return CheckResult(
            "size",
            title,
            Status.FAIL,
            f"{size} > {options.max_size_mb:g} MB ({options.max_size_origin})",
            evidence,
        )
    return CheckResult(
        "size",
        title,
        Status.PASS,
        f"{size} ≤ {options.max_size_mb:g} MB ({options.max_size_origin})",
        evidence,
    )
