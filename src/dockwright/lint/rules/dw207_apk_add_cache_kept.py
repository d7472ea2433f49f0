"""## What it does
Flags `apk add` without `--no-cache` whose index cache stays in the layer (no `rm -rf
/var/cache/apk/*` in the same RUN and no cache mount on `/var/cache/apk`).
Only the stages whose layers ship are checked: the final stage and the stages it is built FROM.

## Why is this bad?
`apk add` alone downloads the package index into `/var/cache/apk`: a few megabytes that ship in
the layer and go stale at once. `--no-cache` fetches the index to a temporary place instead.

## Example
```Dockerfile
RUN apk update && apk add libpq
```

## Use instead
```Dockerfile
RUN apk add --no-cache libpq
```
"""

from __future__ import annotations

from collections.abc import Iterator

from dockwright.dockerfile.shell import run_script
from dockwright.lint.context import LintContext, flag_fix
from dockwright.lint.rule import Applicability, Finding, Rule, Severity


class ApkAddCacheKept(Rule):
    code = "DW207"
    name = "apk-add-cache-kept"
    severity = Severity.WARNING
    summary = "apk add without --no-cache (the package index stays in the layer)"
    aliases = ("DL3019",)
    fix = Applicability.SAFE

    def check(self, ctx: LintContext) -> Iterator[Finding]:
        for stage in ctx.shipped_stages():
            for instruction, calls in ctx.runs(stage):
                adds = [
                    c for c in calls if c.tool == "apk" and c.subcommand == "add" and not c.has("--no-cache")
                ]
                if not adds:
                    continue
                mounts = " ".join(f.value or "" for f in instruction.flags_named("mount"))
                if ("type=cache" in mounts and "/var/cache/apk" in mounts) or "/var/cache/apk" in run_script(
                    instruction
                ):
                    continue
                fix = flag_fix(instruction, program="apk", after="add", flag="--no-cache", ctx=ctx)
                message = "`apk add` without --no-cache keeps the package index in the layer; add --no-cache"
                yield self.finding(ctx, ctx.line_span(instruction), message, fix)
