"""## What it does
Flags uv runs with a BuildKit cache mount when `UV_LINK_MODE=copy` is not set (and notes a missing
`UV_COMPILE_BYTECODE=1`).

## Why is this bad?
uv hard-links from its cache by default; the cache mount is not part of the image, so uv warns
and falls back, or links files that vanish with the mount. `UV_LINK_MODE=copy` copies them into
the layer. Without `UV_COMPILE_BYTECODE=1`, every container start compiles `.pyc` files again
(an explicit `--no-compile-bytecode` says no bytecode is wanted, e.g. for a build tool in a stage
that never ships).

## Example
```Dockerfile
RUN --mount=type=cache,target=/root/.cache/uv uv sync --locked --no-dev
```

## Use instead
```Dockerfile
ENV UV_LINK_MODE=copy UV_COMPILE_BYTECODE=1
RUN --mount=type=cache,target=/root/.cache/uv uv sync --locked --no-dev
```
"""

from __future__ import annotations

from collections.abc import Iterator

from dockwright.lint.context import LintContext
from dockwright.lint.rule import Finding, Rule, Severity
from dockwright.lint.rules.dw301_pip_cache_kept import cache_mount_targets


class UvCacheSettings(Rule):
    code = "DW305"
    name = "uv-cache-without-copy-mode"
    severity = Severity.WARNING
    summary = "uv with a cache mount but no UV_LINK_MODE=copy / UV_COMPILE_BYTECODE=1"

    def check(self, ctx: LintContext) -> Iterator[Finding]:
        for stage in ctx.dockerfile.stages:
            env = ctx.env(stage)
            for instruction, calls in ctx.runs(stage):
                if not any(c.tool in ("uv", "uv-pip") and c.subcommand in ("sync", "install") for c in calls):
                    continue
                if not cache_mount_targets(tuple(f.value for f in instruction.flags_named("mount"))):
                    continue
                linked = any(c.has("--link-mode") for c in calls)
                missing = []
                if env.get("UV_LINK_MODE") != "copy" and not linked:
                    missing.append("UV_LINK_MODE=copy")
                if env.get("UV_COMPILE_BYTECODE") not in ("1", "true") and not any(
                    c.has("--compile-bytecode", "--no-compile-bytecode") for c in calls
                ):
                    missing.append("UV_COMPILE_BYTECODE=1")
                if missing:
                    message = f"uv with a cache mount: set {' and '.join(missing)}"
                    yield self.finding(ctx, ctx.line_span(instruction), message)
