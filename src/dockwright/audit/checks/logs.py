"""## What it does
PASS when the image sets `PYTHONUNBUFFERED` or its command runs `python -u` (or
`-X unbuffered`); FAIL otherwise.

## Why is this bad?
With stdout going to a pipe, Python buffers it in blocks: log lines reach `docker logs` late, and
the last ones are lost when the container is killed — exactly the lines that explain a crash.

## Example
```Dockerfile
CMD ["python", "worker.py"]
```

## Use instead
```Dockerfile
ENV PYTHONUNBUFFERED=1
CMD ["python", "worker.py"]
```
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from dockwright.audit.checks.base import CheckOptions, CheckResult, Evidence, Status
from dockwright.audit.checks.common import _command
from dockwright.audit.image import ImageFacts

ID = "logs"
TITLE = "Logs to stdout (unbuffered)"
GROUP = "checklist"


def _python_unbuffered_flag(argv: Sequence[str]) -> bool:
    for i, arg in enumerate(argv):
        if re.fullmatch(r"(?:.*/)?python[0-9.]*", arg):
            for flag in argv[i + 1 :]:
                if not flag.startswith("-") or flag == "-m" or flag == "-c":
                    break
                if flag == "-Xunbuffered" or (
                    not flag.startswith("--") and "u" in flag[1:] and flag[1:].isalpha()
                ):
                    return True
    return False


def check_logs(facts: ImageFacts, options: CheckOptions) -> CheckResult:
    """Logs to stdout unbuffered: PYTHONUNBUFFERED set, or ``python -u`` in the command."""
    title = "Logs to stdout (unbuffered)"
    value = facts.config.env_value("PYTHONUNBUFFERED")
    if value:
        return CheckResult(
            "logs",
            title,
            Status.PASS,
            f"PYTHONUNBUFFERED={value}",
            (Evidence("Config.Env", None, 0, f"PYTHONUNBUFFERED={value}"),),
        )
    argv = _command(facts)
    if _python_unbuffered_flag(argv):
        return CheckResult(
            "logs",
            title,
            Status.PASS,
            "python -u in the command",
            (Evidence("Config.Cmd", None, 0, " ".join(argv)[:200]),),
        )
    return CheckResult(
        "logs",
        title,
        Status.FAIL,
        "no PYTHONUNBUFFERED and no python -u: logs arrive late or are lost",
        (Evidence("Config.Env", None, 0, "PYTHONUNBUFFERED not set"),),
    )
