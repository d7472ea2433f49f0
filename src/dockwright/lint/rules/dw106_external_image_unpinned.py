"""## What it does
Flags `COPY --from=<image>` and `RUN --mount=from=<image>` that name an image (not a build stage)
without a tag, or tagged `latest`. A bare name that is no stage may also be a named build context
(`docker buildx build --build-context NAME=DIR`): the message says so, and a suppression comment
keeps it quiet.

## Why is this bad?
Files copied from another image are as much a part of yours as its base: an unpinned source
changes under you, so two builds of the same commit ship different binaries (a new `uv`, a
different `tini`) and a broken release breaks every build at once.

## Example
```Dockerfile
COPY --from=ghcr.io/astral-sh/uv:latest /uv /usr/local/bin/uv
RUN --mount=from=busybox,source=/bin/busybox,target=/busybox /busybox true
```

## Use instead
```Dockerfile
COPY --from=ghcr.io/astral-sh/uv:0.9.5 /uv /usr/local/bin/uv
RUN --mount=from=busybox:1.37.0,source=/bin/busybox,target=/busybox /busybox true
```
"""

from __future__ import annotations

from collections.abc import Iterator

from dockwright.lint.context import LintContext, stage_sources
from dockwright.lint.rule import Finding, Rule, Severity
from dockwright.lint.rules.dw101_base_image_unpinned import image_tag


class ExternalImageUnpinned(Rule):
    code = "DW106"
    name = "external-image-unpinned"
    severity = Severity.WARNING
    summary = "COPY --from / RUN --mount=from= an image without a tag, or tagged latest"

    def check(self, ctx: LintContext) -> Iterator[Finding]:
        names = {s.name.lower() for s in ctx.dockerfile.stages if s.name}
        for instruction in ctx.dockerfile.instructions:
            for source in stage_sources(instruction):
                if source.lower() in names or source.isdigit() or "$" in source or source == "scratch":
                    continue
                tag = image_tag(source)
                if tag is None or tag == "latest":
                    what = "has no tag" if tag is None else "is tagged latest"
                    message = (
                        f"`{source}` is an image, not a stage, and {what}: pin a version "
                        f"(`{source.split(':')[0]}:<version>`, or a digest)"
                    )
                    if tag is None and not any(c in source for c in "/.:@"):
                        # a bare name may be a named build context (`--build-context NAME=...`)
                        message = (
                            f"`{source}` is no stage of this file: as an image it has no tag, pin a version "
                            f"(`{source}:<version>`); as a named build context "
                            f"(`--build-context {source}=...`) suppress this"
                        )
                    yield self.finding(ctx, ctx.line_span(instruction), message)
