"""## What it does
Flags a final stage that neither sets `PYTHONUNBUFFERED=1` nor starts Python with `-u`.

Applies to stages that run Python: a Python base image, a RUN that installs or runs Python or a
Python package manager, or a Python start command (a stage built FROM another inherits it).

## Why is this bad?
Python buffers stdout when it is not a terminal: logs arrive late or are lost when the container
is killed. The guides: logs to stdout/stderr, unbuffered.

## Example
```Dockerfile
CMD ["python", "-m", "myapp"]
```

## Use instead
```Dockerfile
ENV PYTHONUNBUFFERED=1
CMD ["python", "-m", "myapp"]
```
"""

from __future__ import annotations

from collections.abc import Iterator

from dockwright.lint.context import LintContext
from dockwright.lint.rule import Finding, Rule, Severity
from dockwright.python_program import PYTHON_PROGRAM


def unbuffered_flag(words: list[str]) -> bool:
    """Is Python started with ``-u`` (alone or among short flags such as ``-uB``)?"""
    for index, word in enumerate(words):
        if PYTHON_PROGRAM.match(word.rsplit("/", 1)[-1]):
            for option in words[index + 1 :]:
                if not option.startswith("-") or option.startswith("--") or option in ("-m", "-c"):
                    break
                if "u" in option[1:]:
                    return True
    return False


class PythonOutputBuffered(Rule):
    code = "DW601"
    name = "python-output-buffered"
    severity = Severity.WARNING
    summary = "Final image does not set PYTHONUNBUFFERED (or python -u)"

    def check(self, ctx: LintContext) -> Iterator[Finding]:
        final = ctx.final
        if final is None or not ctx.runs_python(final):
            return
        if ctx.env(final).get("PYTHONUNBUFFERED", "") not in ("", "0"):
            return
        if unbuffered_flag(ctx.start_command(final)):
            return
        yield self.finding(
            ctx, ctx.line_span(final.from_instruction), "PYTHONUNBUFFERED is not set: logs are buffered"
        )
