"""A tolerant Dockerfile parser that follows BuildKit's line-level grammar.

It reproduces what BuildKit's ``frontend/dockerfile/parser`` does (directives at the
top, escape-character line continuations, comment and blank lines inside
continuations, heredocs, flag extraction, JSON vs shell form) while keeping exact
source spans. It never raises: problems become :class:`ParseError` entries.

No regular expressions are used on untrusted input; everything is a linear scan.
"""

from __future__ import annotations

import json
import os
from bisect import bisect_right
from collections.abc import Callable
from pathlib import Path
from typing import Any

from dockwright.dockerfile._fast import slots_constructor
from dockwright.dockerfile.syntax import (
    Comment,
    Directive,
    Dockerfile,
    Flag,
    Heredoc,
    Instruction,
    ParseError,
    Span,
    Stage,
)

__all__ = ["parse", "parse_file", "parse_words"]

#: Go's ``unicode.IsSpace``.
GO_SPACE = (
    "\t\n\v\f\r \x85\xa0\u1680" + "".join(map(chr, range(0x2000, 0x200B))) + "\u2028\u2029\u202f\u205f\u3000"
)
#: BuildKit's ``reWhitespace`` (``[\t\v\f\r ]+``).
WS_SPLIT = "\t\v\f\r "
#: Go's regexp ``\s`` (used by the directive regexp).
RE_SPACE = "\t\n\f\r "
#: ASCII whitespace (BuildKit's flag scanner checks single bytes).
ASCII_SPACE = "\t\n\v\f\r "

VALID_DIRECTIVES = frozenset({"syntax", "escape", "check"})
HEREDOC_KEYWORDS = frozenset({"RUN", "COPY", "ADD"})
JSON_KEYWORDS = frozenset({"RUN", "CMD", "ENTRYPOINT", "SHELL"})
JSON_LIST_KEYWORDS = frozenset({"ADD", "COPY", "VOLUME"})
WHITESPACE_KEYWORDS = frozenset({"FROM", "EXPOSE"})
STRING_KEYWORDS = frozenset({"MAINTAINER", "STOPSIGNAL", "USER", "WORKDIR"})
KNOWN_KEYWORDS = (
    JSON_KEYWORDS
    | JSON_LIST_KEYWORDS
    | WHITESPACE_KEYWORDS
    | STRING_KEYWORDS
    | {"ARG", "ENV", "LABEL", "HEALTHCHECK", "ONBUILD"}
)
SHELL_ESCAPE_KEYWORDS = JSON_KEYWORDS  # their shell form is run by /bin/sh: backslash escapes


class _NotStringArrayError(Exception):
    pass


def _reject_constant(name: str) -> object:
    raise ValueError(name)


_DECODER = json.JSONDecoder(parse_constant=_reject_constant)


def parse_json_array(rest: str) -> list[str] | None:
    """BuildKit's ``parseJSON``: a JSON array of strings, or None when it is not JSON.

    Raises :class:`_NotStringArrayError` when it is a JSON array holding a non-string.
    """
    rest = rest.lstrip(GO_SPACE)
    if not rest.startswith("["):
        return None
    try:
        # like Go's json.Decoder.Decode: the first value counts, trailing text is ignored
        data, _ = _DECODER.raw_decode(rest)
    except (ValueError, RecursionError):
        return None
    if not isinstance(data, list):
        return None
    for item in data:
        if not isinstance(item, str):
            raise _NotStringArrayError
    return data


def json_item_offsets(rest: str, count: int) -> list[tuple[int, int]] | None:
    """``(start, end)`` of each string literal (quotes included) of a JSON array in ``rest``."""
    out: list[tuple[int, int]] = []
    n = len(rest)
    pos = 0
    while pos < n and len(out) < count:
        ch = rest[pos]
        if ch == "]":
            break
        if ch != '"':
            pos += 1
            continue
        start = pos
        pos += 1
        while pos < n and rest[pos] != '"':
            pos += 2 if rest[pos] == "\\" else 1
        pos += 1
        out.append((start, min(pos, n)))
    return out if len(out) == count else None


def _is_plain(text: str, escape: str) -> bool:
    """No quotes, no escape character, and ASCII where ``str.split`` splits exactly on GO_SPACE
    (it also splits on \\x1c-\\x1f, which Go's ``unicode.IsSpace`` does not)."""
    return (
        text.isascii()
        and escape not in text
        and "'" not in text
        and '"' not in text
        and "\x1c" not in text
        and "\x1d" not in text
        and "\x1e" not in text
        and "\x1f" not in text
    )


