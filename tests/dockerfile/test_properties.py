"""Property tests: the parser never raises and its spans are exact."""

from __future__ import annotations

from df_strategies import dockerfiles
from hypothesis import given, settings
from hypothesis import strategies as st

from dockwright.dockerfile import Dockerfile, Instruction, Span, parse

ANY_TEXT = st.text() | st.text(alphabet=st.sampled_from(list(" \t\n\r\\`#<>-=\"'[],aAbEOFRUN{}$\ufeff\xa0é")))


def _check_span(text: str, span: Span) -> None:
    assert 0 <= span.start <= span.end <= len(text)
    line_start = text.rfind("\n", 0, span.start) + 1
    assert span.line == text.count("\n", 0, span.start) + 1
    assert span.column == span.start - line_start + 1
    assert span.end_line >= span.line


def _all_spans(instr: Instruction) -> list[Span]:
    spans = [instr.span, instr.keyword_span, instr.args_span, *instr.argument_spans]
    for f in instr.flags:
        spans.append(f.span)
        if f.value_span is not None:
            spans.append(f.value_span)
    for h in instr.heredocs:
        spans.append(h.span)
        if h.opener_span is not None:
            spans.append(h.opener_span)
    spans += [c.span for c in instr.comments]
    if instr.inner is not None:
        spans += _all_spans(instr.inner)
    return spans


def _check(text: str, df: Dockerfile) -> None:
    prev_end = 0
    for instr in df.instructions:
        for span in _all_spans(instr):
            _check_span(text, span)
        assert instr.span.start >= prev_end, "instructions overlap or are out of order"
        prev_end = instr.span.end
        # every part lies inside its instruction
        for span in (instr.keyword_span, instr.args_span, *(f.span for f in instr.flags)):
            assert instr.span.start <= span.start <= span.end <= instr.span.end
        # the value maps back onto the text piece by piece
        if instr.value:
            whole = df.value_span(instr, 0, len(instr.value))
            assert (whole.start, whole.end) == (instr.args_span.start, instr.args_span.end)
            assert df.span(whole.start, whole.end) == instr.args_span
        for lo, src in instr.value_segments:
            piece_end = next((s for s, _ in instr.value_segments if s > lo), len(instr.value))
            assert text[src : src + piece_end - lo] == instr.value[lo:piece_end]
        if instr.keyword_span.line == instr.keyword_span.end_line:  # else split by a continuation
            assert text[instr.keyword_span.start : instr.keyword_span.end] == instr.raw_keyword
        for flag in instr.flags:
            assert text[flag.span.start : flag.span.end].startswith("-")
        for hd in instr.heredocs:
            op = hd.opener_span
            assert op is not None
            if op.line == op.end_line:
                assert text[op.start : op.end].lstrip("0123456789").startswith("<<")
    for c in df.comments:
        _check_span(text, c.span)
        assert text[c.span.start : c.span.end].lstrip().startswith("#")
    for d in df.directives:
        _check_span(text, d.span)
    for e in df.errors:
        _check_span(text, e.span)


def _reslice(text: str, df: Dockerfile) -> None:
    prefix = f"# escape={df.escape}\n"  # also keeps a leading U+FEFF from being taken for a BOM
    for instr in df.instructions:
        piece = text[instr.span.start : instr.span.end]
        if piece.endswith(df.escape) and not instr.heredocs:
            continue  # ``\`` then U+00A0: the trailing space made it a non-continuation
        again = parse(prefix + piece)
        assert len(again.instructions) == 1, piece
        other = again.instructions[0]
        assert other.keyword == instr.keyword
        assert other.raw_values == instr.raw_values
        assert other.value == instr.value
        assert other.flags == tuple(other.flags) and [(f.name, f.value) for f in other.flags] == [
            (f.name, f.value) for f in instr.flags
        ]
        # an unterminated heredoc runs to EOF: the slice loses only its final newline
        assert [(h.delimiter, h.content.rstrip("\r\n")) for h in other.heredocs] == [
            (h.delimiter, h.content.rstrip("\r\n")) for h in instr.heredocs
        ]


@settings(max_examples=500, deadline=None)
@given(ANY_TEXT)
def test_never_raises_and_spans_are_exact(text: str) -> None:
    df = parse(text)
    _check(text, df)


@settings(max_examples=300, deadline=None)
@given(dockerfiles())
def test_generated_spans(text: str) -> None:
    df = parse(text)
    _check(text, df)
    _reslice(text, df)


@settings(max_examples=300, deadline=None)
@given(ANY_TEXT)
def test_reslicing_reproduces_instructions(text: str) -> None:
    _reslice(text, parse(text))
