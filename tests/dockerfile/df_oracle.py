"""Comparison of our parser with BuildKit's Go parser (the archived ``dockerfile`` package).

The package hangs in forked workers: only ever call it in the main test process.

Normalisation / deliberate differences (documented here, asserted in the tests):
- the oracle drops an instruction's leading ``\\``-only line into a ``cmd=None`` node when
  nothing follows; we report that as a ParseError and produce no instruction;
- ``end_line``: when a continuation runs into EOF, the oracle counts the trailing blank and
  comment lines it swallowed; our span ends at the last line with content;
- ONBUILD: the oracle reports the trigger's keyword as ``sub_cmd`` and its values, but drops
  the trigger's flags and heredocs; we compare against ``instr.inner``;
- the ``check`` directive is newer than the oracle (it stops directive parsing there);
- flags: Go checks single bytes for whitespace, so a UTF-8 character holding byte 0x85 or
  0xA0 splits a flag there; we treat only ASCII whitespace as a separator (generated inputs
  are ASCII);
- ``Instruction.comments`` holds the comment block directly above an instruction (a blank line
  ends it, for suppressions); BuildKit's PrevComment runs across blank lines (not compared);
- heredoc names are not ``$``-expanded and ``<<""`` is not a heredoc (BuildKit agrees on the
  latter; the former only changes which error is reported);
- errors: the oracle aborts the whole file on the first error; we collect errors and go on.
  Where the oracle raises we must report at least one error; where it does not, ours must be
  semantic only (unknown instruction, FROM arity, ONBUILD trigger, empty instruction).
"""

from __future__ import annotations

from typing import Any

import dockerfile as oracle
from dockwright.dockerfile import Dockerfile, Instruction, parse

NON_FATAL_PREFIXES = (
    "unknown instruction",
    "FROM requires",
    "empty instruction",
)


def _content_lines(text: str) -> list[bool]:
    """For each line: does it carry content (not blank, not a comment)?"""
    out = []
    for line in text.split("\n"):
        s = line.strip()
        out.append(bool(s) and not s.startswith("#"))
    return out


def _flag_words(instr: Instruction) -> tuple[str, ...]:
    return tuple("--" + f.name + ("=" + f.value if f.value is not None else "") for f in instr.flags)


def compare(text: str) -> list[str]:
    """Differences between our parse and the oracle's (empty list = agreement)."""
    ours: Dockerfile = parse(text)
    try:
        theirs: list[Any] = list(oracle.parse_string(text))
    except oracle.GoParseError as exc:
        if not ours.errors:
            return [f"oracle failed ({exc}) but we report no error"]
        return []
    problems: list[str] = []
    for err in ours.errors:
        msg = err.message
        ok = msg.startswith(NON_FATAL_PREFIXES) or "isn't allowed as an ONBUILD trigger" in msg
        if not ok:
            problems.append(f"we report {msg!r} at line {err.span.line} but the oracle accepts the file")
    theirs = [c for c in theirs if c.cmd is not None]
    if len(theirs) != len(ours.instructions):
        problems.append(
            f"instruction count {len(ours.instructions)} != oracle {len(theirs)}: "
            f"{[i.keyword for i in ours.instructions]} vs {[c.cmd for c in theirs]}"
        )
        return problems
    content = _content_lines(text.replace("\r\n", "\n"))
    for mine, other in zip(ours.instructions, theirs, strict=False):
        where = f"line {other.start_line} {other.cmd}"
        if mine.keyword != other.cmd.upper():
            problems.append(f"{where}: keyword {mine.keyword!r}")
        if mine.span.line != other.start_line:
            problems.append(f"{where}: start line {mine.span.line}")
        end = other.end_line
        while end > mine.span.end_line and end - 1 < len(content) and not content[end - 1]:
            end -= 1
        if mine.span.end_line != end:
            problems.append(f"{where}: end line {mine.span.end_line} != {other.end_line}")
        if mine.keyword == "ONBUILD":
            inner = mine.inner
            sub = inner.keyword if inner is not None else None
            if (other.sub_cmd or None) != sub and (other.sub_cmd or "").upper() != sub:
                problems.append(f"{where}: ONBUILD trigger {sub!r} != {other.sub_cmd!r}")
            values = inner.raw_values if inner is not None else ()
            json_form = inner.json_form if inner is not None else False
        else:
            if _flag_words(mine) != tuple(other.flags):
                problems.append(f"{where}: flags {_flag_words(mine)} != {other.flags}")
            heredocs = tuple((h.delimiter, h.content) for h in mine.heredocs)
            theirs_hd = tuple((h.name, h.content) for h in other.heredocs)
            if heredocs != theirs_hd:
                problems.append(f"{where}: heredocs {heredocs} != {theirs_hd}")
            values = mine.raw_values
            json_form = mine.json_form
        if tuple(values) != tuple(other.value):
            problems.append(f"{where}: values {values} != {other.value}")
        if json_form != other.json:
            problems.append(f"{where}: json {json_form} != {other.json}")
    return problems
