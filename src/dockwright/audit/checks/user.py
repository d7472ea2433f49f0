"""## What it does
Reads the image config's `User`: FAIL when it is empty, `root` or UID 0; PASS for a numeric UID,
or for a name `/etc/passwd` maps to a UID of 10000 or more; WARN for a name with a smaller UID or
one `/etc/passwd` does not know.

## Why is this bad?
A process running as root in the container is root on the files it can reach, and one kernel
bug away from root on the host. A user name cannot be verified by Kubernetes' `runAsNonRoot`; a
low UID can collide with a host user's.

## Example
```Dockerfile
FROM python:3.12-slim
COPY . /app
CMD ["python", "/app/main.py"]
```

## Use instead
```Dockerfile
FROM python:3.12-slim
RUN useradd --uid 10001 --no-create-home app
COPY . /app
USER 10001
CMD ["python", "/app/main.py"]
```
"""

from __future__ import annotations

from dockwright.audit.checks.base import CheckOptions, CheckResult, Evidence, Status
from dockwright.audit.image import ImageFacts

ID = "user"
TITLE = "Non-root user with fixed UID"
GROUP = "checklist"


def check_user(facts: ImageFacts, options: CheckOptions) -> CheckResult:
    """Non-root user with a fixed numeric UID (names are accepted when /etc/passwd maps them to >= 10000)."""
    title = "Non-root user with fixed UID"
    user = facts.config.user.strip()
    name = user.split(":", 1)[0]
    where = Evidence("Config.User", None, 0, f"User={user!r}")
    if name in ("", "root", "0"):
        return CheckResult(
            "user", title, Status.FAIL, "runs as root" if name else "no USER: runs as root", (where,)
        )
    if name.isdigit():
        return CheckResult("user", title, Status.PASS, f"runs as UID {name}", (where,))
    row = next((r for r in facts.passwd if r[0] == name), None)
    if row is None:
        return CheckResult(
            "user", title, Status.WARN, f"user name {name!r} not in /etc/passwd; use a numeric UID", (where,)
        )
    passwd = Evidence(
        "/etc/passwd",
        facts.files["etc/passwd"].layer if "etc/passwd" in facts.files else None,
        0,
        f"{name} → uid {row[1]}",
    )
    if row[1] == 0:
        return CheckResult("user", title, Status.FAIL, f"{name!r} is UID 0 (root)", (where, passwd))
    if row[1] >= 10000:
        return CheckResult("user", title, Status.PASS, f"{name!r} is UID {row[1]}", (where, passwd))
    return CheckResult(
        "user", title, Status.WARN, f"{name!r} is UID {row[1]}: name-only USER, UID < 10000", (where, passwd)
    )
