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
command itself. An owner-changing row says where its paths begin (:func:`given_paths`). A script whose
only root-only lines are droppers before a command and ``chown`` lines of folders the image makes its
user's already is read without them (:func:`without_root`): ``exec gosu app gunicorn ...`` is ``exec
gunicorn ...``; ``apt-get``, ``useradd``, a ``chown`` of another folder keep the script root's.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Callable
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
    # an owner-changing command: the words before its paths, after its options (None: changes none)
    owner_words: int | None = None


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
            int(row["owner_words"]) if "owner_words" in row else None,
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
    command = _operands(argv, row)[row.operands :]
    return (program, command) if command else None


def given_paths(argv: tuple[str, ...]) -> tuple[str, ...] | None:
    """The paths an owner-changing command gives to another owner (``chown -R app:app /app/media`` ->
    ``/app/media``: the table's rows with ``owner_words``); None for another command or one naming none."""
    row = root_command_table().get(argv[0].rsplit("/", 1)[-1]) if argv else None
    if row is None or row.owner_words is None:
        return None
    paths = _operands(argv, row)[row.owner_words :]
    return paths or None


def _operands(argv: tuple[str, ...], row: RootCommand) -> tuple[str, ...]:
    """``argv``'s words after its program and options (an option of ``row.valued`` with its value)."""
    rest = list(argv[1:])
    while rest and rest[0].startswith("-"):
        option = rest.pop(0)
        if option == "--":
            break
        if option in row.valued and rest:
            rest.pop(0)
    return tuple(rest)


@dataclass(frozen=True)
class WithoutRoot:
    """An entry script read without its root-only parts (:func:`without_root`): its text, each line
    at its number, and what was left out, one sentence each (``line 5: gosu app ...``)."""

    text: str
    dropped: tuple[str, ...]


# one shell word as written: unquoted characters, escapes, quoted strings
_WORD = lazy(r"""(?:[^\s"'\\]|\\.|"(?:[^"\\]|\\.)*"|'[^']*')+\s*""")
_CHAINS = lazy(r"&&|\|\||;|\||`|\$\(")


def without_root(script: str, writable: Callable[[str], bool]) -> WithoutRoot | None:
    """``script`` without what only root can do that the planned image needs no root for: a privilege
    dropper before a command (``exec gosu app gunicorn ...`` -> ``exec gunicorn ...``: the image runs as
    its non-root user already) and a line that gives folders to an owner when ``writable`` says the
    image makes each its user's already (``chown -R app /app/media``). None when nothing is left out,
    when another root-only line stays (``apt-get install``, ``useradd``, a ``chown`` of another folder
    the script stops at), when a dropper or ``chown`` shares its line with another command, and for a
    script that asks who runs it (its own branch for a non-root start)."""
    if _ASKS_WHO.search(script):
        return None
    table = root_command_table()
    lines = script.split("\n")
    dropped: list[str] = []
    for found, stops in _root_lines(script):
        row = table[found.program]
        if row.operands is None and row.owner_words is None:
            if stops:
                return None
            continue  # a failure the script goes on after, as before
        first = lines[found.line - 1]
        logical = _logical_at(lines, found.line)
        if _CHAINS.search(logical):
            return None  # `chown ... && exec gosu ...`: one of several commands
        try:
            words = tuple(shlex.split(logical))
        except ValueError:
            return None
        execs = words[:1] == ("exec",)
        argv = words[1:] if execs else words
        if row.operands is not None:
            runs = dropped_command(argv)
            lead = re.match(r"^\s*(?:exec\s+)?", first)
            if runs is None or lead is None:
                return None
            words_cut = argv[: len(argv) - len(runs[1])]
            cut = lead.end()
            for word in words_cut:  # the dropper's words as written (quotes kept), on its first line
                match = _WORD.match(first, cut)
                if match is None or shlex.split(match.group(0)) != [word]:
                    return None
                cut = match.end()
            lines[found.line - 1] = first[: lead.end()] + first[cut:]
            dropped.append(
                f"line {found.line}: {' '.join(words_cut)} before {runs[1][0]} (only root can switch "
                "users, and this image starts as its non-root user already)"
            )
            continue
        paths = given_paths(argv)
        if paths is None or not all(writable(p) for p in paths):
            if stops:
                return None
            continue
        for number in range(found.line, found.line + logical.count("\n") + 1):
            lines[number - 1] = ""
        dropped.append(
            f"line {found.line}: {' '.join(argv)} (this image makes {', '.join(paths)} its non-root "
            "user's at build time)"
        )
    return WithoutRoot("\n".join(lines), tuple(dropped)) if dropped else None


def _logical_at(lines: list[str], number: int) -> str:
    """The command that begins at line ``number`` (1-based), its continued lines kept on lines of
    their own (joined by a newline, without the backslash)."""
    out = [lines[number - 1]]
    while out[-1].endswith("\\") and number < len(lines):
        out[-1] = out[-1][:-1]
        out.append(lines[number])
        number += 1
    return "\n".join(out)


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
