"""The Dockerfile syntax model: frozen dataclasses with exact source spans.

Offsets are 0-based indices into the original text (``text[span.start:span.end]``);
lines and columns are 1-based. ``end_line``/``end_column`` point at the position
just after the last character (the same position ``end`` designates).
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field

__all__ = [
    "Comment",
    "Directive",
    "Dockerfile",
    "Flag",
    "Heredoc",
    "Instruction",
    "ParseError",
    "Span",
    "Stage",
]


@dataclass(frozen=True, slots=True)
class Span:
    """A region of the source text."""

    start: int
    end: int
    line: int
    column: int
    end_line: int
    end_column: int

    def slice(self, text: str) -> str:
        """The source text this span covers."""
        return text[self.start : self.end]


@dataclass(frozen=True, slots=True)
class Comment:
    """A ``#`` comment line; ``text`` has the leading ``#`` removed and is stripped."""

    text: str
    span: Span


@dataclass(frozen=True, slots=True)
class Flag:
    """An instruction flag such as ``--mount=type=cache,target=/x`` (name ``mount``)."""

    name: str
    value: str | None
    span: Span
    value_span: Span | None = None


@dataclass(frozen=True, slots=True)
class Heredoc:
    """A here-document attached to RUN/COPY/ADD (``<<EOF`` ... ``EOF``).

    ``content`` is the raw body as BuildKit's parser keeps it (the lines between the
    instruction and the terminator, each with its newline; tabs NOT stripped even for
    ``<<-``; use :attr:`effective_content` for that). ``span`` covers the body and the
    terminator line; ``opener_span`` covers ``<<EOF`` in the instruction line.
    """

    delimiter: str
    content: str
    strip_tabs: bool
    quoted: bool
    span: Span
    opener_span: Span | None = None
    terminated: bool = True

    @property
    def effective_content(self) -> str:
        """The body as the build sees it (leading tabs removed for ``<<-``)."""
        if not self.strip_tabs:
            return self.content
        return "".join(line.lstrip("\t") for line in self.content.splitlines(keepends=True))


@dataclass(frozen=True, slots=True)
class Instruction:
    """One instruction (with its continuation lines and heredoc bodies)."""

    keyword: str
    span: Span
    keyword_span: Span
    flags: tuple[Flag, ...]
    args_span: Span
    value: str
    json_form: bool
    arguments: tuple[str, ...]
    heredocs: tuple[Heredoc, ...]
    comments: tuple[Comment, ...]
    stage_index: int
    inner: Instruction | None = None
    #: spans of ``arguments`` (same length) when they map to contiguous source text,
    #: else the best covering span (e.g. an argument split over a continuation).
    argument_spans: tuple[Span, ...] = ()
    #: comment lines found *inside* the instruction's continuation lines.
    inner_comments: tuple[Comment, ...] = ()
    #: the keyword exactly as written (original case).
    raw_keyword: str = ""
    #: BuildKit's own AST values for this instruction (what its parser yields: quotes
    #: kept, ENV/LABEL as flat key, value pairs, one string for shell-form RUN...).
    raw_values: tuple[str, ...] = ()
    #: ENV/LABEL/ARG as (key, value-or-None) with quotes removed.
    pairs: tuple[tuple[str, str | None], ...] = ()
    #: 1-based numbers of whitespace-only lines inside the continuation (BuildKit warns).
    empty_continuation_lines: tuple[int, ...] = ()
    #: how ``value`` maps back to the text: ``(offset in value, source offset)`` per piece
    #: (one piece per physical line); see :meth:`source_offset`.
    value_segments: tuple[tuple[int, int], ...] = ()

    def source_offset(self, value_offset: int) -> int:
        """The text offset of ``value[value_offset]`` (continuations skipped)."""
        best = self.args_span.start
        base = 0
        for logical, source in self.value_segments:
            if logical > value_offset:
                break
            base, best = logical, source
        return best + (value_offset - base)

    def source_end(self, value_end: int) -> int:
        """The exclusive text offset ending ``value[:value_end]``."""
        if value_end <= 0:
            return self.source_offset(0)
        return self.source_offset(value_end - 1) + 1

    def flag(self, name: str) -> Flag | None:
        """The last flag called ``name`` (BuildKit keeps the last one), or None."""
        found: Flag | None = None
        for f in self.flags:
            if f.name == name:
                found = f
        return found

    def flags_named(self, name: str) -> tuple[Flag, ...]:
        """All flags called ``name``, in source order (e.g. several ``--mount``)."""
        return tuple(f for f in self.flags if f.name == name)

    def mounts(self) -> tuple[dict[str, str], ...]:
        """Each ``--mount`` flag's ``key=value`` options, in source order (bare words left out)."""
        return tuple(mount_options(f.value) for f in self.flags_named("mount"))


