"""Tolerant POSIX-shell helpers for looking inside RUN instructions.

These are not a shell parser: they split a script into simple commands on ``&&``,
``||``, ``;``, ``|``, ``&``, newlines and parentheses (outside quotes, ``$(...)`` and
backticks) and each command into words with quotes removed. Unbalanced quotes never
raise: the rest of the text becomes part of the current word.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass

from dockwright.dockerfile._fast import slots_constructor
from dockwright.dockerfile.syntax import Instruction

__all__ = ["SHELLS", "ShellWord", "run_script", "shell_commands", "shell_commands_with_spans"]

#: Programs whose heredoc stdin / ``-c`` argument is itself a shell script.
SHELLS = frozenset(
    {"sh", "bash", "ash", "dash", "zsh", "ksh", "/bin/sh", "/bin/bash", "/bin/ash", "/bin/dash"}
)

_OPERATOR_CHARS = "&|;()\n"


@dataclass(frozen=True, slots=True)
class ShellWord:
    """One word of a simple command; ``start``/``end`` are offsets into the script."""

    text: str
    start: int
    end: int


_new_word = slots_constructor(ShellWord)


def shell_commands_with_spans(script: str) -> list[list[ShellWord]]:
    """Split ``script`` into simple commands of :class:`ShellWord` (empty commands dropped)."""
    commands: list[list[ShellWord]] = []
    current: list[ShellWord] = []
    n = len(script)
    pos = 0
    while pos < n:
        ch = script[pos]
        if ch in " \t\r\f\v":
            pos += 1
            continue
        if ch == "\\" and pos + 1 < n and script[pos + 1] == "\n":
            pos += 2
            continue
        if ch == "#":
            # a comment runs to the end of the line
            nl = script.find("\n", pos)
            pos = n if nl < 0 else nl
            continue
        if ch in _OPERATOR_CHARS:
            if current:
                commands.append(current)
                current = []
            pos += 1
            continue
        word, end = _read_word(script, pos)
        current.append(_new_word(word, pos, end))
        pos = end
    if current:
        commands.append(current)
    return commands


#: a run of characters that stand for themselves outside quotes (``$`` is checked on its own)
_PLAIN = re.compile(r"[^ \t\r\f\v&|;()\n\\'\"$`]+")
#: a run of characters that stand for themselves inside double quotes
_DQ_PLAIN = re.compile(r'[^"\\]+')


def _read_word(script: str, pos: int) -> tuple[str, int]:
    n = len(script)
    buf: list[str] = []
    # the last piece appended to ``buf`` as a character-by-character scan would have it (``''``
    # appends an empty piece, ``""`` none): it decides whether ``&`` continues a redirection
    last: str | None = None
    plain = _PLAIN.match
    while pos < n:
        match = plain(script, pos)
        if match is not None:
            run = match.group()
            buf.append(run)
            last = run[-1]
            pos = match.end()
            if pos >= n:
                break
        ch = script[pos]
        if ch in " \t\r\f\v":
            break
        if ch in _OPERATOR_CHARS:
            # ``2>&1``, ``>&2``, ``<&0``: the ``&`` belongs to the redirection
            if ch == "&" and last is not None and last in "<>":
                buf.append(ch)
                last = ch
                pos += 1
                continue
            break
        if ch == "\\":
            if pos + 1 < n:
                if script[pos + 1] != "\n":
                    last = script[pos + 1]
                    buf.append(last)
                pos += 2
            else:
                pos += 1
            continue
        if ch == "'":
            close = script.find("'", pos + 1)
            stop = n if close < 0 else close
            last = script[pos + 1 : stop]
            buf.append(last)
            pos = stop + 1
            continue
        if ch == '"':
            pos += 1
            while pos < n and script[pos] != '"':
                match = _DQ_PLAIN.match(script, pos)
                if match is not None:
                    run = match.group()
                    buf.append(run)
                    last = run[-1]
                    pos = match.end()
                    continue
                # a backslash
                if pos + 1 < n and script[pos + 1] in '"\\$`\n':
                    if script[pos + 1] != "\n":
                        last = script[pos + 1]
                        buf.append(last)
                    pos += 2
                    continue
                buf.append("\\")
                last = "\\"
                pos += 1
            pos += 1
            continue
        if ch == "$" and pos + 1 < n and script[pos + 1] == "(":
            end = _skip_parens(script, pos + 1)
            last = script[pos:end]
            buf.append(last)
            pos = end
            continue
        if ch == "`":
            close = script.find("`", pos + 1)
            stop = n if close < 0 else close + 1
            last = script[pos:stop]
            buf.append(last)
            pos = stop
            continue
        buf.append(ch)  # a lone ``$``
        last = ch
        pos += 1
    return "".join(buf), min(pos, n)


def _skip_parens(script: str, pos: int) -> int:
    """Index just after the ``)`` matching the ``(`` at ``pos`` (or the end)."""
    depth = 0
    n = len(script)
    quote = ""
    while pos < n:
        ch = script[pos]
        if quote:
            if ch == quote:
                quote = ""
            elif ch == "\\" and quote == '"':
                pos += 1
        elif ch in "'\"":
            quote = ch
        elif ch == "\\":
            pos += 1
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
            if depth == 0:
                return pos + 1
        pos += 1
    return n


def shell_commands(script: str) -> list[list[str]]:
    """Split a shell script into simple commands, each a list of words.

    >>> shell_commands("apt-get update && apt-get install -y 'a b' | tee x; echo ok")
    [['apt-get', 'update'], ['apt-get', 'install', '-y', 'a b'], ['tee', 'x'], ['echo', 'ok']]
    """
    return [[w.text for w in cmd] for cmd in shell_commands_with_spans(script)]


def run_script(instr: Instruction) -> str:
    """The shell script a RUN (or ONBUILD RUN) executes, for inspection by rules.

    - shell form: the logical value (continuations joined);
    - heredoc scripts (``RUN <<EOF``, ``RUN bash <<EOF``): the heredoc bodies, tabs
      stripped for ``<<-``; a heredoc fed to another program (``python <<EOF``) or
      written to a file (``cat <<EOF > f``) is data, so only the command line is kept;
    - exec form: ``sh -c SCRIPT`` gives SCRIPT, otherwise the items shell-quoted.
    """
    if instr.keyword == "ONBUILD" and instr.inner is not None:
        return run_script(instr.inner)
    if instr.json_form:
        items = list(instr.arguments)
        if len(items) >= 3 and items[0] in SHELLS and items[1].startswith("-") and "c" in items[1]:
            return items[2]
        return shlex.join(items)
    value = instr.value
    if not instr.heredocs:
        return value
    commands = shell_commands(value)
    first = commands[0] if commands else []
    program = first[0] if first else ""
    if program.lstrip("0123456789").startswith("<<") or program in SHELLS:
        return instr.heredocs[0].effective_content
    return value
