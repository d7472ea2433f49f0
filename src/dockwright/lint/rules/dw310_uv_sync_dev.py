"""## What it does
Flags `uv sync` without `--no-dev` (or `--only-group`, `--no-default-groups`, `UV_NO_DEV`) in a
stage whose files reach the final image: the final stage, the stages it is built FROM, and the
stages it copies or mounts from (a builder whose venv is copied counts). A test stage nothing
copies from is not flagged.

Not applied to development images (a `.devcontainer/` folder, `Dockerfile.dev`, `dev.Dockerfile`,
`docker/development/`, or a final stage built FROM or named `dev`, `test`, `ci`, `lint`):
there, the dev group is the point.

## Why is this bad?
`uv sync` installs the `dev` dependency group by default: pytest, linters and type checkers
ship in the production image, with their CVEs and megabytes.

## Example
```Dockerfile
RUN uv sync --locked
```

## Use instead
```Dockerfile
RUN uv sync --locked --no-dev
```
"""

from __future__ import annotations

from collections.abc import Iterator

from dockwright.lint.context import LintContext, flag_fix
from dockwright.lint.rule import Applicability, Finding, Rule, Severity


class UvSyncDev(Rule):
    code = "DW310"
    name = "uv-sync-dev-group"
    severity = Severity.WARNING
    summary = "uv sync installs the dev group in a stage that reaches the runtime image"
    fix = Applicability.UNSAFE

    def check(self, ctx: LintContext) -> Iterator[Finding]:
        if ctx.development_image:
            return
        for stage in ctx.runtime_stages():
            env = ctx.env(stage)
            if env.get("UV_NO_DEV", "") not in ("", "0", "false") or env.get("UV_ONLY_GROUP"):
                continue
            for instruction, calls in ctx.runs(stage):
                for found in calls:
                    call = ctx.expanded_call(stage, found)
                    if call is None:
                        continue  # a $VARIABLE whose value is unknown: cannot tell
                    if call.tool != "uv" or call.subcommand != "sync":
                        continue
                    if call.has("--no-dev", "--only-group", "--no-default-groups", "--no-group"):
                        continue
                    # unsafe (declared above): an app that imports a dev dependency at run time breaks
                    fix = flag_fix(instruction, program="uv", after="sync", flag="--no-dev", ctx=ctx)
                    message = "`uv sync` installs the dev group into the runtime image; add --no-dev"
                    yield self.finding(ctx, ctx.line_span(instruction), message, fix)
