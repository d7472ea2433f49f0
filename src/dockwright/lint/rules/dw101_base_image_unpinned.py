"""## What it does
Flags a `FROM` image with no tag, or tagged `latest`.

## Why is this bad?
The image changes under you: two builds of the same commit get different Python versions,
different system libraries and different wheels. The guides pin the Python version for ABI and
wheel compatibility.

## Example
```Dockerfile
FROM python
FROM python:latest
```

## Use instead
```Dockerfile
FROM python:3.12.8-slim-bookworm
```
"""

from __future__ import annotations

from collections.abc import Iterator

from dockwright.lint.context import LintContext
from dockwright.lint.rule import Finding, Rule, Severity


def image_tag(image: str) -> str | None:
    """The tag of an image reference (None when untagged; digests count as pinned)."""
    if "@" in image:
        return "@digest"
    last = image.rsplit("/", 1)[-1]
    return last.split(":", 1)[1] if ":" in last else None


class BaseImageUnpinned(Rule):
    code = "DW101"
    name = "base-image-unpinned"
    severity = Severity.WARNING
    summary = "Base image without a tag, or tagged latest"
    aliases = ("DL3006", "DL3007")

    def check(self, ctx: LintContext) -> Iterator[Finding]:
        names = {s.name for s in ctx.dockerfile.stages if s.name}
        for stage in ctx.dockerfile.stages:
            image = stage.base_image
            if image in names or image == "scratch" or "$" in image:
                continue
            tag = image_tag(image)
            if tag is None or tag == "latest":
                what = "has no tag" if tag is None else "is tagged latest"
                message = f"base image `{image}` {what}; pin a version"
                yield self.finding(ctx, ctx.line_span(stage.from_instruction), message)