def _plain_words(text: str) -> list[tuple[str, int, int]]:
    """The words of a :func:`_is_plain` text (runs of non-space) with their offsets: what both
    :func:`parse_words` and :func:`unquote_words` yield for it, the common case."""
    words: list[tuple[str, int, int]] = []
    pos = 0
    for word in text.split():
        pos = text.find(word, pos)
        words.append((word, pos, pos + len(word)))
        pos += len(word)
    return words


def parse_words(rest: str, escape: str) -> list[tuple[str, int, int]]:
    """BuildKit's ``parseWords``: whitespace-split words keeping quotes and escapes.

    Returns ``(word, start, end)`` with offsets into ``rest``.
    """
    if _is_plain(rest, escape):
        return _plain_words(rest)
    words: list[tuple[str, int, int]] = []
    n = len(rest)
    pos = 0
    while pos < n:
        ch = rest[pos]
        if ch in GO_SPACE:
            pos += 1
            continue
        start = pos
        buf: list[str] = []
        quote = ""
        blank_ok = False
        while pos < n:
            ch = rest[pos]
            if not quote:
                if ch in GO_SPACE:
                    break
                if ch in "'\"":
                    quote = ch
                    blank_ok = True
                if ch == escape:
                    if pos + 1 == n:
                        pos += 1
                        continue
                    buf.append(ch)
                    pos += 1
                    ch = rest[pos]
                buf.append(ch)
                pos += 1
            else:
                if ch == quote:
                    quote = ""
                if ch == escape and quote != "'":
                    if pos + 1 == n:
                        quote = ""
                        pos += 1
                        continue
                    buf.append(ch)
                    pos += 1
                    ch = rest[pos]
                buf.append(ch)
                pos += 1
        if blank_ok or buf:
            words.append(("".join(buf), start, pos))
    return words


def unquote_words(text: str, escape: str) -> list[tuple[str, int, int]]:
    """Shell-like words with quotes removed (tolerant): ``(word, start, end)``."""
    if _is_plain(text, escape):
        return _plain_words(text)
    words: list[tuple[str, int, int]] = []
    n = len(text)
    pos = 0
    while pos < n:
        if text[pos] in GO_SPACE:
            pos += 1
            continue
        start = pos
        buf: list[str] = []
        quote = ""
        while pos < n:
            ch = text[pos]
            if quote == "'":
                if ch == "'":
                    quote = ""
                else:
                    buf.append(ch)
                pos += 1
            elif quote == '"':
                if ch == '"':
                    quote = ""
                elif ch == escape and pos + 1 < n and text[pos + 1] in ('"', escape, "$", "`"):
                    pos += 1
                    buf.append(text[pos])
                else:
                    buf.append(ch)
                pos += 1
            else:
                if ch in GO_SPACE:
                    break
                if ch in "'\"":
                    quote = ch
                elif ch == escape and pos + 1 < n:
                    pos += 1
                    buf.append(text[pos])
                elif ch != escape:
                    buf.append(ch)
                pos += 1
        words.append(("".join(buf), start, pos))
    return words


def _raw_shell_words(line: str) -> list[tuple[str, int, int]]:
    """Words as BuildKit's heredoc detection sees them (raw quotes and escapes), with offsets."""
    words: list[tuple[str, int, int]] = []
    n = len(line)
    pos = 0
    while pos < n:
        if line[pos] in ASCII_SPACE:
            pos += 1
            continue
        start = pos
        quote = ""
        while pos < n:
            ch = line[pos]
            if quote:
                if ch == quote:
                    quote = ""
                elif ch == "\\" and quote == '"':
                    pos += 1
            elif ch in ASCII_SPACE:
                break
            elif ch in "'\"":
                quote = ch
            elif ch == "\\":
                pos += 1
            pos += 1
        pos = min(pos, n)
        words.append((line[start:pos], start, pos))
    return words


