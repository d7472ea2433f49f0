"""A repository start that waits for another service before running the real one.

What it finds
    A command of a compose file, Procfile or platform file that starts with a program of
    ``data/wait_wrappers.toml`` (``wait-for-it db:5432 -t 60 -- gunicorn ...``, ``wait-for db:5432 --
    CMD``, ``dockerize -wait tcp://db:5432 -timeout 60s CMD``), directly or as the last command of a
    ``sh -c`` line.

Decision
    The start is the wrapped command: it is what serves, and the server's port, options and workers are
    read from it. The wait is kept only when its program is a file of the project (``./wait-for-it.sh``,
    copied into the image with the app); otherwise the image does not have it (``dockerize`` is no
    Debian package), so the start is the wrapped command alone and a note says the platform must
    provide the ordering (compose's ``depends_on`` with ``condition: service_healthy``).

Why: ``command: dockerize -wait tcp://db:5432 gunicorn --bind 0.0.0.0:5005 web:app`` was refused as a
program the image does not have, and the plan fell back to the framework's ``gunicorn web:app`` on
8000: the service's port 5005 was lost.
"""

from __future__ import annotations

import shlex
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from dockwright.project.tree import ProjectTree, data_table
from dockwright.shell_lists import split_lists


@dataclass(frozen=True)
class WaitWrapper:
    names: tuple[str, ...]
    dashes: bool
    source: str
    valued: tuple[str, ...] = ()


@lru_cache(maxsize=1)
def table() -> tuple[WaitWrapper, ...]:
    rows: list[dict[str, Any]] = data_table("wait_wrappers.toml")["wrapper"]
    return tuple(
        WaitWrapper(tuple(r["names"]), bool(r["dashes"]), str(r["source"]), tuple(r.get("valued", ())))
        for r in rows
    )


def split_wait(argv: tuple[str, ...]) -> tuple[tuple[str, ...], tuple[str, ...], WaitWrapper] | None:
    """(the wait's words, the wrapped command, its row) for a command starting with a wait wrapper."""
    if not argv:
        return None
    name = argv[0].rsplit("/", 1)[-1]
    row = next((r for r in table() if name in r.names), None)
    if row is None:
        return None
    if row.dashes:
        if "--" not in argv:
            return None
        cut = argv.index("--")
        wrapped = argv[cut + 1 :]
        return (argv[:cut], wrapped, row) if wrapped else None
    i = 1
    while i < len(argv) and argv[i].startswith("-"):
        flag = argv[i].lstrip("-")
        i += 1 if "=" in flag or flag not in row.valued else 2
    return (argv[:i], argv[i:], row) if i < len(argv) else None


def unwrapped(tree: ProjectTree, command: tuple[str, ...]) -> tuple[tuple[str, ...], str] | None:
    """The start without a wait the image cannot run, and the note saying so; None when the command has
    no wait wrapper or its program is a file of the project (kept)."""
    shell = len(command) == 3 and command[0].rsplit("/", 1)[-1] in ("sh", "bash") and command[1] == "-c"
    head, last = "", command
    if shell:
        parts = split_lists(command[2])  # outside quotes: `--name 'a;b'` is one word
        try:
            last = tuple(w for w in shlex.split(parts[-1]) if w != "exec")
        except ValueError:
            return None
        head = "".join(parts[:-1])
    found = split_wait(last)
    if found is None:
        return None
    wait, wrapped, row = found
    if tree.is_file(wait[0].removeprefix("./")):
        return None  # the project's own script: in the image with the app
    said = " ".join(wait)
    note = (
        f"the start waits with {said} ({row.source}), which the image does not have: the start is the "
        f"command it wraps, {shlex.join(wrapped)}; the platform must start the app after the services it "
        "waits for (compose: depends_on with condition: service_healthy)"
    )
    if shell and head.strip():
        return (command[0], "-c", f"{head} exec {shlex.join(wrapped)}"), note
    return wrapped, note
