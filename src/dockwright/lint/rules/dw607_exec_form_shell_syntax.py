"""## What it does
Flags exec-form (JSON) `RUN`, `CMD` and `ENTRYPOINT` whose arguments hold `$VAR`/`${VAR}` or a
shell operator (`&&`, `||`, `;`, `|`, `>`, `<`) as a word. An exec form that runs a shell
(`["sh", "-c", "..."]`) is a script and is not flagged, nor one that runs a process runner which
expands variables and reads those operators itself (monofy).

## Why is this bad?
Exec form runs the program directly, with no shell: `$PORT` reaches it as the five characters
`$PORT`, and `&&` is just another argument. The command that looks right does something else.

## Example
```Dockerfile
CMD ["gunicorn", "--bind", "0.0.0.0:$PORT", "app:app"]
RUN ["pip", "install", "-r", "requirements.txt", "&&", "rm", "-rf", "/tmp/x"]
```

## Use instead
```Dockerfile
CMD ["sh", "-c", "exec gunicorn --bind 0.0.0.0:${PORT:-8000} app:app"]
RUN pip install -r requirements.txt && rm -rf /tmp/x
```
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from dockwright.dockerfile.shell import SHELLS
from dockwright.lint.context import LintContext
from dockwright.lint.rule import Finding, Rule, Severity

_VARIABLE = re.compile(r"\$(\{[A-Za-z_][A-Za-z0-9_]*|[A-Za-z_][A-Za-z0-9_]*)")
_OPERATORS = frozenset({"&&", "||", ";", "|", ">", ">>", "<", "2>&1", "&"})
# process runners that expand `$VAR` in their arguments and read `&&` (and their own operators) themselves:
# monofy substitutes variables and runs `A && B ||| C` (https://github.com/bugsink/monofy#usage)
_EXPANDING_RUNNERS = frozenset({"monofy"})


class ExecFormShellSyntax(Rule):
    code = "DW607"
    name = "exec-form-shell-syntax"
    severity = Severity.ERROR
    summary = "Exec-form instruction with $VAR or a shell operator (no shell expands them)"

    def check(self, ctx: LintContext) -> Iterator[Finding]:
        for instruction in ctx.dockerfile.instructions:
            if instruction.keyword not in ("RUN", "CMD", "ENTRYPOINT") or not instruction.json_form:
                continue
            words = list(instruction.arguments)
            if words and words[0] in SHELLS and any(w.startswith("-") and "c" in w for w in words[1:3]):
                continue
            if words and words[0].rsplit("/", 1)[-1] in _EXPANDING_RUNNERS:
                continue
            variable = next((m.group(0) for w in words if (m := _VARIABLE.search(w))), None)
            operator = next((w for w in words if w in _OPERATORS), None)
            if variable is not None:
                name = variable.lstrip("${")
                message = (
                    f"exec form passes `{variable}` literally (no shell expands it); use shell form or "
                    f'["sh", "-c", "exec ... ${{{name}}}"]'
                )
            elif operator is not None:
                message = (
                    f"exec form passes `{operator}` to the program as an argument (no shell runs it); "
                    "use shell form or split it into instructions"
                )
            else:
                continue
            yield self.finding(ctx, ctx.line_span(instruction), message)