def _heredoc_opener(word: str) -> tuple[str, bool, bool] | None:
    """``(name, strip_tabs, quoted)`` when ``word`` is a heredoc opener like ``<<-"EOF"``."""
    i = 0
    n = len(word)
    while i < n and word[i].isdigit() and word[i].isascii():
        i += 1
    if not word.startswith("<<", i):
        return None
    i += 2
    chomp = False
    if i < n and word[i] == "-":
        chomp = True
        i += 1
    rest = word[i:]
    if not rest or "<" in rest:
        return None
    unquoted = unquote_words(rest, "\\")
    if len(unquoted) != 1 or not unquoted[0][0]:
        return None
    name = unquoted[0][0]
    quoted = name != rest
    return name, chomp, quoted


def _split_flags(rest: str) -> tuple[int, list[tuple[str, int, int]]]:
    """BuildKit's ``extractBuilderFlags``.

    Returns the offset in ``rest`` where the arguments start and the flags as
    ``(processed word, start, end)``.
    """
    flags: list[tuple[str, int, int]] = []
    n = len(rest)
    pos = 0
    while True:
        while pos < n and rest[pos] in ASCII_SPACE:
            pos += 1
        if pos >= n:
            return n, flags
        if not rest.startswith("--", pos):
            return pos, flags
        start = pos
        buf: list[str] = []
        quote = ""
        blank_ok = False
        while pos < n:
            ch = rest[pos]
            if quote:
                if ch == quote:
                    quote = ""
                    pos += 1
                    continue
                if ch == "\\":
                    if pos + 1 == n:
                        quote = ""
                        pos += 1
                        continue
                    pos += 1
                    ch = rest[pos]
                buf.append(ch)
                pos += 1
                continue
            if ch in ASCII_SPACE:
                break
            if ch in "'\"":
                quote = ch
                blank_ok = True
                pos += 1
                continue
            if ch == "\\":
                if pos + 1 == n:
                    pos += 1
                    continue
                pos += 1
                ch = rest[pos]
            buf.append(ch)
            pos += 1
        word = "".join(buf)
        if word == "--" and not quote:
            # ``--`` ends the flags; the arguments start after it
            while pos < n and rest[pos] in ASCII_SPACE:
                pos += 1
            return pos, flags
        if blank_ok or word:
            flags.append((word, start, pos))


def _split_ws(rest: str) -> list[tuple[str, int, int]]:
    """``reWhitespace.Split(rest, -1)`` with offsets (``rest`` is already trimmed)."""
    out: list[tuple[str, int, int]] = []
    n = len(rest)
    if n == 0:
        return out
    pos = 0
    start = 0
    while pos < n:
        if rest[pos] in WS_SPLIT:
            out.append((rest[start:pos], start, pos))
            while pos < n and rest[pos] in WS_SPLIT:
                pos += 1
            start = pos
        else:
            pos += 1
    out.append((rest[start:n], start, n))
    return out


_new_span = slots_constructor(Span)
_new_instruction = slots_constructor(Instruction)


def _src(starts: list[int], sources: list[int], i: int) -> int:
    """Source offset of logical character ``i`` of pieces starting at ``starts`` (see _Logical)."""
    k = bisect_right(starts, i) - 1
    if k < 0:
        return sources[0] if sources else 0
    return sources[k] + (i - starts[k])


def _src_end(starts: list[int], sources: list[int], i: int) -> int:
    """Source offset just after logical character ``i - 1`` (an exclusive end)."""
    if i <= 0:
        return _src(starts, sources, 0)
    return _src(starts, sources, i - 1) + 1


def _span_at(offsets: list[int], start: int, end: int) -> Span:
    """The span of text offsets ``[start, end)``, lines found in ``offsets`` (line start offsets)."""
    li = bisect_right(offsets, start) - 1
    le = bisect_right(offsets, end - 1) - 1 if end > start else li
    return _new_span(start, end, li + 1, start - offsets[li] + 1, le + 1, end - offsets[le] + 1)


