r"""## What it does
Flags a RUN that runs `apt-get update` (which downloads the package lists) but does not remove
`/var/lib/apt/lists/*` in the same instruction; a cache mount on `/var/lib/apt` counts as clean,
and so does `apt-get dist-clean` (apt 2.7.8+, Debian trixie: `clean` plus the package lists).
A bare `RUN apt-get update` layer is the one reported: an install in a later RUN cannot remove
lists an earlier layer holds, so that install is not flagged again.
Only the stages whose layers ship are checked: the final stage and the stages it is built FROM.

## Why is this bad?
Package lists removed in a later layer still ship in the earlier one: tens of megabytes that
every pull downloads and that go stale at once. An `apt-get update` alone in its layer is also
cached by the builder on its own, so a later `apt-get install` can run against stale lists.

## Example
```Dockerfile
RUN apt-get update
RUN apt-get install -y --no-install-recommends tini
```

## Use instead
```Dockerfile
RUN apt-get update \
    && apt-get install -y --no-install-recommends tini \
    && rm -rf /var/lib/apt/lists/*
```
"""

from __future__ import annotations

from collections.abc import Iterator

from dockwright.dockerfile.shell import run_script
from dockwright.lint.context import LintContext
from dockwright.lint.rule import Finding, Rule, Severity


class AptListsKept(Rule):
    code = "DW202"
    name = "apt-lists-kept"
    severity = Severity.WARNING
    summary = "apt package lists not removed in the layer that downloads them"
    aliases = ("DL3009",)

    def check(self, ctx: LintContext) -> Iterator[Finding]:
        for stage in ctx.shipped_stages():
            for instruction, calls in ctx.runs(stage):
                apt = [c for c in calls if c.tool in ("apt-get", "apt")]
                if not any(c.subcommand == "update" for c in apt):
                    continue
                mounts = " ".join(f.value or "" for f in instruction.flags_named("mount"))
                if "type=cache" in mounts and "/var/lib/apt" in mounts:
                    continue
                if "/var/lib/apt/lists" in run_script(instruction):
                    continue
                if any(c.subcommand == "dist-clean" for c in apt):
                    continue  # removes the lists too
                if all(c.subcommand == "update" for c in apt):
                    message = (
                        "`apt-get update` alone in its layer: its lists ship and go stale for later "
                        "installs; update, install and `rm -rf /var/lib/apt/lists/*` in one RUN"
                    )
                else:
                    message = "apt lists stay in this layer; add `rm -rf /var/lib/apt/lists/*`"
                yield self.finding(ctx, ctx.line_span(instruction), message)
