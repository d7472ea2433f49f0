"""## What it does
Flags a final image that runs as root: no `USER` in the final stage (or its parents), or the last
`USER` is `root` or `0`. A base image known to set a non-root USER of its own (distroless and
Chainguard `nonroot` tags, Jupyter docker-stacks, Bitnami), or one named by an ARG without a
default, is trusted. Windows containers (a Windows base or a PowerShell/cmd SHELL) have no root
and are left alone.

## Why is this bad?
A process escaping the app runs with root's rights in the container, and often on volumes the
host shares. The guides: non-root always, with a fixed UID.

## Example
```Dockerfile
FROM python:3.12.8-slim-bookworm
CMD ["python", "-m", "myapp"]
```

## Use instead
```Dockerfile
FROM python:3.12.8-slim-bookworm
RUN groupadd --gid 10001 app && useradd --uid 10001 --gid 10001 --no-log-init app
USER 10001:10001
CMD ["python", "-m", "myapp"]
```
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from dockwright.lint.context import LintContext
from dockwright.lint.rule import Finding, Rule, Severity

# Base images whose default user is already non-root: distroless/chainguard `nonroot` tags and
# images that set a USER of their own (Jupyter's docker-stacks run as jovyan, Bitnami's as 1001).
_NONROOT_BASES = (":nonroot", "-nonroot")
_NONROOT_IMAGES = re.compile(r"(^|/)(jupyter/|bitnami/|cgr\.dev/chainguard/)|-notebook(:|$)|^\$")


class RunsAsRoot(Rule):
    code = "DW401"
    name = "runs-as-root"
    severity = Severity.ERROR
    summary = "The final image runs as root"
    aliases = ("DL3002",)

    def check(self, ctx: LintContext) -> Iterator[Finding]:
        final = ctx.final
        if final is None or ctx.windows(final):
            return  # Windows containers have no root (ContainerUser/ContainerAdministrator)
        user = ctx.last(final, "USER")
        if user is None:
            base = ctx.ancestry(final)[0].base_image
            if base.endswith(_NONROOT_BASES) or _NONROOT_IMAGES.search(ctx.resolved_image(base)):
                return  # the base image's own USER applies (or the base is unknown)
            yield self.finding(
                ctx, ctx.line_span(final.from_instruction), "no USER in the final stage: runs as root"
            )
            return
        name = (user.arguments[0] if user.arguments else "").split(":")[0]
        if name in ("root", "0"):
            yield self.finding(ctx, ctx.line_span(user), f"the final USER is {name}")
