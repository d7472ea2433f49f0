"""## What it does
Flags `COPY . .` (or `ADD . .`) that comes before the dependency install in the same stage.

## Why is this bad?
Any change to any source file invalidates the copy, and with it every later layer: each build
reinstalls all dependencies. Copy the lock file first, install, then copy the source.

## Example
```Dockerfile
COPY . .
RUN pip install --no-cache-dir --require-hashes -r requirements.txt
```

## Use instead
```Dockerfile
COPY requirements.txt ./
RUN pip install --no-cache-dir --require-hashes -r requirements.txt
COPY . .
```
"""

from __future__ import annotations

from collections.abc import Iterator

from dockwright.lint.commands import installs_dependencies
from dockwright.lint.context import LintContext
from dockwright.lint.rule import Finding, Rule, Severity


class CopySourceBeforeDeps(Rule):
    code = "DW501"
    name = "copy-source-before-dependencies"
    severity = Severity.WARNING
    summary = "Whole source copied before the dependency install (breaks layer caching)"

    def check(self, ctx: LintContext) -> Iterator[Finding]:
        for stage in ctx.dockerfile.stages:
            whole_copy = None
            for instruction in stage.instructions:
                if instruction.keyword in ("COPY", "ADD") and instruction.flag("from") is None:
                    if whole_copy is None and any(s in (".", "./", "*") for s in instruction.arguments[:-1]):
                        whole_copy = instruction
                elif instruction.keyword == "RUN" and any(
                    installs_dependencies(c) for c in ctx.calls_of(instruction)
                ):
                    # the first dependency install of the stage decides: before or after the source copy
                    if whole_copy is not None:
                        message = (
                            "source copied before the dependency install: code changes reinstall everything"
                        )
                        yield self.finding(ctx, ctx.line_span(whole_copy), message)
                    break
