"""## What it does
Flags a `pip install` (or `uv pip install`) requirement with a version comparison written without
quotes, e.g. `pip install flask>=3` or `pip install "django" numpy<2`.

## Why is this bad?
In a shell-form RUN the shell reads the unquoted `>` and `<` before pip sees them: `flask>=3` is
`flask` with its output redirected to a file named `=3` in the working directory, and `numpy<2` reads
its input from a file `2` (the step fails when there is none). The build passes, pip installs the
newest release with no bound at all, and a stray file lands in the image.

## Example
```Dockerfile
RUN pip install --no-cache-dir opencv-python-headless>=4.8
```

## Use instead
```Dockerfile
RUN pip install --no-cache-dir "opencv-python-headless==4.10.0.84"
```
Quote the requirement (better: pin it in a hash-locked requirements file).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from dockwright.dockerfile.shell import run_script
from dockwright.lint.commands import is_pip_install
from dockwright.lint.context import LintContext
from dockwright.lint.rule import Finding, Rule, Severity
from dockwright.lint.rules.dw303_pip_install_unpinned import PIP_VALUE_OPTIONS
from dockwright.shell_lists import commands

#: a requirement's name (with extras) directly followed by a version comparison the shell takes for a
#: redirect; a name has a letter (`2>&1` is a descriptor's redirect), a version a digit (`pip>/dev/null`
#: is a redirect meant as one)
_REDIRECTED = re.compile(r"^(?=[0-9._-]*[A-Za-z])[A-Za-z0-9][A-Za-z0-9._-]*(\[[^\]\s]*\])?[<>]=?[0-9*]")
_PIP_INSTALL = re.compile(r"\bpip3?\s+(?:\S+\s+)*?install\b")


def _bare(word: str, script: str) -> bool:
    """Does ``word`` appear as written, outside quotes (a word of its own), in one of ``script``'s
    commands that runs ``pip install``?"""
    pattern = rf"(?:^|(?<=[\s;&|(]))({re.escape(word)})(?=$|[\s;&|)])"
    return any(_PIP_INSTALL.search(part) and re.search(pattern, part) for part in commands(script))


class RequirementRedirected(Rule):
    code = "DW311"
    name = "requirement-redirected"
    severity = Severity.ERROR
    summary = "an unquoted version comparison in pip install is a shell redirect"

    def check(self, ctx: LintContext) -> Iterator[Finding]:
        for stage in ctx.dockerfile.stages:
            for instruction, calls in ctx.runs(stage):
                if instruction.json_form:
                    continue  # no shell reads the words of an exec-form RUN
                script = run_script(instruction)
                redirected = [
                    word
                    for call in calls
                    if is_pip_install(call)
                    for word in call.as_written.positionals(PIP_VALUE_OPTIONS)
                    if _REDIRECTED.match(word) and _bare(word, script)
                ]
                if redirected:
                    words = ", ".join(dict.fromkeys(redirected))
                    message = (
                        f"unquoted {words}: the shell reads `>`/`<` as a redirect, so pip installs the "
                        "package with no version bound (and `>` writes a stray file); quote the requirement"
                    )
                    yield self.finding(ctx, ctx.line_span(instruction), message)
