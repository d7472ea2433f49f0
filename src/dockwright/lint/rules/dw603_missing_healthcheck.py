r"""## What it does
Flags a web app's final stage (it EXPOSEs a port or runs gunicorn, uvicorn, ...) without a
`HEALTHCHECK`. `HEALTHCHECK NONE` counts as a conscious omission.

Applies to stages that run Python: a Python base image, a RUN that installs or runs Python or a
Python package manager, or a Python start command (a stage built FROM another inherits it).

## Why is this bad?
Without a probe the engine reports a hung app as running. The guides' checklist: "Healthcheck
present or consciously omitted". No curl needed: a Python one-liner probes HTTP or TCP.

## Example
```Dockerfile
EXPOSE 8000
CMD ["gunicorn", "--bind", "0.0.0.0:8000", "app:app"]
```

## Use instead
```Dockerfile
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --retries=3 \
    CMD ["python", "-c", "import urllib.request as u; u.urlopen('http://127.0.0.1:8000/healthz', timeout=4)"]
CMD ["gunicorn", "--bind", "0.0.0.0:8000", "app:app"]
```
"""

from __future__ import annotations

from collections.abc import Iterator

from dockwright.lint.context import LintContext
from dockwright.lint.rule import Finding, Rule, Severity


class MissingHealthcheck(Rule):
    code = "DW603"
    name = "web-app-without-healthcheck"
    severity = Severity.WARNING
    summary = "Web app image without a HEALTHCHECK"

    def check(self, ctx: LintContext) -> Iterator[Finding]:
        final = ctx.final
        if final is None or not ctx.runs_python(final) or not ctx.is_web_app(final):
            return
        if ctx.last(final, "HEALTHCHECK") is None:
            yield self.finding(
                ctx,
                ctx.line_span(final.from_instruction),
                "web app without HEALTHCHECK (or HEALTHCHECK NONE)",
            )
