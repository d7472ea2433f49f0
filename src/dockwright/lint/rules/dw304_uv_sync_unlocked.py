"""## What it does
Flags `uv sync` without `--locked` or `--frozen`.

## Why is this bad?
Plain `uv sync` may re-resolve and rewrite `uv.lock` inside the build when it is out of date,
so the image no longer matches the reviewed lock. `--locked` fails instead; `--frozen` installs
the lock as it is.

## Example
```Dockerfile
RUN --mount=type=cache,target=/root/.cache/uv uv sync --no-dev
```

## Use instead
```Dockerfile
RUN --mount=type=cache,target=/root/.cache/uv uv sync --locked --no-dev
```
"""

from __future__ import annotations

from collections.abc import Iterator

from dockwright.lint.context import LintContext, flag_fix
from dockwright.lint.rule import Applicability, Finding, Rule, Severity


class UvSyncUnlocked(Rule):
    code = "DW304"
    name = "uv-sync-unlocked"
    severity = Severity.WARNING
    summary = "uv sync without --locked/--frozen"
    fix = Applicability.UNSAFE

    def check(self, ctx: LintContext) -> Iterator[Finding]:
        for stage in ctx.dockerfile.stages:
            env = ctx.env(stage)
            if env.get("UV_LOCKED") or env.get("UV_FROZEN"):
                continue
            for instruction, calls in ctx.runs(stage):
                for found in calls:
                    call = ctx.expanded_call(stage, found)
                    if call is None:
                        continue  # a $VARIABLE whose value is unknown: cannot tell
                    if (
                        call.tool == "uv"
                        and call.subcommand == "sync"
                        and not call.has("--locked", "--frozen")
                    ):
                        if _no_lock(ctx):  # --locked would fail every build: there is no lock yet
                            message = (
                                "`uv sync` without --locked or --frozen, and no uv.lock beside the "
                                "Dockerfile (or one folder up): commit one (`uv lock`), then add --locked"
                            )
                            yield self.finding(ctx, ctx.line_span(instruction), message)
                            continue
                        # unsafe (declared above): --locked fails builds whose lock is stale
                        fix = flag_fix(
                            instruction, program="uv", after="sync", flag="--locked", ctx=ctx, call=call
                        )
                        yield self.finding(
                            ctx, ctx.line_span(instruction), "`uv sync` without --locked or --frozen", fix
                        )


def _no_lock(ctx: LintContext) -> bool:
    """A Dockerfile on disk with no uv.lock in its folder nor the one above (a ``docker/`` recipe folder
    whose context is the root)."""
    folder = ctx.context_dir
    return folder is not None and not any((f / "uv.lock").is_file() for f in (folder, folder.parent))
