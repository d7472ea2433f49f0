r"""## What it does
Flags a final image without OCI labels (`org.opencontainers.image.*`), or without a version label.

## Why is this bad?
Registries, scanners and people use these labels to tell which source, version and commit an
image was built from. The guides' checklist: "OCI labels + clear versioning".

## Example
```Dockerfile
FROM python:3.12.8-slim-bookworm
```

## Use instead
```Dockerfile
ARG VERSION REVISION
LABEL org.opencontainers.image.source="https://git.example/myapp" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}"
```
"""

from __future__ import annotations

from collections.abc import Iterator

from dockwright.lint.context import LintContext
from dockwright.lint.rule import Finding, Rule, Severity

PREFIX = "org.opencontainers.image."


class MissingOciLabels(Rule):
    code = "DW604"
    name = "missing-oci-labels"
    severity = Severity.INFO
    summary = "Final image without OCI labels (source, version, revision)"

    def check(self, ctx: LintContext) -> Iterator[Finding]:
        final = ctx.final
        if final is None:
            return
        labels = {k for k in ctx.labels(final) if k.startswith(PREFIX)}
        if not labels:
            yield self.finding(
                ctx, ctx.line_span(final.from_instruction), "no org.opencontainers.image.* labels"
            )
        elif PREFIX + "version" not in labels:
            yield self.finding(
                ctx,
                ctx.line_span(final.from_instruction),
                "OCI labels without org.opencontainers.image.version",
            )
