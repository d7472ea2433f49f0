"""## What it does
Flags `pip install .` (or `-e .`) of the project's source tree in the final stage.

## Why is this bad?
Building the project inside the runtime pulls build backends and temporary build files into the
image, and `-e` keeps the source tree importable in place. The guides build a wheel of the app in
the builder and install the wheel (`--no-deps`) in the runtime.

## Example
```Dockerfile
COPY . .
RUN pip install --no-cache-dir .
```

## Use instead
```Dockerfile
# builder
RUN pip wheel --no-deps --wheel-dir /dist .
# runtime
RUN --mount=type=bind,from=builder,source=/dist,target=/tmp/dist pip install --no-deps /tmp/dist/*.whl
```
"""

from __future__ import annotations

from collections.abc import Iterator

from dockwright.lint.commands import is_pip_install
from dockwright.lint.context import LintContext
from dockwright.lint.rule import Finding, Rule, Severity


class PipInstallSourceTree(Rule):
    code = "DW309"
    name = "pip-install-source-tree"
    severity = Severity.INFO
    summary = "The app installed from its source tree in the final stage (build a wheel instead)"

    def check(self, ctx: LintContext) -> Iterator[Finding]:
        final = ctx.final
        if final is None:
            return
        for instruction, calls in ctx.runs(final):
            for call in calls:
                if not is_pip_install(call):
                    continue
                if "." in call.args or "./" in call.args or call.value_of("-e", "--editable"):
                    yield self.finding(
                        ctx,
                        ctx.line_span(instruction),
                        "app installed from its source tree; install a wheel built in a builder stage",
                    )
