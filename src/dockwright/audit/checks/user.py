"""## What it does
Non-root user with a fixed numeric UID (names are accepted when /etc/passwd maps them to >= 10000).
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
