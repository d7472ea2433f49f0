"""## What it does
Flags a final image whose PID 1 is a Python process (python, gunicorn, uvicorn, celery, ...)
with no init (`tini`, `dumb-init`) in front of it. Windows containers, which have no PID 1
signal rules nor tini, are left alone.

## Why is this bad?
PID 1 gets no default signal handling from the kernel: a plain `python app.py` ignores SIGTERM,
so `docker stop` waits its timeout and kills it. Servers that handle SIGTERM still do not reap
zombie children. The guides: tini/dumb-init as the init process in slim images.

## Example
```Dockerfile
CMD ["python", "worker.py"]
```

## Use instead
```Dockerfile
RUN apt-get update && apt-get install -y --no-install-recommends tini && rm -rf /var/lib/apt/lists/*
ENTRYPOINT ["/usr/bin/tini", "--"]
CMD ["python", "worker.py"]
```
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from dockwright.lint.context import LintContext
from dockwright.lint.rule import Finding, Rule, Severity

_INITS = frozenset({"tini", "tini-static", "dumb-init", "catatonit", "s6-svscan", "supervisord", "runsvdir"})
_PYTHON_PROCESSES = re.compile(
    r"^(python(3(\.\d+)?)?|gunicorn|uvicorn|hypercorn|daphne|celery|streamlit|flask|django-admin|granian|rq|dramatiq)$"
)


class NoInitProcess(Rule):
    code = "DW605"
    name = "no-init-process"
    severity = Severity.WARNING
    summary = "A Python process is PID 1 without tini/dumb-init"

    def check(self, ctx: LintContext) -> Iterator[Finding]:
        final = ctx.final
        if final is None or ctx.windows(final):
            return  # tini and PID 1's signal rules are Linux's
        words = ctx.start_command(final)
        if not words:
            return
        first = words[0].rsplit("/", 1)[-1]
        if first in _INITS:
            return
        if first in ("sh", "bash", "/bin/sh"):
            return  # the shell-form rule reports it
        if _PYTHON_PROCESSES.match(first):
            where = ctx.last(final, "ENTRYPOINT") or ctx.last(final, "CMD")
            assert where is not None
            if not where.json_form:
                return  # a shell-form command is DW602's (one owner per finding)
            yield self.finding(
                ctx,
                ctx.line_span(where),
                f'{first} runs as PID 1 with no init; add tini (ENTRYPOINT ["/usr/bin/tini", "--"])',
            )
