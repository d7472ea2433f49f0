"""## What it does
Reports a line the parser could not read (an unknown instruction, a bad flag, an unterminated heredoc),
and a file BuildKit parses but cannot build: an instruction other than `ARG` before the first
`FROM` ("no build stage in current context"), or no `FROM` at all.

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
        dockerfile = ctx.dockerfile
        for error in dockerfile.errors:
            yield self.finding(ctx, error.span, error.message)
        first_from = dockerfile.stages[0].from_instruction.span.start if dockerfile.stages else None
        early = [
            instruction
            for instruction in dockerfile.instructions
            if instruction.keyword != "ARG" and (first_from is None or instruction.span.start < first_from)
        ]
        for instruction in early:  # what BuildKit's instructions.Parse refuses after the parser
            yield self.finding(
                ctx,
                instruction.keyword_span,
                f"{instruction.keyword} before the first FROM: no build stage in current context",
            )
        if dockerfile.instructions and not dockerfile.stages and not early:
            yield self.finding(
                ctx, dockerfile.instructions[0].span, "no FROM: the Dockerfile has no stage to build"
            )