class _Logical:
    """A logical line: pieces of source lines joined, with an offset map."""

    __slots__ = ("length", "lspan", "lspans", "parts", "sources", "starts", "text")

    def __init__(self) -> None:
        self.text = ""
        # (logical start, source start) for each piece, in order
        self.starts: list[int] = []
        self.sources: list[int] = []
        self.parts: list[str] = []
        self.length = 0

    def add(self, piece: str, source_start: int) -> None:
        if not piece:
            return
        self.starts.append(self.length)
        self.sources.append(source_start)
        self.parts.append(piece)
        self.length += len(piece)

    def finish(self) -> None:
        self.text = "".join(self.parts)

    def src(self, i: int) -> int:
        """Source offset of logical character ``i``."""
        return _src(self.starts, self.sources, i)

    def segments(self, start: int, end: int) -> tuple[tuple[int, int], ...]:
        """``(offset relative to start, source offset)`` for the pieces covering ``[start, end)``."""
        out: list[tuple[int, int]] = []
        for ls, src, part in zip(self.starts, self.sources, self.parts, strict=True):
            le = ls + len(part)
            if le <= start or ls >= end:
                continue
            first = max(ls, start)
            out.append((first - start, src + (first - ls)))
        return tuple(out)

    def src_end(self, i: int) -> int:
        """Source offset just after logical character ``i - 1`` (an exclusive end)."""
        return _src_end(self.starts, self.sources, i)

    def spanner(self, parser: _Parser) -> None:
        """Set :meth:`lspan` (call after :meth:`finish`)."""
        if len(self.starts) != 1:
            # (the closures hold the lists, not ``self`` or the parser: no reference cycle, so a
            # parsed file is freed as soon as it is dropped rather than at the next collection)
            starts, sources, offsets = self.starts, self.sources, parser.offsets

            def lspan(start: int, end: int) -> Span:
                return _span_at(offsets, _src(starts, sources, start), _src_end(starts, sources, end))

            def lspans(offset: int, words: list[tuple[str, int, int]]) -> tuple[Span, ...]:
                return tuple(
                    [
                        _span_at(
                            offsets, _src(starts, sources, offset + s), _src_end(starts, sources, offset + e)
                        )
                        for _, s, e in words
                    ]
                )

        else:
            # one piece, so one physical line: no mapping or line look-up per span
            base = self.sources[0]
            offsets = parser.offsets
            li = bisect_right(offsets, base) - 1
            line = li + 1
            col = base - offsets[li] + 1

            def lspan(start: int, end: int) -> Span:
                return _new_span(base + start, base + end, line, col + start, line, col + end)

            def lspans(offset: int, words: list[tuple[str, int, int]]) -> tuple[Span, ...]:
                b, c = base + offset, col + offset
                return tuple([_new_span(b + s, b + e, line, c + s, line, c + e) for _, s, e in words])

        #: the span of logical ``[start, end)`` (``0 <= start <= end <= len(text)``)
        self.lspan: Callable[[int, int], Span] = lspan
        #: the spans of ``words`` (``(word, start, end)``, relative to logical ``offset``)
        self.lspans: Callable[[int, list[tuple[str, int, int]]], tuple[Span, ...]] = lspans


