r"""## What it does
Flags a single-stage Dockerfile that installs compilers or `-dev` packages and keeps them (a
toolchain removed again in the same RUN, `apk del .build-deps`, `apt-get purge`, or `apt-mark auto`
then `apt-get purge --auto-remove` as the official python images do, does not count).

Applies to stages that run Python: a Python base image, a RUN that installs or runs Python or a
Python package manager, or a Python start command (a stage built FROM another inherits it).

## Why is this bad?
Everything needed to build wheels ships in the image you run: compilers, headers, caches.
A builder stage compiles wheels once; the runtime installs them offline and stays small.

## Example
```Dockerfile
FROM python:3.12.8-slim-bookworm
RUN apt-get update && apt-get install -y --no-install-recommends build-essential libpq-dev \
    && rm -rf /var/lib/apt/lists/*
RUN pip install --no-cache-dir --require-hashes -r requirements.txt
```

## Use instead
```Dockerfile
FROM python:3.12.8-slim-bookworm AS builder
RUN apt-get update && apt-get install -y --no-install-recommends build-essential libpq-dev \
    && rm -rf /var/lib/apt/lists/*
RUN pip wheel --require-hashes --wheel-dir /wheels -r requirements.txt

FROM python:3.12.8-slim-bookworm
RUN --mount=type=bind,from=builder,source=/wheels,target=/tmp/wheels \
    pip install --no-cache-dir --no-index --no-deps /tmp/wheels/*.whl
```
"""

from __future__ import annotations

from collections.abc import Iterator

from dockwright.lint.commands import packages_kept
from dockwright.lint.context import LintContext
from dockwright.lint.rule import Finding, Rule, Severity
from dockwright.lint.toolchain import toolchain_packages


class SingleStageCompiles(Rule):
    code = "DW205"
    name = "single-stage-with-toolchain"
    severity = Severity.WARNING
    summary = "Single-stage build that installs compilers"

    def check(self, ctx: LintContext) -> Iterator[Finding]:
        if len(ctx.dockerfile.stages) != 1:
            return
        stage = ctx.dockerfile.stages[0]
        if not ctx.runs_python(stage):
            return
        for instruction, calls in ctx.runs(stage):
            tools = toolchain_packages(packages_kept(calls))
            if tools:
                message = f"single stage installs {', '.join(tools)}; build wheels in a builder stage"
                yield self.finding(ctx, ctx.line_span(instruction), message)
