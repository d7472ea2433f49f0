"""## What it does
Flags `pdm install` / `pdm sync` without `--prod`, or without `--frozen-lockfile`.

## Why is this bad?
Without `--prod` the dev dependency groups land in the image; without `--frozen-lockfile` pdm may
update `pdm.lock` during the build instead of installing what was reviewed.

## Example
```Dockerfile
RUN pdm install
```

## Use instead
```Dockerfile
RUN pdm install --prod --frozen-lockfile --no-editable
```
"""

from __future__ import annotations

from collections.abc import Iterator

from dockwright.lint.context import LintContext
from dockwright.lint.rule import Finding, Rule, Severity


class PdmInstallDev(Rule):
    code = "DW308"
    name = "pdm-install-unlocked-or-dev"
    severity = Severity.WARNING
    summary = "pdm install without --prod / --frozen-lockfile"

    def check(self, ctx: LintContext) -> Iterator[Finding]:
        for stage in ctx.dockerfile.stages:
            for instruction, calls in ctx.runs(stage):
                for call in calls:
                    if call.tool != "pdm" or call.subcommand not in ("install", "sync"):
                        continue
                    missing = [o for o in ("--prod", "--frozen-lockfile") if not call.has(o)]
                    if call.subcommand == "sync" and "--frozen-lockfile" in missing:
                        missing.remove("--frozen-lockfile")  # sync never updates the lock
                    if call.has("-G", "--group", "--no-default") and "--prod" in missing:
                        missing.remove("--prod")
                    if missing:
                        message = f"`pdm {call.subcommand}` without {' and '.join(missing)}"
                        yield self.finding(ctx, ctx.line_span(instruction), message)
