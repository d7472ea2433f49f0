"""## What it does
Flags `pip install -r FILE` that does not verify hashes: no `--require-hashes`, and the file (when
the project is at hand) carries no `--hash` lines. One finding per RUN names every such file.

## Why is this bad?
Without hashes, the build installs whatever the index serves today for those versions — a
re-uploaded or compromised file goes unnoticed, and builds are not reproducible. The guides lock
with hashes (`pip-tools`, `poetry export --with-hashes`, `uv pip compile --generate-hashes`).

## Example
```Dockerfile
RUN pip install --no-cache-dir -r requirements.txt
```

## Use instead
```Dockerfile
RUN pip install --no-cache-dir --require-hashes -r requirements.txt
```
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import PurePosixPath

from dockwright.lint.commands import is_pip_install
from dockwright.lint.context import LintContext
from dockwright.lint.rule import Finding, Rule, Severity


class RequirementsWithoutHashes(Rule):
    code = "DW302"
    name = "requirements-without-hashes"
    severity = Severity.WARNING
    summary = "pip install -r without hash verification"

    def check(self, ctx: LintContext) -> Iterator[Finding]:
        hashed = ctx.project.hashed_files if ctx.project else frozenset()
        for stage in ctx.dockerfile.stages:
            for instruction, calls in ctx.runs(stage):
                unverified: dict[str, None] = {}  # one finding per RUN (`case` branches repeat a file)
                for call in calls:
                    if not is_pip_install(call) or call.has("--require-hashes"):
                        continue
                    files = call.value_of("-r", "--requirement")
                    unverified.update(dict.fromkeys(f for f in files if PurePosixPath(f).name not in hashed))
                if unverified:
                    message = f"{', '.join(unverified)} installed without --require-hashes"
                    yield self.finding(ctx, ctx.line_span(instruction), message)
