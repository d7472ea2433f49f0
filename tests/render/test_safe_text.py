"""The control characters ``safe_text`` refuses: one search that must find exactly what Unicode names."""

from __future__ import annotations

import sys
import unicodedata

from dockwright.safe_text import control_character


def test_the_search_finds_exactly_unicodes_control_characters_and_line_separators() -> None:
    refused = {chr(c) for c in range(sys.maxunicode + 1) if control_character(chr(c))}
    named = {
        chr(c)
        for c in range(sys.maxunicode + 1)
        if unicodedata.category(chr(c)) == "Cc" or chr(c) in "\u2028\u2029\u0085"
    }
    assert refused == named


def test_the_first_control_character_is_named() -> None:
    assert control_character("flask==3.0\u2028RUN id\nx") == "\u2028"
    assert control_character("caf\u00e9 \u00a0 \u200b") is None  # letters and other spaces pass
