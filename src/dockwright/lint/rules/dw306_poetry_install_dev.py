"""## What it does
Flags `poetry install` without `--only main` (or `--without dev`) in a stage whose files reach
the final image: the final stage, the stages it is built FROM, and the stages it copies or mounts
from (a builder whose venv is copied counts). A test stage nothing copies from is not flagged.

Not applied to development images (a `.devcontainer/` folder, `Dockerfile.dev`, `dev.Dockerfile`,
`docker/development/`, or a final stage built FROM or named `dev`, `test`, `ci`, `lint`):
there, the dev group is the point.

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

from dockwright.dockerfile.syntax import Stage
from dockwright.lint.context import LintContext
from dockwright.lint.rule import Finding, Rule, Severity


class PoetryInstallDev(Rule):
    code = "DW306"
    name = "poetry-install-dev-groups"
    severity = Severity.WARNING
    summary = "poetry install with dev groups in a stage that reaches the runtime image"

    def check(self, ctx: LintContext) -> Iterator[Finding]:
        if ctx.development_image:
            return
        for stage in ctx.runtime_stages():
            yield from self._check_stage(ctx, stage)

    def _check_stage(self, ctx: LintContext, stage: Stage) -> Iterator[Finding]:
        for instruction, calls in ctx.runs(stage):
            for found in calls:
                call = ctx.expanded_call(stage, found)
                if call is None:
                    continue  # a $VARIABLE whose value is unknown: cannot tell
                if call.tool != "poetry" or call.subcommand not in ("install", "sync"):
                    continue
                only = call.value_of("--only")
                if "main" in only or call.has("--without", "--no-dev", "--only-root"):
                    continue
                yield self.finding(
                    ctx,
                    ctx.line_span(instruction),
                    "`poetry install` puts the dev groups in the runtime image; add --only main",
                )
