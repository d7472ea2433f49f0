"""## What it does
Flags `ENTRYPOINT` and `CMD` in shell form (`CMD gunicorn app:app`).

## Why is this bad?
Shell form runs `/bin/sh -c "..."`: the shell is PID 1 and does not forward SIGTERM, so
`docker stop` waits its full timeout and kills the app without a graceful shutdown. Exec form
(a JSON array) runs the program directly.

## Example
```Dockerfile
CMD gunicorn --bind 0.0.0.0:8000 app:app
```

## Use instead
```Dockerfile
CMD ["gunicorn", "--bind", "0.0.0.0:8000", "app:app"]
```
"""

from __future__ import annotations

import json
from collections.abc import Iterator

from dockwright.lint.context import LintContext
from dockwright.lint.rule import Applicability, Edit, Finding, Fix, Rule, Severity

_SHELL_SYNTAX = set("$&|;<>`*?(){}'\"\\")


class ShellFormCommand(Rule):
    code = "DW602"
    name = "shell-form-command"
    severity = Severity.WARNING
    summary = "ENTRYPOINT/CMD in shell form (signals do not reach the app)"
    aliases = ("DL3025",)
    fix = Applicability.UNSAFE

    def check(self, ctx: LintContext) -> Iterator[Finding]:
        final = ctx.final
        if final is None:
            return
        for keyword in ("ENTRYPOINT", "CMD"):
            instruction = ctx.last(final, keyword)
            if instruction is None or instruction.json_form or not instruction.value.strip():
                continue
            fix = None
            value = instruction.value.strip()
            message = f"{keyword} in shell form: signals go to /bin/sh, not the app"
            if value.startswith("["):  # meant as exec form: BuildKit runs text that is no JSON array with sh
                words = [w.strip() for w in value.removeprefix("[").removesuffix("]").split(",")]
                message = (
                    f"{keyword} looks like exec form but is no JSON array (each word in double quotes), "
                    "so it runs in shell form: signals go to /bin/sh, not the app"
                )
                if value.endswith("]") and all(words) and not _SHELL_SYNTAX & set("".join(words)):
                    span = instruction.args_span
                    edit = Edit(span.start, span.end, json.dumps(words))
                    fix = Fix("quote the words", (edit,), Applicability.UNSAFE)
            elif not _SHELL_SYNTAX & set(instruction.value):
                exec_form = json.dumps(instruction.value.split())
                span = instruction.args_span
                # exec form drops the shell: a behaviour change when the command relied on it
                fix = Fix("use exec form", (Edit(span.start, span.end, exec_form),), Applicability.UNSAFE)
            yield self.finding(ctx, ctx.line_span(instruction), message, fix)
