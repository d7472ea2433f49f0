"""## What it does
Flags `apt-get install` without `--no-install-recommends`.

## Why is this bad?
Recommended packages are not needed to run your app; they add tens of megabytes and more CVEs
to scan. The guides install with `--no-install-recommends` and clean up in the same layer.

## Example
```Dockerfile
RUN apt-get update && apt-get install -y libpq5 && rm -rf /var/lib/apt/lists/*
```

## Use instead
```Dockerfile
RUN apt-get update && apt-get install -y --no-install-recommends libpq5 && rm -rf /var/lib/apt/lists/*
```

The fix is unsafe (`--fix --unsafe-fixes`): a recommended package may be one the image relies on
(gnupg recommends the dirmngr that `gpg --recv-keys` needs), so name it in the install instead.
"""

from __future__ import annotations

from collections.abc import Iterator

from dockwright.lint.context import LintContext, flag_fix
from dockwright.lint.rule import Applicability, Finding, Rule, Severity


class AptInstallRecommends(Rule):
    code = "DW201"
    name = "apt-install-recommends"
    severity = Severity.WARNING
    summary = "apt-get install without --no-install-recommends"
    aliases = ("DL3015",)
    fix = Applicability.UNSAFE  # dropping recommends can drop a package the image uses

    def check(self, ctx: LintContext) -> Iterator[Finding]:
        for stage in ctx.dockerfile.stages:
            for instruction, calls in ctx.runs(stage):
                for index, call in enumerate(calls):
                    if call.tool not in ("apt-get", "apt") or call.subcommand != "install":
                        continue
                    if call.has("--no-install-recommends") or any(
                        "Install-Recommends=" in a for a in call.args
                    ):
                        continue
                    fix = flag_fix(
                        instruction,
                        program=call.tool,
                        after="install",
                        flag="--no-install-recommends",
                        ctx=ctx,
                        call=call,
                    )
                    message = f"`{call.tool} install` without --no-install-recommends"
                    span = ctx.call_span(
                        instruction, call, [c.as_written for c in calls[:index]].count(call.as_written)
                    )
                    yield self.finding(ctx, span, message, fix)
