"""## What it does
Flags a `COPY`/`ADD` of a file from the build context that `.dockerignore` excludes.

## Why is this bad?
The build fails with "not found" (or, with a wildcard, silently copies nothing) — typically a
lock file or the README that `pyproject.toml` names, excluded by a broad `*.md` or `*.txt`.

## Example
```text
# .dockerignore
*.txt
```
```Dockerfile
COPY requirements.txt ./
```

## Use instead
```text
*.txt
!requirements.txt
```
"""

from __future__ import annotations

from collections.abc import Iterator

from dockwright.lint.context import LintContext
from dockwright.lint.rule import Finding, Rule, Severity


class CopiedFileIgnored(Rule):
    code = "DW703"
    name = "copied-file-ignored"
    severity = Severity.ERROR
    summary = "COPY of a file that .dockerignore excludes"

    def check(self, ctx: LintContext) -> Iterator[Finding]:
        ignore = ctx.dockerignore
        if ignore is None:
            return
        for instruction in ctx.dockerfile.instructions:
            if instruction.keyword not in ("COPY", "ADD") or instruction.flag("from") or instruction.heredocs:
                continue
            for source in instruction.arguments[:-1]:
                if "://" in source or source in (".", "./") or any(ch in source for ch in "*?[$"):
                    continue
                if ignore.excluded(source):
                    yield self.finding(
                        ctx, ctx.line_span(instruction), f"{source} is excluded by .dockerignore"
                    )
