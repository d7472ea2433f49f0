"""## What it does
Flags `apt-get install` without `-y` (`--yes`, `--assume-yes`, `-qq` or `DEBIAN_FRONTEND` do not
answer the prompt).

## Why is this bad?
A build has no terminal: apt asks "Do you want to continue?" and aborts the install as soon as it
needs more than the named packages, which is to say on the first dependency change.

## Example
```Dockerfile
RUN apt-get update && apt-get install --no-install-recommends libpq5 && rm -rf /var/lib/apt/lists/*
```

## Use instead
```Dockerfile
RUN apt-get update && apt-get install -y --no-install-recommends libpq5 && rm -rf /var/lib/apt/lists/*
```
"""

from __future__ import annotations

from collections.abc import Iterator

from dockwright.lint.context import LintContext, flag_fix
from dockwright.lint.rule import Applicability, Finding, Rule, Severity


class AptInstallWithoutYes(Rule):
    code = "DW206"
    name = "apt-install-without-yes"
    severity = Severity.WARNING
    summary = "apt-get install without -y (the build cannot answer the prompt)"
    aliases = ("DL3014",)
    fix = Applicability.SAFE

    def check(self, ctx: LintContext) -> Iterator[Finding]:
        for stage in ctx.dockerfile.stages:
            env = ctx.env(stage)
            for instruction, calls in ctx.runs(stage):
                for index, call in enumerate(calls):
                    if call.tool not in ("apt-get", "apt") or call.subcommand != "install":
                        continue
                    if call.has("--yes", "--assume-yes", "--force-yes") or call.has_short("y"):
                        continue
                    if any("Assume-Yes" in a for a in call.options + call.args) or env.get("APT_ASSUME_YES"):
                        continue
                    fix = flag_fix(instruction, program=call.tool, after="install", flag="-y", ctx=ctx)
                    message = f"`{call.tool} install` without -y: the build cannot answer its prompt; add -y"
                    span = ctx.call_span(
                        instruction, call, [c.as_written for c in calls[:index]].count(call.as_written)
                    )
                    yield self.finding(ctx, span, message, fix)
