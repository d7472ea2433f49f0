"""The parser's fast constructors make objects indistinguishable from the dataclasses' own."""

from __future__ import annotations

import dataclasses
import pickle

import pytest

from dockwright.dockerfile import parse
from dockwright.dockerfile._fast import slots_constructor
from dockwright.dockerfile.syntax import Instruction, Span


def test_fast_span_equals_init() -> None:
    make = slots_constructor(Span)
    fast, slow = make(1, 5, 1, 2, 1, 6), Span(1, 5, 1, 2, 1, 6)
    assert fast == slow
    assert hash(fast) == hash(slow)
    assert repr(fast) == repr(slow)
    assert pickle.loads(pickle.dumps(fast)) == slow
    with pytest.raises(dataclasses.FrozenInstanceError):
        fast.start = 3  # type: ignore[misc]


def test_parsed_instructions_equal_rebuilt_ones() -> None:
    df = parse(
        "FROM python:3.12 AS base\nRUN --mount=type=cache,target=/x pip install a \\\n  b\nONBUILD RUN x\n"
    )
    for instruction in df.instructions:
        rebuilt = Instruction(
            **{f.name: getattr(instruction, f.name) for f in dataclasses.fields(Instruction)}
        )
        assert rebuilt == instruction
        assert repr(rebuilt) == repr(instruction)
    assert [i.stage_index for i in df.instructions] == [0, 0, 0]
    assert df.instructions[2].inner is not None and df.instructions[2].inner.stage_index == 0


def test_rejects_classes_it_cannot_build() -> None:
    @dataclasses.dataclass(frozen=True)
    class NoSlots:
        a: int

    with pytest.raises(TypeError):
        slots_constructor(NoSlots)
