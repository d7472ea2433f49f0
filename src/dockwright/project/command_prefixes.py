"""Prefixes written before the app's command that only run it (``data/command_prefixes.toml``).

A systemd unit's ``ExecStart=`` and a task runner's start task often run the server through a tool
manager (``uv run``, ``pipenv --python P run``, ``mise exec --``) or a tool tuning the host's
scheduling (``nice -n 19``, ``ionice -c 3``, ``chrt -b 0``, ``taskset -c 0,1``), buffering (``stdbuf
-oL``) or time limit (``timeout 3600``). The image runs the program from its environment, under the
container's limits: each prefix is left out (:func:`without_prefixes`), and the ones the table gives a
note for are named to the user.
"""

from __future__ import annotations

import posixpath
import re
import shlex
from dataclasses import dataclass
from functools import cache

from dockwright.project.tree import data_table
from dockwright.shell_lists import split_lists


@dataclass(frozen=True)
class Prefix:
    program: str
    subcommand: str = ""
    options: frozenset[str] = frozenset()  # options taking a value
    positionals: int = 0
    note: str = ""
    python_files: bool = False  # `uv run serve.py` runs the file with the interpreter


@cache
def prefixes() -> dict[str, Prefix]:
    rows = data_table("command_prefixes.toml")["prefix"]
    return {
        str(r["program"]): Prefix(
            str(r["program"]),
            str(r.get("subcommand", "")),
            frozenset(map(str, r.get("options", ()))),
            int(r.get("positionals", 0)),
            str(r.get("note", "")),
            bool(r.get("python_files", False)),
        )
        for r in rows
    }


def _after_subcommand(row: Prefix, argv: list[str]) -> list[str] | None:
    """``argv`` after ``PROGRAM [options] SUB [options] [--]``, or None when it is not that shape."""
    sub = row.subcommand
    if sub not in argv[1:5] or not all(w.startswith("-") or "/" in w for w in argv[1 : argv.index(sub)]):
        return None
    rest = argv[argv.index(sub) + 1 :]  # `pipenv --python /path run gunicorn ...`
    while rest and rest[0].startswith("-"):
        end = rest[0] == "--"
        # `uv run --env-file .env CMD`: the value is the runner's (`--env-file=.env` is one word)
        rest = rest[2:] if rest[0] in row.options else rest[1:]
        if end:
            break
    return rest


def _after_options(row: Prefix, argv: list[str]) -> list[str] | None:
    """``argv`` after ``PROGRAM [options] [positionals]``, or None when nothing follows."""
    i = 1
    while i < len(argv) and argv[i].startswith("-") and argv[i] != "-":
        word = argv[i]
        i += 1
        if word == "--":
            break
        if word in row.options:  # `-n 19`; `-n19`, `--adjustment=19`, `-19` are one word
            i += 1
    i += row.positionals
    return argv[i:] if i < len(argv) else None


def without_prefixes(words: list[str] | tuple[str, ...]) -> tuple[list[str], list[tuple[str, str]]]:
    """The command without the prefixes of the table (a program's install path read as its name), and
    the ones left out that the plan names: (the prefix's words, its note). A Python file a runner hands to
    the interpreter keeps it (``uv run serve.py`` -> ``python serve.py``)."""
    argv, said, interpreted = _stripped(words)
    return (["python", *argv] if interpreted else argv), said


def _stripped(words: list[str] | tuple[str, ...]) -> tuple[list[str], list[tuple[str, str]], bool]:
    """The command after the table's prefixes, the notes, and whether the last prefix runs a Python file
    with the interpreter (``python`` to be put back before it)."""
    argv = list(words)
    said: list[tuple[str, str]] = []
    interpreted = False
    while argv:
        row = prefixes().get(posixpath.basename(argv[0]))
        if row is None:
            break
        rest = _after_subcommand(row, argv) if row.subcommand else _after_options(row, argv)
        if not rest:
            break
        if row.note:
            said.append((" ".join(argv[: len(argv) - len(rest)]), row.note))
        argv, interpreted = rest, row.python_files and _python_file(rest[0])
    return argv, said, interpreted


def _python_file(word: str) -> bool:
    """Whether a runner's first word is a Python file it hands to the interpreter (``serve.py``)."""
    return word.endswith(".py") and not word.startswith("-")


def prefixes_note(where: str, said: list[tuple[str, str]]) -> str | None:
    """The note naming the prefixes left out, or None."""
    if not said:
        return None
    parts = "; ".join(f"{words} ({note})" for words, note in said)
    return f"{where}: left out of the start: {parts}"


ASSIGNMENTS = re.compile(r"^((?:[A-Za-z_][A-Za-z0-9_]*=(?:'[^']*'|\"[^\"]*\"|[^\s'\"])*\s+)+)(.*)$")


def unprefixed(line: str) -> str:
    """A command line without the project manager's prefix before its program (``uv run``, ``poetry run``),
    the line's own words and quoting otherwise kept: ``exec uv run uvicorn app:app --port "$PORT"`` ->
    ``exec uvicorn app:app --port "$PORT"``. Only an environment runner's (a row with a sub-command): a
    step's ``timeout 30 sh -c '...'`` is its own."""
    match = ASSIGNMENTS.match(line)
    lead, rest = (match.group(1), match.group(2)) if match else ("", line)
    run = "exec " if rest.startswith("exec ") else ""
    rest = rest[len(run) :]
    try:
        words = shlex.split(rest)
    except ValueError:
        return line
    row = prefixes().get(posixpath.basename(words[0])) if words else None
    if row is None or not row.subcommand:
        return line
    argv, _, interpreted = _stripped(words)
    interpreter = "python " if interpreted else ""
    dropped = len(words) - len(argv)
    tokens = rest.split(None, dropped)
    if not dropped or tokens[:dropped] != words[:dropped] or len(tokens) <= dropped:
        return line  # no prefix, or one whose words are quoted: the line as written
    return f"{lead}{run}{interpreter}{tokens[dropped]}"


def unprefixed_steps(line: str) -> str:
    """A shell line with each of its commands :func:`unprefixed`, the separators and the spaces around each
    command kept: ``poetry run alembic upgrade head && poetry run uvicorn app:app`` -> ``alembic upgrade
    head && uvicorn app:app`` (a Procfile's, compose's or the own image's line: the image's venv is on
    PATH, and the project manager is not in it)."""
    parts = split_lists(line)
    out = []
    for index, part in enumerate(parts):
        if index % 2:
            out.append(part)  # a separator
            continue
        body = part.strip()
        if not body:
            out.append(part)
            continue
        head = part[: len(part) - len(part.lstrip())]
        tail = part[len(part.rstrip()) :]
        out.append(f"{head}{unprefixed(body)}{tail}")
    return "".join(out)