class _Parser:
    def __init__(self, text: str, path: str | None) -> None:
        self.text = text
        self.path = path
        # line table: start offsets, content ends (no \r\n), next line starts
        starts: list[int] = []
        ends: list[int] = []
        n = len(text)
        first = 1 if text.startswith("\ufeff") else 0
        pos = first
        while pos < n:
            nl = text.find("\n", pos)
            stop = n if nl < 0 else nl
            end = stop
            while end > pos and text[end - 1] == "\r":
                end -= 1
            starts.append(pos)
            ends.append(end)
            if nl < 0:
                break
            pos = nl + 1
        self.line_starts = starts
        self.line_ends = ends
        self.offsets = [0, *starts[1:]] if starts else [0]
        self.escape = "\\"
        self.directives: list[Directive] = []
        self.directives_done = False
        self.seen_directives: set[str] = set()
        self.errors: list[ParseError] = []
        self.comments: list[Comment] = []
        self.instructions: list[Instruction] = []
        self.stage_index = -1  # of the last FROM seen

    # -- positions -------------------------------------------------------------

    def span(self, start: int, end: int) -> Span:
        return _span_at(self.offsets, start, end)

    def error(self, message: str, start: int, end: int) -> None:
        self.errors.append(ParseError(message, self.span(start, end)))

    # -- directives ------------------------------------------------------------

    def possible_directive(self, token: str, source_start: int, line_index: int) -> None:
        if self.directives_done:
            return
        parsed = _match_directive(token)
        if parsed is None:
            self.directives_done = True
            return
        name, value = parsed
        key = name.lower()
        if key not in VALID_DIRECTIVES:
            self.directives_done = True
            return
        span = self.span(source_start, self.line_ends[line_index])
        if key in self.seen_directives:
            self.errors.append(ParseError(f"only one {key} parser directive can be used", span))
            return
        self.seen_directives.add(key)
        if key == "escape":
            if value not in ("`", "\\"):
                self.errors.append(ParseError(f"invalid escape token {value!r} does not match ` or \\", span))
            else:
                self.escape = value
        self.directives.append(Directive(key, value, span))

    # -- main loop -------------------------------------------------------------

    def run(self) -> Dockerfile:
        text = self.text
        nlines = len(self.line_starts)
        pending: list[Comment] = []
        i = 0
        while i < nlines:
            ls, le = self.line_starts[i], self.line_ends[i]
            raw = text[ls:le]
            stripped = raw.lstrip(GO_SPACE)
            lead = ls + (len(raw) - len(stripped))
            ndirs = len(self.directives)
            self.possible_directive(stripped, lead, i)
            is_directive = len(self.directives) > ndirs
            if stripped.startswith("#"):
                i += 1
                if is_directive:
                    continue
                body = stripped[1:].strip(GO_SPACE)
                comment = Comment(body, self.span(lead, le))
                self.comments.append(comment)
                if body:
                    pending.append(comment)
                else:
                    pending = []
                continue
            if not stripped:
                i += 1
                pending = []
                continue
            i = self.instruction_at(i, lead, stripped, pending)
            pending = []
        if not self.instructions and not self.errors:
            self.error("file with no instructions", 0, 0)
        stages, global_args = self.build_stages(tuple(self.instructions))
        instructions = tuple(self.instructions)
        return Dockerfile(
            text=text,
            path=self.path,
            directives=tuple(self.directives),
            escape=self.escape,
            instructions=instructions,
            comments=tuple(self.comments),
            stages=stages,
            errors=tuple(self.errors),
            global_args=global_args,
            line_offsets=tuple(self.offsets),
        )

    def trim_continuation(self, piece: str) -> tuple[str, bool]:
        """``(piece without the continuation escape, is end of line)``."""
        r = piece.rstrip(" \t")
        # BuildKit: ``(^|[^E])E[ \t]*$`` -- an escaped escape char is not a continuation
        if r.endswith(self.escape) and (len(r) == 1 or r[-2] != self.escape):
            return r[:-1], False
        return piece, True

    def instruction_at(self, i: int, lead: int, first: str, comments: list[Comment]) -> int:
        text = self.text
        nlines = len(self.line_starts)
        logical = _Logical()
        piece, eol = self.trim_continuation(first)
        logical.add(piece, lead)
        last_content_line = i
        inner_comments: list[Comment] = []
        empty_lines: list[int] = []
        i += 1
        while not eol and i < nlines:
            ls, le = self.line_starts[i], self.line_ends[i]
            raw = text[ls:le]
            self.possible_directive(raw, ls, i)
            stripped = raw.lstrip(GO_SPACE)
            if stripped.startswith("#"):
                cstart = le - len(stripped)
                comment = Comment(stripped[1:].strip(GO_SPACE), self.span(cstart, le))
                inner_comments.append(comment)
                self.comments.append(comment)
                i += 1
                continue
            if not stripped:
                empty_lines.append(i + 1)
                i += 1
                continue
            piece, eol = self.trim_continuation(raw)
            logical.add(piece, ls)
            last_content_line = i
            i += 1
        logical.finish()
        logical.spanner(self)
        line = logical.text
        ts = len(line) - len(line.lstrip(GO_SPACE))
        te = len(line.rstrip(GO_SPACE))
        span_start = lead
        if ts >= te:
            end = self.line_ends[last_content_line]
            self.error("empty instruction: a line continuation with nothing after it", lead, end)
            return i
        proto = self.build(logical, ts, te, comments, -1)
        end = logical.src_end(te)
        if last_content_line > bisect_right(self.offsets, end - 1) - 1:
            # trailing lines holding only the escape char: the instruction ends after the last
            ls = self.line_starts[last_content_line]
            end = ls + len(text[ls : self.line_ends[last_content_line]].rstrip(" \t"))
        # heredocs
        heredocs: list[Heredoc] = []
        inner_proto = proto[9]
        target = inner_proto if proto[0] == "ONBUILD" and inner_proto is not None else proto
        if target[0] in HEREDOC_KEYWORDS and not target[6] and "<<" in line:
            for word, ws, we in _raw_shell_words(line[ts:te]):
                opener = _heredoc_opener(word)
                if opener is None:
                    continue
                name, chomp, quoted = opener
                body_start = self.line_starts[i] if i < nlines else len(text)
                content: list[str] = []
                terminated = False
                while i < nlines:
                    ls, le = self.line_starts[i], self.line_ends[i]
                    candidate = text[ls:le]
                    if chomp:
                        candidate = candidate.lstrip("\t")
                    if candidate == name:
                        terminated = True
                        end = le
                        i += 1
                        break
                    nxt = self.line_starts[i + 1] if i + 1 < nlines else len(text)
                    content.append(text[ls:nxt])
                    end = le
                    i += 1
                opener_span = logical.lspan(ts + ws, ts + we)
                hd_span = self.span(min(body_start, end), end)
                body = "".join(content)
                heredocs.append(Heredoc(name, body, chomp, quoted, hd_span, opener_span, terminated))
                if not terminated:
                    self.error(f"unterminated heredoc {name!r}", span_start, end)
                    break
        if proto[0] == "FROM":
            self.stage_index += 1
        stage_index = self.stage_index
        hd = tuple(heredocs)
        inner = None
        if inner_proto is not None:
            inner = _instruction(inner_proto, inner_proto[1], hd, stage_index, None, (), ())
        self.instructions.append(
            _instruction(
                proto,
                self.span(span_start, end),
                hd,
                stage_index,
                inner,
                tuple(inner_comments),
                tuple(empty_lines),
            )
        )
        return i

    def build(self, logical: _Logical, ts: int, te: int, comments: list[Comment], depth: int) -> _Proto:
        """The fields of an instruction from ``logical.text[ts:te]`` (trimmed); see :func:`_instruction`."""
        line = logical.text
        k = ts
        while k < te and line[k] not in WS_SPLIT:
            k += 1
        raw_keyword = line[ts:k]
        keyword = raw_keyword.upper()
        lspan = logical.lspan
        kw_span = lspan(ts, k)
        a = k
        while a < te and line[a] in WS_SPLIT:
            a += 1
        args_text = line[a:te]
        flag_end, raw_flags = _split_flags(args_text)
        flags: list[Flag] = []
        for word, fs, fe in raw_flags:
            body = word[2:] if word.startswith("--") else word
            name, eq, val = body.partition("=")
            value: str | None = val if eq else None
            fspan = lspan(a + fs, a + fe)
            vspan = None
            if eq:
                raw = args_text[fs:fe]
                vi = raw.find("=")
                if vi >= 0:
                    vspan = lspan(a + fs + vi + 1, a + fe)
            flags.append(Flag(name, value, fspan, vspan))
        rs = a + flag_end
        rest = line[rs:te]
        if rest:
            args_span = lspan(rs, te)
        else:
            pos = logical.src_end(a + flag_end) if raw_flags else kw_span.end
            args_span = self.span(pos, pos)
        json_form = False
        raw_values: tuple[str, ...] = ()
        arguments: tuple[str, ...] = ()
        arg_spans: tuple[Span, ...] = ()
        pairs: tuple[tuple[str, str | None], ...] = ()
        inner: _Proto | None = None
        err_start, err_end = kw_span.start, args_span.end if rest else kw_span.end

        lspans = logical.lspans

        def spans_of(words: list[tuple[str, int, int]]) -> tuple[Span, ...]:
            return lspans(rs, words)

        def json_or_none() -> list[str] | None:
            try:
                return parse_json_array(rest)
            except _NotStringArrayError:
                self.error(
                    "when using JSON array syntax, arrays must be comprised of strings only",
                    err_start,
                    err_end,
                )
                return None

        escape = self.escape
        if keyword in JSON_KEYWORDS or keyword in JSON_LIST_KEYWORDS:
            items = json_or_none() if rest else None
            if items is not None:
                json_form = True
                raw_values = tuple(items)
                arguments = raw_values
                offsets = json_item_offsets(rest, len(items))
                if offsets is None:
                    arg_spans = (args_span,) * len(items)
                else:
                    arg_spans = spans_of([("", s, e) for s, e in offsets])
            elif keyword in JSON_KEYWORDS:
                raw_values = (rest,) if rest else ()
            else:
                raw_values = tuple(w for w, _, _ in _split_ws(rest))
            if not json_form and rest:
                esc = "\\" if keyword in SHELL_ESCAPE_KEYWORDS else escape
                words = unquote_words(rest, esc)
                arguments = tuple(w for w, _, _ in words)
                arg_spans = spans_of(words)
        elif keyword in WHITESPACE_KEYWORDS:
            ws = _split_ws(rest)
            raw_values = tuple(w for w, _, _ in ws)
            words = unquote_words(rest, escape)
            arguments = tuple(w for w, _, _ in words)
            arg_spans = spans_of(words)
        elif keyword in STRING_KEYWORDS:
            raw_values = (rest,) if rest else ()
            words = unquote_words(rest, escape)
            arguments = tuple(w for w, _, _ in words)
            arg_spans = spans_of(words)
        elif keyword == "ARG":
            pw = parse_words(rest, escape)
            raw_values = tuple(w for w, _, _ in pw)
            words = unquote_words(rest, escape)
            arguments = tuple(w for w, _, _ in words)
            arg_spans = spans_of(words)
            pairs = tuple(_pair(w) for w in arguments)
        elif keyword in ("ENV", "LABEL"):
            raw_values, pairs = self.name_val(keyword, rest, escape, err_start, err_end)
            words = unquote_words(rest, escape)
            arguments = tuple(w for w, _, _ in words)
            arg_spans = spans_of(words)
        elif keyword == "HEALTHCHECK":
            sep = 0
            while sep < len(rest) and rest[sep] not in ASCII_SPACE:
                sep += 1
            nxt = sep
            while nxt < len(rest) and rest[nxt] in ASCII_SPACE:
                nxt += 1
            if sep:
                cmd_rest = rest[nxt:]
                items = None
                if cmd_rest:
                    try:
                        items = parse_json_array(cmd_rest)
                    except _NotStringArrayError:
                        self.error(
                            "when using JSON array syntax, arrays must be comprised of strings only",
                            err_start,
                            err_end,
                        )
                if items is not None:
                    json_form = True
                    raw_values = (rest[:sep], *items)
                    arguments = raw_values
                    arg_spans = (args_span,) * len(arguments)
                else:
                    raw_values = (rest[:sep], cmd_rest) if cmd_rest else (rest[:sep],)
            if not json_form:
                words = unquote_words(rest, "\\")
                arguments = tuple(w for w, _, _ in words)
                arg_spans = spans_of(words)
        elif keyword == "ONBUILD":
            words = unquote_words(rest, escape)
            arguments = tuple(w for w, _, _ in words)
            arg_spans = spans_of(words)
            if rest and depth < 0:
                inner = self.build(logical, rs, te, [], 0)
                if inner[0] in ("ONBUILD", "FROM", "MAINTAINER"):
                    self.error(f"{inner[0]} isn't allowed as an ONBUILD trigger", err_start, err_end)
        else:
            raw_values = ("",)
            words = unquote_words(rest, escape)
            arguments = tuple(w for w, _, _ in words)
            arg_spans = spans_of(words)
            self.error(f"unknown instruction: {raw_keyword}", kw_span.start, kw_span.end)
        # the whole instruction's span: only an ONBUILD trigger's is known here (the caller adds
        # heredoc bodies to the others')
        span = lspan(ts, te) if depth >= 0 else None
        return (
            keyword,
            span,
            kw_span,
            tuple(flags),
            args_span,
            rest,
            json_form,
            arguments,
            tuple(comments),
            inner,
            arg_spans,
            raw_keyword,
            raw_values,
            pairs,
            logical.segments(rs, te),
        )

    def name_val(
        self, keyword: str, rest: str, escape: str, err_start: int, err_end: int
    ) -> tuple[tuple[str, ...], tuple[tuple[str, str | None], ...]]:
        """BuildKit's ``parseNameVal`` (ENV, LABEL): raw flat values and unquoted pairs."""
        words = [w for w, _, _ in parse_words(rest, escape)]
        if not words:
            return (), ()
        if "=" not in words[0]:
            parts = _split_ws(rest)
            if len(parts) < 2:
                self.error(f"{keyword} must have two arguments", err_start, err_end)
                return (), ()
            key = parts[0][0]
            value = rest[parts[1][1] :]
            return (key, value), ((key, _unquote(value, escape)),)
        raw: list[str] = []
        pairs: list[tuple[str, str | None]] = []
        for word in words:
            if "=" not in word:
                self.error(
                    f"Syntax error - can't find = in {word!r}. Must be of the form: name=value",
                    err_start,
                    err_end,
                )
                return (), ()
            key, _, value = word.partition("=")
            raw += [key, value]
            pairs.append((key, _unquote(value, escape)))
        return tuple(raw), tuple(pairs)

    # -- stages ----------------------------------------------------------------

    def build_stages(
        self, instructions: tuple[Instruction, ...]
    ) -> tuple[tuple[Stage, ...], tuple[Instruction, ...]]:
        stages: list[Stage] = []
        global_args: list[Instruction] = []
        current: list[Instruction] = []
        header: tuple[int, str | None, str, str | None, Instruction] | None = None
        index = -1

        def close() -> None:
            if header is not None:
                stages.append(Stage(header[0], header[1], header[2], header[3], header[4], tuple(current)))

        for instr in instructions:
            if instr.keyword == "FROM":
                close()
                index += 1
                args = instr.arguments
                base = args[0] if args else ""
                name: str | None = None
                if len(args) == 3 and args[1].lower() == "as":
                    name = args[2].lower()
                elif len(args) != 1:
                    self.errors.append(
                        ParseError("FROM requires either one or three arguments", instr.args_span)
                    )
                platform_flag = instr.flag("platform")
                platform = platform_flag.value if platform_flag is not None else None
                header = (index, name, base, platform, instr)
                current = []
            elif header is None:
                if instr.keyword == "ARG":
                    global_args.append(instr)
            else:
                current.append(instr)
        close()
        return tuple(stages), tuple(global_args)


