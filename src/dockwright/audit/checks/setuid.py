"""## What it does
Lists the files with the setuid or setgid bit: WARN for any beyond Debian's base set (`su`,
`passwd`, `mount`, ...), which is reported but accepted.

## Why is this bad?
A setuid binary runs with its owner's rights whatever user starts it: each one is a way from the
app's unprivileged user back to root, should it have a flaw.

## Example
```Dockerfile
RUN apt-get install -y sudo
```

## Use instead
```Dockerfile
RUN apt-get install -y --no-install-recommends libpq5
USER 10001
```
(no sudo: whatever needs root happens at build time)
"""

from __future__ import annotations

from dockwright.audit.checks.base import CheckOptions, CheckResult, Evidence, Status, _cap, _ev
from dockwright.audit.image import ImageFacts

ID = "setuid"
TITLE = "No extra setuid/setgid binaries"
GROUP = "python"


# Debian's base setuid/setgid binaries (login, passwd, mount ...): present in every Debian image.
_BASE_SETUID = {
    "usr/bin/chfn",
    "usr/bin/chsh",
    "usr/bin/gpasswd",
    "usr/bin/newgrp",
    "usr/bin/passwd",
    "usr/bin/su",
    "usr/bin/mount",
    "usr/bin/umount",
    "usr/bin/chage",
    "usr/bin/expiry",
    "usr/sbin/unix_chkpwd",
    "bin/su",
    "bin/mount",
    "bin/umount",
    "sbin/unix_chkpwd",
    "usr/bin/wall",
    "usr/bin/ssh-agent",
}


def check_setuid(facts: ImageFacts, options: CheckOptions) -> CheckResult:
    """setuid/setgid binaries beyond Debian's base set."""
    title = "No extra setuid/setgid binaries"
    base: list[Evidence] = []
    extra: list[Evidence] = []
    # a hard link is the file under another name, with its mode: `bin/su` linked to an extra setuid
    # binary is that binary (rw37 review: the name judged must not depend on which one a tar lists first)
    for entry in (e for e in facts.files.values() if e.kind in ("file", "hardlink")):
        if entry.mode & 0o6000:
            bits = "setuid" if entry.mode & 0o4000 else "setgid"
            (base if entry.path in _BASE_SETUID else extra).append(_ev(entry, f"{bits} mode {entry.mode:o}"))
    if extra:
        return CheckResult(
            "setuid",
            title,
            Status.WARN,
            f"{len(extra)} setuid/setgid binaries beyond the base OS",
            _cap(extra + base),
            "python",
        )
    summary = f"only Debian's base set ({len(base)})" if base else "none"
    return CheckResult("setuid", title, Status.PASS, summary, _cap(base), "python")
