"""Lines of a shell script that only root can run (``data/root_commands.toml``): ``chown``, ``gosu``,
``su-exec``, ``useradd``, ``apt-get`` ... A repository's entrypoint written for an image that starts as
root and drops privileges itself cannot run in the image dockwright plans, which starts as its
non-root user: ``set -e`` stops the script at ``chown``, and ``exec gosu app gunicorn ...`` fails.

A script that asks who runs it (``id -u``, ``$EUID``, ``whoami``) is taken to handle a non-root start
(``if [ "$(id -u)" = 0 ]; then exec gosu ...; fi``) and is not reported; nor is a command whose failure
the line handles (``chown ... || true``), unless it is the program ``exec`` hands the process to. A
``chown`` in a script that goes on after a failed command (no ``set -e``, not chained with ``&&``) only
prints its error: the script still starts the app (:func:`ignored_root_lines` names it for a note);
``chown ... || exit 1`` ends it there.

A privilege dropper's row says where the command it runs begins (:func:`dropped_command`: ``exec su-exec
app:app python -m bot`` runs ``python -m bot``): the image that starts as its non-root user runs that
command itself.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from dockwright.lazy_re import lazy
from dockwright.project.tree import data_table

# words before a command's program: shell keywords, `exec`, `nohup`, assignments are skipped separately
_PREFIX = frozenset({"if", "elif", "while", "until", "then", "do", "else", "!", "time", "nohup", "{", "("})
_ASKS_WHO = lazy(r"\bid\s+-u\b|\$\{?EUID\b|\$\{?UID\b|\bwhoami\b")
_HANDLED = lazy(r"\|\|\s*(true|:|echo\b|printf\b)")
# `set -e`, `set -eu`, `set -o errexit`, a shebang's `-e`: the script stops at a failed command
_STOPS_ON_ERROR = lazy(
    r"^\s*set\s+(?:[-+][a-zA-Z]+\s+)*-[a-zA-Z]*e|^\s*set\s.*-o\s+errexit|^#!.*\s-[a-zA-Z]*e\b"
)


@dataclass(frozen=True)
class RootCommand:
    does: str
    source: str
    failure_ignorable: bool = False
    # a privilege dropper: the words before the command it runs, after its options (None: runs none)
    operands: int | None = None
    valued: frozenset[str] = frozenset()  # its options that take the next word as their value


@dataclass(frozen=True)
class RootLine:
    """A script line (1-based) that needs root, the program it runs and what that does."""

    line: int
    program: str
    does: str


@cache
def root_command_table() -> dict[str, RootCommand]:
    """Program name -> what it does that needs root, with its source."""
    data = data_table("root_commands.toml")
    return {
        str(name): RootCommand(
            str(row["does"]),
            str(row["source"]),
            bool(row.get("failure_ignorable")),
            int(row["operands"]) if "operands" in row else None,
            frozenset(str(v) for v in row.get("valued", ())),
        )
        for row in data["command"]
        for name in row["names"]
    }


def dropped_command(argv: tuple[str, ...]) -> tuple[str, tuple[str, ...]] | None:
    """The privilege dropper ``argv`` starts with (``su-exec``, ``gosu``, ``setpriv``, ``chroot`` ...:
    the table's rows with ``operands``) and the command it runs as the other user (``su-exec app:app
    python -m bot`` -> ``python -m bot``); None when ``argv`` starts with no dropper or names no command."""
    if not argv:
        return None
    program = argv[0].rsplit("/", 1)[-1]
    row = root_command_table().get(program)
    if row is None or row.operands is None:
        return None
    rest = list(argv[1:])
    while rest and rest[0].startswith("-"):
        option = rest.pop(0)
        if option == "--":
            break
        if option in row.valued and rest:
            rest.pop(0)
    command = tuple(rest[row.operands :])
    return (program, command) if command else None


def root_line(script: str) -> RootLine | None:
    """The first line of ``script`` whose command only root can run and stops the start, or None (also
    for a script that checks which user runs it)."""
    found = _root_lines(script)
    return next((r for r, stops in found if stops), None)


def ignored_root_lines(script: str) -> list[RootLine]:
    """The root-only lines whose failure the script goes on after (a ``chown`` in a script without
    ``set -e``): each prints an error at start and changes nothing."""
    found = _root_lines(script)
    return [] if any(stops for _, stops in found) else [r for r, _ in found]


def _root_lines(script: str) -> list[tuple[RootLine, bool]]:
    """Each root-only command's line, and whether its failure stops the start."""
    logical: list[tuple[int, str]] = []  # continued lines joined, numbered by their first line
    start, joined = 0, ""
    for number, raw in enumerate(script.splitlines(), 1):
        start = start or number
        if raw.endswith("\\"):
            joined += raw[:-1] + " "
            continue
        logical.append((start, joined + raw))
        start, joined = 0, ""
    if start:
        logical.append((start, joined))
    body = [line for _, line in logical if not line.lstrip().startswith("#")]
    if any(_ASKS_WHO.search(line) for line in body):
        return []
    goes_on = not any(_STOPS_ON_ERROR.match(line) for _, line in logical)
    table = root_command_table()
    out: list[tuple[RootLine, bool]] = []
    for number, line in logical:
        if line.lstrip().startswith("#"):
            continue
        parts = re.split(r"(&&|;|(?<!\|)\|(?!\|))", line)
        for index in range(0, len(parts), 2):
            segment = parts[index]
            words = segment.split("||", 1)[0].split()
            execs = False
            while words and (
                words[0] in _PREFIX or words[0] == "exec" or re.match(r"^[A-Za-z_][A-Za-z0-9_]*=", words[0])
            ):
                execs = execs or words[0] == "exec"
                words = words[1:]
            if not words:
                continue
            program = words[0].rsplit("/", 1)[-1]
            if program not in table:
                continue
            if not execs and _HANDLED.search(segment):
                continue
            # `chown ... && exec ...` runs the start only when it succeeds; `chown ... || exit 1` (a failure
            # the line does not handle with true/echo) ends the script there
            chained = (index + 1 < len(parts) and parts[index + 1] == "&&") or "||" in segment
            ignorable = goes_on and not execs and not chained and table[program].failure_ignorable
            out.append((RootLine(number, program, table[program].does), not ignorable))
    return out
