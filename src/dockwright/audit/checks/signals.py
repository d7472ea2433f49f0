"""## What it does
Reads `ENTRYPOINT` + `CMD`: FAIL when the app is started by `sh -c` whose last command is not run
by `exec` (past an init and its flags; `sh -c "python manage.py migrate && exec gunicorn ..."`
hands the shell's process to the server and passes, as does `SETTINGS=prod exec gunicorn ...`);
PASS when an init (`tini`, `dumb-init`, `catatonit`, `s6-svscan`) is PID 1 of an exec-form
command; WARN for exec form without an init, or no command at all.

## Why is this bad?
`docker stop` sends SIGTERM to PID 1. A shell as PID 1 does not forward it: the app never shuts
down cleanly and is killed after the timeout, dropping requests in flight. An app as PID 1 gets
no default signal handlers and does not reap zombie processes; an init does both.

## Example
```Dockerfile
CMD gunicorn app:app --bind 0.0.0.0:8000
```

## Use instead
```Dockerfile
ENTRYPOINT ["tini", "--"]
CMD ["gunicorn", "app:app", "--bind", "0.0.0.0:8000"]
```
"""

from __future__ import annotations

import json
import posixpath
import re

from dockwright.audit.checks.base import CheckOptions, CheckResult, Evidence, Status
from dockwright.audit.image import ImageFacts
from dockwright.shell_lists import commands, has_operator

ID = "signals"
TITLE = "Exec form, signals reach the app"
GROUP = "checklist"


_INITS = ("tini", "dumb-init", "catatonit", "s6-svscan")


_SHELLS = ("/bin/sh", "sh", "/bin/bash", "bash", "/usr/bin/sh", "/usr/bin/bash")


# variable assignments ahead of a command (``NAME=value``, the value bare or quoted): before ``exec``,
# the shell exports them to the program it becomes (POSIX "Simple Commands", special built-ins)
# (one character at a time outside quotes: `[^\s'"]+` under `*` backtracked exponentially on an unclosed
# quote after a long value, a CMD that held the audit for minutes)
_ASSIGNMENTS = re.compile(r"""(?:[A-Za-z_][A-Za-z0-9_]*=(?:'[^']*'|"[^"]*"|[^\s'"])*\s+)*""")


def _execs_last(script: str) -> bool:
    """The script's last command (after ``&&``, ``||``, ``;`` or a newline, outside quotes) is
    ``exec CMD``, in the foreground and not piped, past any ``NAME=value`` assignments
    (``SETTINGS=prod exec gunicorn ...``): the shell's process becomes the app, which then gets the
    signals."""
    last = commands(script)[-1]  # quote-aware: `exec gunicorn --name 'a;b'` is one command
    assigned = _ASSIGNMENTS.match(last)
    last = last[assigned.end() :] if assigned else last
    return last.startswith("exec ") and not has_operator(last, "|") and not last.endswith("&")


def check_signals(facts: ImageFacts, options: CheckOptions) -> CheckResult:
    """Signals reach the app: exec-form ENTRYPOINT/CMD (no ``sh -c`` wrapper), an init as PID 1."""
    title = "Exec form, signals reach the app"
    argv = [*facts.config.entrypoint, *facts.config.cmd]
    shown = Evidence("Config.Entrypoint+Cmd", None, 0, json.dumps(argv)[:200])
    if not argv:
        return CheckResult("signals", title, Status.WARN, "no ENTRYPOINT or CMD", (shown,))
    rest = argv
    if posixpath.basename(argv[0]) in _INITS:  # look past the init and its flags
        rest = argv[1:]
        while rest and rest[0].startswith("-"):
            rest = rest[1:]
    if len(rest) >= 3 and rest[0] in _SHELLS and rest[1] == "-c" and not _execs_last(rest[2]):
        return CheckResult(
            "signals",
            title,
            Status.FAIL,
            "shell-form command: the shell does not forward SIGTERM to the app (use exec form or `exec`)",
            (shown,),
        )
    if posixpath.basename(argv[0]) in _INITS:
        return CheckResult(
            "signals", title, Status.PASS, f"{posixpath.basename(argv[0])} is PID 1, exec form", (shown,)
        )
    return CheckResult(
        "signals", title, Status.WARN, "exec form, but no init (tini/dumb-init) as PID 1", (shown,)
    )