#: what :meth:`_Parser.build` yields: keyword, span, keyword_span, flags, args_span, value,
#: json_form, arguments, comments, inner (a _Proto), argument_spans, raw_keyword, raw_values,
#: pairs, value_segments -- the instruction is made once, when its span, heredocs and stage are known
_Proto = tuple[Any, ...]


def _instruction(
    proto: _Proto,
    span: Span,
    heredocs: tuple[Heredoc, ...],
    stage_index: int,
    inner: Instruction | None,
    inner_comments: tuple[Comment, ...],
    empty_lines: tuple[int, ...],
) -> Instruction:
    return _new_instruction(
        proto[0],
        span,
        proto[2],
        proto[3],
        proto[4],
        proto[5],
        proto[6],
        proto[7],
        heredocs,
        proto[8],
        stage_index,
        inner,
        proto[10],
        inner_comments,
        proto[11],
        proto[12],
        proto[13],
        empty_lines,
        proto[14],
    )


def _unquote(value: str, escape: str) -> str:
    words = unquote_words(value, escape)
    if not words:
        return ""
    # keep inner whitespace between words as written (legacy ``ENV a b c`` form)
    if len(words) == 1:
        return words[0][0]
    out: list[str] = []
    prev_end = words[0][1]
    for word, s, e in words:
        out.append(value[prev_end:s])
        out.append(word)
        prev_end = e
    return "".join(out)


