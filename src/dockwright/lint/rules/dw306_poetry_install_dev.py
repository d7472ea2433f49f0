"""## What it does
Flags `poetry install` in the final stage without `--only main` (or `--without dev`).

## Why is this bad?
Test runners, linters and type checkers land in the production image: bigger, slower to pull,
more to patch.

## Example
```Dockerfile
RUN poetry install --no-interaction
```

## Use instead
```Dockerfile
RUN poetry install --no-interaction --only main --no-root
```
"""

from __future__ import annotations

from collections.abc import Iterator

from dockwright.lint.context import LintContext
from dockwright.lint.rule import Finding, Rule, Severity


class PoetryInstallDev(Rule):
    code = "DW306"
    name = "poetry-install-dev-groups"
    severity = Severity.WARNING
    summary = "poetry install with dev groups in the final image"

    def check(self, ctx: LintContext) -> Iterator[Finding]:
        final = ctx.final
        if final is None:
            return
        for instruction, calls in ctx.runs(final):
            for call in calls:
                if call.tool != "poetry" or call.subcommand not in ("install", "sync"):
                    continue
                only = call.value_of("--only")
                if "main" in only or call.has("--without", "--no-dev", "--only-root"):
                    continue
                yield self.finding(
                    ctx, ctx.line_span(instruction), "`poetry install` includes dev groups; add --only main"
                )
