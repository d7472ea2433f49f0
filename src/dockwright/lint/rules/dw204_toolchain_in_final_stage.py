r"""## What it does
Flags compilers and `-dev` header packages installed in the final stage of a multi-stage build
and not removed again in the same RUN (`apk del .build-deps`, `apt-get purge`, or `apt-mark auto`
then `apt-get purge --auto-remove` as the official python images do). A final stage that is a
development, test or CI target (built FROM or named `dev`, `test`, `ci`, `lint`) needs its compilers.

## Why is this bad?
The runtime only needs shared libraries (`libpq5`), not headers (`libpq-dev`) or `gcc`. A
toolchain in the runtime adds hundreds of megabytes and lets an attacker build tools inside your
container. The guides: multi-stage, no toolchains in the runtime.

## Example
```Dockerfile
FROM python:3.12.8-slim-bookworm AS runtime
RUN apt-get update && apt-get install -y --no-install-recommends gcc libpq-dev \
    && rm -rf /var/lib/apt/lists/*
```

## Use instead
```Dockerfile
FROM python:3.12.8-slim-bookworm AS builder
RUN apt-get update && apt-get install -y --no-install-recommends gcc libpq-dev \
    && rm -rf /var/lib/apt/lists/*
RUN pip wheel --require-hashes --wheel-dir /wheels -r requirements.txt

FROM python:3.12.8-slim-bookworm AS runtime
RUN apt-get update && apt-get install -y --no-install-recommends libpq5 \
    && rm -rf /var/lib/apt/lists/*
```
"""

from __future__ import annotations

from collections.abc import Iterator

from dockwright.lint.commands import packages_kept
from dockwright.lint.context import LintContext
from dockwright.lint.rule import Finding, Rule, Severity
from dockwright.lint.toolchain import toolchain_packages


class ToolchainInFinalStage(Rule):
    code = "DW204"
    name = "toolchain-in-final-stage"
    severity = Severity.WARNING
    summary = "Compilers or -dev packages installed in the final stage"

    def check(self, ctx: LintContext) -> Iterator[Finding]:
        final = ctx.final
        if final is None or len(ctx.dockerfile.stages) < 2:
            return  # single-stage builds are DW205's
        if ctx.development_image:
            return  # a dev/test/CI target needs its compilers
        for instruction, calls in ctx.runs(final):
            tools = toolchain_packages(packages_kept(calls))
            if tools:
                message = (
                    f"build toolchain in the runtime image: {', '.join(tools)}; install it in a builder stage"
                )
                yield self.finding(ctx, ctx.line_span(instruction), message)
