"""## What it does
Flags a RUN that runs `apt-get install` but does not remove `/var/lib/apt/lists/*` in the same
instruction (a cache mount on `/var/lib/apt` counts as clean).

## Why is this bad?
Package lists removed in a later layer still ship in the earlier one: tens of megabytes that
every pull downloads and that go stale at once.

## Example
```Dockerfile
RUN apt-get update && apt-get install -y --no-install-recommends tini
```

## Use instead
```Dockerfile
RUN apt-get update \
    && apt-get install -y --no-install-recommends tini \
    && rm -rf /var/lib/apt/lists/*
```
"""

from __future__ import annotations

from collections.abc import Iterator

from dockwright.dockerfile.shell import run_script
from dockwright.lint.context import LintContext
from dockwright.lint.rule import Finding, Rule, Severity


class AptListsKept(Rule):
    code = "DW202"
    name = "apt-lists-kept"
    severity = Severity.WARNING
    summary = "apt package lists not removed in the same layer"
    aliases = ("DL3009",)

    def check(self, ctx: LintContext) -> Iterator[Finding]:
        for stage in ctx.dockerfile.stages:
            for instruction, calls in ctx.runs(stage):
                if not any(c.tool in ("apt-get", "apt") and c.subcommand == "install" for c in calls):
                    continue
                mounts = " ".join(f.value or "" for f in instruction.flags_named("mount"))
                if "type=cache" in mounts and "/var/lib/apt" in mounts:
                    continue
                if "/var/lib/apt/lists" in run_script(instruction):
                    continue
                yield self.finding(
                    ctx,
                    ctx.line_span(instruction),
                    "apt lists stay in this layer; add `rm -rf /var/lib/apt/lists/*`",
                )
