"""## What it does
Flags `ADD` of local files or directories (not URLs, not archives meant to be unpacked).

## Why is this bad?
`ADD` also fetches URLs and unpacks archives; using it for plain files hides which of those it
does. `COPY` says exactly what happens.

## Example
```Dockerfile
ADD requirements.txt /app/
```

## Use instead
```Dockerfile
COPY requirements.txt /app/
```
"""

from __future__ import annotations

from collections.abc import Iterator

from dockwright.lint.context import LintContext
from dockwright.lint.rule import Applicability, Edit, Finding, Fix, Rule, Severity

_ARCHIVES = (".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tbz2", ".tar.xz", ".txz", ".tar.zst")


class AddLocalFile(Rule):
    code = "DW405"
    name = "add-instead-of-copy"
    severity = Severity.WARNING
    summary = "ADD used for local files (use COPY)"
    aliases = ("DL3020",)
    fix = Applicability.SAFE

    def check(self, ctx: LintContext) -> Iterator[Finding]:
        for instruction in ctx.dockerfile.instructions:
            if instruction.keyword != "ADD" or len(instruction.arguments) < 2 or instruction.heredocs:
                continue
            sources = instruction.arguments[:-1]
            if any("://" in s or s.startswith("git@") or s.endswith(_ARCHIVES) for s in sources):
                continue
            if any(f.name in ("checksum", "keep-git-dir") for f in instruction.flags):
                continue
            span = instruction.keyword_span
            fix = Fix("use COPY", (Edit(span.start, span.end, "COPY"),))
            yield self.finding(ctx, ctx.line_span(instruction), "ADD of local files: use COPY", fix)
