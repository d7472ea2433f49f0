"""dockwright.lazy_re: a module-level pattern compiles on first use and answers as re.compile's would."""

from __future__ import annotations

import re

import pytest

from dockwright.lazy_re import lazy


def test_compiles_on_first_use_only() -> None:
    pattern = lazy(r"(?P<word>[a-z]+)(?P<digits>\d*)", re.I)
    assert pattern._compiled is None  # importing a module costs nothing
    assert pattern.search("-- Ab12 --") is not None
    compiled = pattern._compiled
    assert compiled is not None
    pattern.match("x")
    assert pattern._compiled is compiled  # once


@pytest.mark.parametrize("text", ["", "abc 12 de3", "NO-digits here", "x1y2z3"])
def test_answers_as_re_compile(text: str) -> None:
    source, flags = r"([a-z]+)(\d*)", re.I
    lazy_pattern, eager = lazy(source, flags), re.compile(source, flags)

    def same(a: re.Match[str] | None, b: re.Match[str] | None) -> bool:
        return (a and (a.span(), a.groups())) == (b and (b.span(), b.groups()))

    assert same(lazy_pattern.match(text), eager.match(text))
    assert same(lazy_pattern.fullmatch(text), eager.fullmatch(text))
    assert same(lazy_pattern.search(text, 1), eager.search(text, 1))
    assert [m.span() for m in lazy_pattern.finditer(text)] == [m.span() for m in eager.finditer(text)]
    assert lazy_pattern.findall(text) == eager.findall(text)
    assert lazy_pattern.sub(r"<\1>", text) == eager.sub(r"<\1>", text)
    assert lazy_pattern.subn(lambda m: m.group(1).upper(), text, 1) == eager.subn(
        lambda m: m.group(1).upper(), text, 1
    )
    assert lazy_pattern.split(text) == eager.split(text)
    assert (lazy_pattern.pattern, lazy_pattern.compiled().flags) == (eager.pattern, eager.flags)


def test_an_invalid_pattern_raises_on_use() -> None:
    pattern = lazy(r"(unclosed")
    with pytest.raises(re.error):
        pattern.search("x")
