"""## What it does
Whether a shell exists (informational: handy for debugging, attack surface otherwise).
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
