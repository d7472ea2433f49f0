"""## What it does
Flags a `RUN` with a pipe that downloads or runs what it receives (`curl ... | sh`,
`wget -O- ... | tar -x`, `... | python`) when neither the stage's `SHELL` nor the script itself
sets `-o pipefail`. Pipes into a filter whose status is the point (`ldd x | grep -q`) are left
alone.

## Why is this bad?
A pipeline's status is its last command's: when `curl` fails, `curl ... | tar -x` or
`... | sh` can still succeed, and the build goes on with a half-installed tool.

## Example
```Dockerfile
RUN curl -fsSL https://example.org/install.sh | sh
```

## Use instead
```Dockerfile
SHELL ["/bin/bash", "-o", "pipefail", "-c"]
RUN curl -fsSL https://example.org/install.sh | sh
```
(or start the script with `set -o pipefail &&` where the shell supports it: bash, busybox ash)
"""

from __future__ import annotations

from collections.abc import Iterator

from dockwright.dockerfile.shell import SHELLS, ShellWord, run_script
from dockwright.lint.context import LintContext
from dockwright.lint.rule import Finding, Rule, Severity

_DOWNLOADERS = frozenset({"curl", "wget", "fetch", "aria2c"})
_CONSUMERS = SHELLS | frozenset({"python", "python3", "tar", "gpg", "apt-key", "bsdtar", "unzip", "perl"})


def risky_pipe(script: str, commands: list[list[ShellWord]]) -> bool:
    """Does a pipe start with a downloader or feed a shell/interpreter/unpacker?"""
    for position in pipe_positions(script):
        left = [c for c in commands if c and c[-1].end <= position]
        right = [c for c in commands if c and c[0].start > position]
        before = _program(left[-1]) if left else ""
        after = _program(right[0]) if right else ""
        if before in _DOWNLOADERS or after in _CONSUMERS:
            return True
    return False


def _program(command: list[ShellWord]) -> str:
    for word in command:
        if "=" not in word.text and word.text not in ("sudo", "!"):
            return word.text.rsplit("/", 1)[-1]
    return ""


def pipe_positions(script: str) -> list[int]:
    """Offsets of ``|`` pipes (not ``||``) outside quotes and comments."""
    found: list[int] = []
    quote = ""
    index = 0
    n = len(script)
    while index < n:
        ch = script[index]
        if quote:
            if ch == "\\" and quote == '"':
                index += 1
            elif ch == quote:
                quote = ""
        elif ch == "\\":
            index += 1
        elif ch in "'\"":
            quote = ch
        elif ch == "#" and (index == 0 or script[index - 1] in " \t\n;&|("):
            newline = script.find("\n", index)
            index = n if newline < 0 else newline
            continue
        elif ch == "|":
            if index + 1 < n and script[index + 1] == "|":
                index += 2
                continue
            if index > 0 and script[index - 1] == ">":  # >| (clobber)
                index += 1
                continue
            found.append(index)
        index += 1
    return found


class PipeWithoutPipefail(Rule):
    code = "DW208"
    name = "pipe-without-pipefail"
    severity = Severity.WARNING
    summary = "RUN piping a download or into a shell without `set -o pipefail`"
    aliases = ("DL4006",)

    def check(self, ctx: LintContext) -> Iterator[Finding]:
        for stage in ctx.dockerfile.stages:
            for instruction in stage.instructions:
                if instruction.keyword == "SHELL":
                    continue
                if instruction.keyword != "RUN" or instruction.json_form:
                    continue
                shell = ctx.last_before(stage, instruction, "SHELL")
                if shell is not None and "pipefail" in " ".join(shell.arguments):
                    continue
                script = run_script(instruction)
                if "pipefail" in script or not risky_pipe(script, ctx.shell_commands(script)):
                    continue
                message = (
                    "pipe without pipefail: a failing download or command before `|` is ignored; add "
                    'SHELL ["/bin/bash", "-o", "pipefail", "-c"] or start the RUN with `set -o pipefail &&`'
                )
                yield self.finding(ctx, ctx.line_span(instruction), message)
