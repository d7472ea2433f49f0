"""## What it does
Reports whether the image has a shell (`/bin/sh`, `bash`, busybox, ash): informational, always
PASS.

## Why is this bad?
It is not, by itself: a shell is handy to debug a container (`docker exec -it ... sh`) and needed
by `sh -c` commands. Without one (distroless-style images) an attacker who gets code execution
has fewer tools. The finding tells which of the two the image is.

## Example
```Dockerfile
FROM python:3.12-slim
```
(`/bin/sh present`)

## Use instead
```Dockerfile
FROM gcr.io/distroless/python3-debian12
```
(no shell, when the app and its debugging do not need one)
"""

from __future__ import annotations

from dockwright.audit.checks.base import CheckOptions, CheckResult, Evidence, Status
from dockwright.audit.image import ImageFacts

ID = "shell"
TITLE = "Shell in the image (informational)"
GROUP = "python"


def check_shell(facts: ImageFacts, options: CheckOptions) -> CheckResult:
    """Whether a shell exists (informational: handy for debugging, attack surface otherwise)."""
    title = "Shell in the image (informational)"
    for path in ("bin/sh", "bin/bash", "usr/bin/sh", "usr/bin/bash", "bin/busybox", "bin/ash"):
        entry = facts.resolve(path)
        if entry is not None:
            return CheckResult(
                "shell",
                title,
                Status.PASS,
                f"/{path} present",
                (Evidence("/" + path, entry.layer, entry.size, "shell"),),
                "python",
            )
    return CheckResult("shell", title, Status.PASS, "no shell (distroless-style)", group="python")
