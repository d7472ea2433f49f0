"""## What it does
Compares the image's size (uncompressed, as the engine reports it) with a target in MB (10^6
bytes), from `--max-size MB` or `[tool.dockwright] max-size-mb` in the `pyproject.toml` of
`--context` (else of the current folder): FAIL above it, with the largest top-level folders as
evidence. SKIP without a target.

## Why is this bad?
Size is pull time on every deploy and scale-out, registry storage, and usually files the app does
not need (compilers, caches, tests). A target turns "it grew" into a failing check.

## Example
```toml
[tool.dockwright]
max-size-mb = 150
```
an image of 480 MB built `FROM python:3.12` (the full Debian image with its toolchain)

## Use instead
```Dockerfile
FROM python:3.12-slim
```
with a multi-stage build, so that only the runtime and the installed packages ship
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
