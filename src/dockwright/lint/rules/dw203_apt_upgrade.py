"""## What it does
Flags `apt-get upgrade` / `dist-upgrade` (and `apt upgrade`) in a Dockerfile.

## Why is this bad?
It makes the image depend on the day it was built instead of on the base image tag, bloats the
layer, and hides what the base image should provide. Rebuild on a newer pinned base instead.

## Example
```Dockerfile
RUN apt-get update && apt-get upgrade -y
```

## Use instead
```Dockerfile
FROM python:3.12.8-slim-bookworm   # bump the pinned base to get security updates
```
"""

from __future__ import annotations

from collections.abc import Iterator

from dockwright.lint.context import LintContext
from dockwright.lint.rule import Finding, Rule, Severity


class AptUpgrade(Rule):
    code = "DW203"
    name = "apt-upgrade"
    severity = Severity.WARNING
    summary = "apt-get upgrade/dist-upgrade in the image build"
    aliases = ("DL3005",)

    def check(self, ctx: LintContext) -> Iterator[Finding]:
        for stage in ctx.dockerfile.stages:
            for instruction, calls in ctx.runs(stage):
                for call in calls:
                    if call.tool in ("apt-get", "apt") and call.subcommand in (
                        "upgrade",
                        "dist-upgrade",
                        "full-upgrade",
                    ):
                        message = f"`{call.tool} {call.subcommand}`: pin a newer base image instead"
                        yield self.finding(ctx, ctx.line_span(instruction), message)
