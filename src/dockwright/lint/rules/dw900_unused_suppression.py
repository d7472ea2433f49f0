"""## What it does
Flags a `# dockwright: ignore=CODE` comment that suppresses nothing. A `# hadolint ignore=`
comment suppresses our matching rules too but is never reported: hadolint's own rule may still need
it where ours (with its own semantics) finds nothing.

## Why is this bad?
Stale suppressions hide the next real finding of that rule on that line, and tell readers about a
problem that is no longer there.

## Example
```Dockerfile
# dockwright: ignore=DW201
RUN pip install --no-cache-dir --require-hashes -r requirements.txt
```

## Use instead
```Dockerfile
RUN pip install --no-cache-dir --require-hashes -r requirements.txt
```
"""

from __future__ import annotations

from collections.abc import Iterator

from dockwright.lint.context import LintContext
from dockwright.lint.rule import Finding, Rule, Severity


class UnusedSuppression(Rule):
    """Reported by the linter after every other rule ran (it needs their findings)."""

    code = "DW900"
    name = "unused-suppression"
    severity = Severity.INFO
    summary = "A suppression comment that suppresses nothing"

    def check(self, ctx: LintContext) -> Iterator[Finding]:
        return iter(())
