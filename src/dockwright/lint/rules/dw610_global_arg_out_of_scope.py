"""## What it does
Flags a `RUN` that reads `$NAME` where `NAME` is an ARG declared before the first `FROM` and not
declared again in the RUN's stage (nor set by an ENV the stage inherits). ARGs used in a `FROM` line
are left alone (the base image often sets an ENV of that name), as are the proxy ARGs BuildKit
passes to every RUN. The unsafe fix declares it again (`ARG NAME`) right after the stage's FROM.

## Why is this bad?
An ARG declared before the first FROM is in scope only in FROM lines: inside a stage the variable
is unset until an `ARG NAME` brings its default in. The RUN silently runs without it, and options
kept there (`--no-cache-dir`, `--no-install-recommends`) or packages listed there are never used.

## Example
```Dockerfile
ARG PIP_OPTIONS="--no-cache-dir --require-hashes"
FROM python:3.12.8-slim-bookworm
RUN pip install $PIP_OPTIONS -r requirements.txt
```

## Use instead
```Dockerfile
ARG PIP_OPTIONS="--no-cache-dir --require-hashes"
FROM python:3.12.8-slim-bookworm
ARG PIP_OPTIONS
RUN pip install $PIP_OPTIONS -r requirements.txt
```
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from dockwright.dockerfile.shell import run_script
from dockwright.dockerfile.syntax import Stage
from dockwright.lint.context import LintContext, run_instructions
from dockwright.lint.rule import Applicability, Edit, Finding, Fix, Rule, Severity

#: ARGs BuildKit passes to every RUN without a declaration (Dockerfile reference, "Predefined ARGs")
_PROXIES = ("HTTP_PROXY", "HTTPS_PROXY", "FTP_PROXY", "NO_PROXY", "ALL_PROXY")
_PREDEFINED = frozenset(p for name in _PROXIES for p in (name, name.lower()))
_REFERENCE = re.compile(r"\$\{?([A-Za-z_][A-Za-z0-9_]*)")


def _sets(script: str, name: str) -> bool:
    """Does the script set ``name`` itself (``NAME=``, ``export``/``local``/``read``/``for NAME``)?"""
    assignment = rf"(^|[\s;&|(]){name}="
    keyword = rf"\b(for|read|export|local)\s+([^;&|]*\s)?{name}\b"
    return bool(re.search(assignment, script) or re.search(keyword, script))


class GlobalArgOutOfScope(Rule):
    code = "DW610"
    name = "global-arg-out-of-scope"
    severity = Severity.WARNING
    summary = "RUN reads a global ARG its stage never declared (it is empty there)"
    fix = Applicability.UNSAFE  # the RUN then sees the value: the build changes (as intended)

    def check(self, ctx: LintContext) -> Iterator[Finding]:
        global_args = {key for instruction in ctx.dockerfile.global_args for key, _ in instruction.pairs}
        in_from = {
            name
            for stage in ctx.dockerfile.stages
            for name in _REFERENCE.findall(stage.from_instruction.value)
        }
        candidates = set(global_args) - in_from - _PREDEFINED
        if not candidates:
            return
        for stage in ctx.dockerfile.stages:
            yield from self._stage(ctx, stage, candidates)

    def _stage(self, ctx: LintContext, stage: Stage, candidates: set[str]) -> Iterator[Finding]:
        # ENV set in this stage or a stage it is built FROM, and ARGs declared in this stage: in scope
        env = {key for i in ctx.instructions_of(stage) if i.keyword == "ENV" for key, _ in i.pairs}
        runs = {id(i) for i in run_instructions(stage)}
        declared: set[str] = set()
        reported: set[str] = set()
        for instruction in stage.instructions:
            if instruction.keyword == "ARG":
                declared.update(key for key, _ in instruction.pairs)
                continue
            run = instruction.inner if instruction.keyword == "ONBUILD" else instruction
            if run is None or id(run) not in runs:
                continue
            script = run_script(run)
            for name in dict.fromkeys(_REFERENCE.findall(script)):
                if name not in candidates or name in declared | env | reported:
                    continue
                if re.search(
                    rf"(^|[\s;&|(]){name}=|\b(for|read|export|local)\s+([^;&|]*\s)?{name}\b", script
                ):
                    continue  # the script sets it itself
                reported.add(name)
                yield self.finding(
                    ctx,
                    ctx.line_span(run),
                    f"${name} is a global ARG this stage never declares: the RUN sees it empty; "
                    f"add `ARG {name}` after the stage's FROM",
                    self._fix(ctx, stage, name),
                )

    def _fix(self, ctx: LintContext, stage: Stage, name: str) -> Fix:
        newline = "\r\n" if "\r\n" in ctx.text else "\n"
        end = stage.from_instruction.span.end
        return Fix(f"declare ARG {name} in the stage", (Edit(end, end, f"{newline}ARG {name}"),), self.fix)
