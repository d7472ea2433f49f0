"""## What it does
Flags a `python` base image whose tag names no Python version (`python:slim`, `python:alpine`,
`python:3`).

## Why is this bad?
Wheels and C extensions are built for one interpreter ABI. A tag that floats across minor
versions (`3` → 3.13 → 3.14) rebuilds your image on a Python your lock was never resolved for.

## Example
```Dockerfile
FROM python:slim
FROM python:3-slim
```

## Use instead
```Dockerfile
FROM python:3.12.8-slim-bookworm
```
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from dockwright.lint.context import LintContext
from dockwright.lint.rule import Finding, Rule, Severity
from dockwright.lint.rules.dw101_base_image_unpinned import image_tag

_MINOR = re.compile(r"^3\.\d+")


class PythonImageWithoutVersion(Rule):
    code = "DW102"
    name = "python-image-without-version"
    severity = Severity.WARNING
    summary = "python base image tag without a major.minor version"

    def check(self, ctx: LintContext) -> Iterator[Finding]:
        for stage in ctx.dockerfile.stages:
            repository = stage.base_image.split("@")[0].rsplit(":", 1)[0]
            if repository.rsplit("/", 1)[-1] != "python":
                continue
            tag = image_tag(stage.base_image)
            if tag is None or tag in ("latest", "@digest") or "$" in tag:
                continue  # DW101 reports untagged and latest
            if not _MINOR.match(tag):
                message = f"`{stage.base_image}` does not pin a Python version; use python:3.X.Y-..."
                yield self.finding(ctx, ctx.line_span(stage.from_instruction), message)