@dataclass(frozen=True, slots=True)
class Stage:
    """A build stage: a FROM and the instructions up to the next FROM.

    ``instructions`` EXCLUDES the FROM itself (that is ``from_instruction``). ``name`` is
    lower-cased as BuildKit does; ``base_image`` is the FROM image reference as written.
    """

    index: int
    name: str | None
    base_image: str
    platform: str | None
    from_instruction: Instruction
    instructions: tuple[Instruction, ...]


@dataclass(frozen=True, slots=True)
class Directive:
    """A parser directive at the very top (``# syntax=...``, ``# escape=``, ``# check=``)."""

    name: str
    value: str
    span: Span


@dataclass(frozen=True, slots=True)
class ParseError:
    """A problem found while parsing; parsing goes on after it."""

    message: str
    span: Span


@dataclass(frozen=True, slots=True)
class Dockerfile:
    """A parsed Dockerfile."""

    text: str
    path: str | None
    directives: tuple[Directive, ...]
    escape: str
    instructions: tuple[Instruction, ...]
    comments: tuple[Comment, ...]
    stages: tuple[Stage, ...]
    errors: tuple[ParseError, ...]
    global_args: tuple[Instruction, ...]
    line_offsets: tuple[int, ...] = field(default=(), repr=False, compare=False)

    @property
    def final_stage(self) -> Stage | None:
        """The last stage (what ``docker build`` without ``--target`` produces)."""
        return self.stages[-1] if self.stages else None

    def stage_by_name(self, name: str) -> Stage | None:
        """The stage named ``name`` (case-insensitive, as BuildKit), or None."""
        lowered = name.lower()
        for stage in self.stages:
            if stage.name is not None and stage.name.lower() == lowered:
                return stage
        return None

    def span(self, start: int, end: int) -> Span:
        """A :class:`Span` for text offsets ``[start, end)`` (lines/columns computed)."""
        offsets = self.line_offsets or (0,)
        li = bisect_right(offsets, start) - 1
        le = bisect_right(offsets, max(start, end - 1)) - 1 if end > start else li
        return Span(start, end, li + 1, start - offsets[li] + 1, le + 1, end - offsets[le] + 1)

    def value_span(self, instruction: Instruction, start: int, end: int) -> Span:
        """The span of ``instruction.value[start:end]`` in the text (e.g. a RUN word)."""
        return self.span(instruction.source_offset(start), instruction.source_end(end))

    def directive(self, name: str) -> Directive | None:
        """The parser directive called ``name`` (lower-case), or None."""
        for d in self.directives:
            if d.name == name:
                return d
        return None


def mount_options(value: str | None) -> dict[str, str]:
    """A ``--mount`` value's ``key=value`` options (``type=cache,target=/root/.cache/pip``)."""
    return dict(part.split("=", 1) for part in (value or "").split(",") if "=" in part)


def mount_target(options: dict[str, str]) -> str:
    """Where a mount lands: BuildKit reads ``target``, ``dst`` or ``destination``."""
    return options.get("target") or options.get("dst") or options.get("destination") or ""
