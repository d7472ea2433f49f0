"""## What it does
Flags `pipenv install` without `--deploy` (and `pipenv install --dev` anywhere in the final stage).

## Why is this bad?
Without `--deploy`, pipenv silently re-locks when `Pipfile.lock` is out of date, so the image
installs something nobody reviewed. `--deploy` fails the build instead.

## Example
```Dockerfile
RUN pipenv install --system
```

## Use instead
```Dockerfile
RUN pipenv install --system --deploy
```
(and no `--dev` in the image that ships: a test stage installs the development packages)
"""

from __future__ import annotations

from collections.abc import Iterator

from dockwright.lint.context import LintContext, flag_fix
from dockwright.lint.rule import Applicability, Finding, Rule, Severity


class PipenvWithoutDeploy(Rule):
    code = "DW307"
    name = "pipenv-install-without-deploy"
    severity = Severity.WARNING
    summary = "pipenv install without --deploy"
    fix = Applicability.UNSAFE

    def check(self, ctx: LintContext) -> Iterator[Finding]:
        shipped = {s.index for s in ctx.shipped_stages()}
        for stage in ctx.dockerfile.stages:
            for instruction, calls in ctx.runs(stage):
                for call in calls:
                    if call.tool != "pipenv" or call.subcommand != "install":
                        continue
                    if call.positionals():
                        continue  # `pipenv install NAME` adds a package: a different mistake
                    if stage.index in shipped and (call.has("--dev") or call.has_short("d")):
                        message = (
                            "`pipenv install --dev` in the final image: the development packages (test "
                            "runners, linters) ship with the app; install them in a test stage"
                        )
                        yield self.finding(ctx, ctx.line_span(instruction), message)
                    if not call.has("--deploy"):
                        fix = flag_fix(
                            instruction,
                            program="pipenv",
                            after="install",
                            flag="--deploy",
                            ctx=ctx,
                            call=call,
                        )
                        yield self.finding(
                            ctx, ctx.line_span(instruction), "`pipenv install` without --deploy", fix
                        )
