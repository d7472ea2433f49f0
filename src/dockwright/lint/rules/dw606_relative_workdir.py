"""## What it does
Flags `WORKDIR` with a relative path.

## Why is this bad?
A relative WORKDIR depends on every WORKDIR before it (and on the base image's), so moving one
line changes where files land. Absolute paths say where they go.

## Example
```Dockerfile
WORKDIR app
```

## Use instead
```Dockerfile
WORKDIR /app
```
"""

from __future__ import annotations

from collections.abc import Iterator

from dockwright.lint.context import LintContext
from dockwright.lint.rule import Finding, Rule, Severity


class RelativeWorkdir(Rule):
    code = "DW606"
    name = "relative-workdir"
    severity = Severity.WARNING
    summary = "WORKDIR with a relative path"
    aliases = ("DL3000",)

    def check(self, ctx: LintContext) -> Iterator[Finding]:
        for instruction in ctx.dockerfile.instructions:
            if instruction.keyword != "WORKDIR":
                continue
            path = instruction.value.strip().strip("\"'")
            if path and not path.startswith(("/", "$")) and not (len(path) > 1 and path[1] == ":"):
                yield self.finding(
                    ctx, ctx.line_span(instruction), f"WORKDIR {path} is relative; use an absolute path"
                )
