"""Word counting shared by the repository's apps."""

from collections import Counter

__version__ = "1.2.0"


def most_common(text: str, limit: int = 3) -> list[tuple[str, int]]:
    return Counter(text.lower().split()).most_common(limit)