def _pair(word: str) -> tuple[str, str | None]:
    key, eq, value = word.partition("=")
    return (key, value if eq else None)


def _match_directive(token: str) -> tuple[str, str] | None:
    """``^#\\s*([a-zA-Z][a-zA-Z0-9]*)\\s*=\\s*(.+?)\\s*$`` without a regexp."""
    if not token.startswith("#"):
        return None
    n = len(token)
    i = 1
    while i < n and token[i] in RE_SPACE:
        i += 1
    if i >= n or not (token[i].isascii() and token[i].isalpha()):
        return None
    s = i
    while i < n and token[i].isascii() and token[i].isalnum():
        i += 1
    name = token[s:i]
    while i < n and token[i] in RE_SPACE:
        i += 1
    if i >= n or token[i] != "=":
        return None
    value = token[i + 1 :].strip(RE_SPACE)
    if not value or "\n" in value:
        return None
    return name, value


def parse(text: str, path: str | None = None) -> Dockerfile:
    """Parse Dockerfile ``text``; never raises (problems are in ``.errors``)."""
    return _Parser(text, path).run()


def parse_file(path: str | os.PathLike[str]) -> Dockerfile:
    """Read and parse a Dockerfile (UTF-8; undecodable bytes become U+FFFD).

    Only an unreadable file raises (``OSError``); the caller turns that into a user error.
    """
    data = Path(path).read_bytes()
    return parse(data.decode("utf-8", errors="replace"), str(path))
