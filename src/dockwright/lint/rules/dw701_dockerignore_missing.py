"""## What it does
Flags a Dockerfile whose build context (its folder) has no `.dockerignore`.

## Why is this bad?
Everything in the folder is sent to the engine and can be copied into the image: `.git`,
virtualenvs, `.env` files with secrets, caches. The guides: an aggressive `.dockerignore`.

## Example
```text
myapp/
  Dockerfile
  .venv/
  .env
```

## Use instead
```text
# .dockerignore
.git
.venv
**/__pycache__
.env
.env.*
```
"""

from __future__ import annotations

from collections.abc import Iterator

from dockwright.lint.context import LintContext
from dockwright.lint.rule import Finding, Rule, Severity


class DockerignoreMissing(Rule):
    code = "DW701"
    name = "dockerignore-missing"
    severity = Severity.WARNING
    summary = "No .dockerignore next to the Dockerfile"

    def check(self, ctx: LintContext) -> Iterator[Finding]:
        if ctx.context_dir is None or ctx.dockerignore is not None or not ctx.dockerfile.instructions:
            return
        first = ctx.dockerfile.instructions[0]
        yield self.finding(
            ctx, ctx.line_span(first), f"no .dockerignore in {ctx.context_dir}: the whole folder is sent"
        )
