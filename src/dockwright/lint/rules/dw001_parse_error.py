"""## What it does
Reports a line the parser could not read (an unknown instruction, a bad flag, an unterminated heredoc).

## Why is this bad?
BuildKit refuses the file or reads it differently from what was meant; every other rule is
checking a guess.

## Example
```Dockerfile
RUNN pip install flask
```

## Use instead
```Dockerfile
RUN pip install --no-cache-dir flask==3.1.0
```
"""

from __future__ import annotations

from collections.abc import Iterator

from dockwright.lint.context import LintContext
from dockwright.lint.rule import Finding, Rule, Severity


class ParseError(Rule):
    code = "DW001"
    name = "dockerfile-parse-error"
    severity = Severity.ERROR
    summary = "The Dockerfile has a line BuildKit cannot parse"

    def check(self, ctx: LintContext) -> Iterator[Finding]:
        for error in ctx.dockerfile.errors:
            yield self.finding(ctx, error.span, error.message)
