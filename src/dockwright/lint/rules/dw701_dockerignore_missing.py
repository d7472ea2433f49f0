"""## What it does
Flags a Dockerfile whose build context (its folder) has no `.dockerignore`. A Dockerfile in a
subfolder is taken to be built with the repository as its context when a `.dockerignore` sits in a
folder above it (up to the folder holding `.git`).

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
from pathlib import Path

from dockwright.lint.context import LintContext
from dockwright.lint.rule import Finding, Rule, Severity


def _dockerignore_above(folder: Path) -> bool:
    """A .dockerignore in a folder above, up to the repository root (the folder holding .git)."""
    for candidate in folder.parents:
        if (candidate / ".dockerignore").is_file():
            return True
        if (candidate / ".git").exists():
            return False
    return False


class DockerignoreMissing(Rule):
    code = "DW701"
    name = "dockerignore-missing"
    severity = Severity.WARNING
    summary = "No .dockerignore next to the Dockerfile"

    def check(self, ctx: LintContext) -> Iterator[Finding]:
        if ctx.context_dir is None or ctx.dockerignore is not None or not ctx.dockerfile.instructions:
            return
        if _dockerignore_above(ctx.context_dir):
            return  # most likely built with that folder as its context (docker build -f sub/Dockerfile .)
        first = ctx.dockerfile.instructions[0]
        yield self.finding(
            ctx, ctx.line_span(first), f"no .dockerignore in {ctx.context_dir}: the whole folder is sent"
        )
