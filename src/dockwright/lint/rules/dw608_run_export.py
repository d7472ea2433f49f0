"""## What it does
Flags a `RUN` that only sets shell variables (`RUN export PATH=/app/bin:$PATH`,
`RUN FOO=bar`).

## Why is this bad?
Each RUN has its own shell, which exits with the instruction: the variable is gone before the
next line, and the app never sees it. It looks like configuration and does nothing.

## Example
```Dockerfile
RUN export PATH=/opt/venv/bin:$PATH
```

## Use instead
```Dockerfile
ENV PATH=/opt/venv/bin:$PATH
```
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from dockwright.dockerfile.shell import run_script
from dockwright.lint.context import LintContext
from dockwright.lint.rule import Finding, Rule, Severity

_ASSIGNMENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*=")


class RunExport(Rule):
    code = "DW608"
    name = "run-export"
    severity = Severity.WARNING
    summary = "RUN that only exports variables (they vanish with the RUN's shell)"

    def check(self, ctx: LintContext) -> Iterator[Finding]:
        for instruction in ctx.dockerfile.instructions:
            if instruction.keyword != "RUN":
                continue
            commands = ctx.shell_commands(run_script(instruction))
            if not commands:
                continue
            names = []
            for command in commands:
                words = [w.text for w in command]
                if words[0] == "export":
                    words = words[1:]
                if not words or not all(_ASSIGNMENT.match(w) for w in words):
                    break
                names += [w.split("=", 1)[0] for w in words]
            else:
                if names:
                    message = (
                        f"RUN only sets {', '.join(names)}: the variable dies with this RUN's shell; "
                        "use ENV (or set it in the RUN that needs it)"
                    )
                    yield self.finding(ctx, ctx.line_span(instruction), message)
