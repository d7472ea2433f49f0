"""## What it does
Flags a final `USER` given by name instead of a numeric UID (and GID). Windows containers, whose
users are names (`ContainerUser`), are left alone.

## Why is this bad?
Kubernetes' `runAsNonRoot` cannot verify a name, file ownership on volumes depends on the number,
and the number a name maps to changes when the image's `/etc/passwd` does. The guides: a fixed
UID/GID such as 10001.

## Example
```Dockerfile
USER appuser
```

## Use instead
```Dockerfile
USER 10001:10001
```
"""

from __future__ import annotations

from collections.abc import Iterator

from dockwright.lint.context import LintContext
from dockwright.lint.rule import Finding, Rule, Severity


class UserNotNumeric(Rule):
    code = "DW402"
    name = "user-not-numeric"
    severity = Severity.WARNING
    summary = "Final USER is a name, not a fixed numeric UID"

    def check(self, ctx: LintContext) -> Iterator[Finding]:
        final = ctx.final
        user = ctx.last(final, "USER") if final else None
        if user is None or not user.arguments or (final is not None and ctx.windows(final)):
            return  # Windows users are names (ContainerUser), never UIDs
        parts = user.arguments[0].split(":")
        if parts[0] in ("root", "0") or "$" in user.arguments[0]:
            return
        if not all(part.isdigit() for part in parts):
            yield self.finding(
                ctx,
                ctx.line_span(user),
                f"USER {user.arguments[0]}: use a numeric UID:GID (e.g. 10001:10001)",
            )
