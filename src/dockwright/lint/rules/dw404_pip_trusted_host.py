r"""## What it does
Flags `pip --trusted-host` and `PIP_TRUSTED_HOST`.

## Why is this bad?
It turns off TLS verification for that host: anyone on the network path can serve you other
packages. Fix the certificate (or mount the CA bundle) instead.

## Example
```Dockerfile
RUN pip install --trusted-host pypi.internal -r requirements.txt
```

## Use instead
```Dockerfile
RUN --mount=type=secret,id=pipconf,target=/root/.config/pip/pip.conf \
    pip install --no-cache-dir --require-hashes -r requirements.txt
```
"""

from __future__ import annotations

from collections.abc import Iterator

from dockwright.lint.context import LintContext
from dockwright.lint.rule import Finding, Rule, Severity


class PipTrustedHost(Rule):
    code = "DW404"
    name = "pip-trusted-host"
    severity = Severity.ERROR
    summary = "pip told to skip TLS verification (--trusted-host / PIP_TRUSTED_HOST)"

    def check(self, ctx: LintContext) -> Iterator[Finding]:
        for instruction in ctx.dockerfile.instructions:
            if instruction.keyword in ("ENV", "ARG") and any(
                k == "PIP_TRUSTED_HOST" for k, _ in instruction.pairs
            ):
                yield self.finding(
                    ctx, ctx.line_span(instruction), "PIP_TRUSTED_HOST turns off TLS checks for pip"
                )
        for stage in ctx.dockerfile.stages:
            for instruction, calls in ctx.runs(stage):
                if any(
                    c.tool in ("pip", "uv-pip") and c.has("--trusted-host", "--allow-insecure-host")
                    for c in calls
                ):
                    yield self.finding(
                        ctx, ctx.line_span(instruction), "--trusted-host turns off TLS checks for pip"
                    )
