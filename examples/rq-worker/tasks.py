"""Job functions the worker runs (imported by name: ``tasks.word_count``)."""

from __future__ import annotations

from collections import Counter


def word_count(text: str) -> int:
    return len(text.split())


def top_words(text: str, n: int = 3) -> list[tuple[str, int]]:
    return Counter(word.lower().strip(".,;:!?") for word in text.split()).most_common(n)
