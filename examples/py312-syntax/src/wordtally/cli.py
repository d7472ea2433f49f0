"""``wordtally FILE... [--top N]``: the most frequent words of the files, as slugs."""

import argparse
import re
from collections import Counter
from pathlib import Path

from django.utils.text import slugify

type Tally = Counter[str]  # PEP 695: a type alias statement (Python 3.12)


def top[T](counts: Counter[T], n: int) -> list[tuple[T, int]]:  # PEP 695 generic function
    return counts.most_common(n)


def tally(paths: list[Path]) -> Tally:
    words: Tally = Counter()
    for path in paths:
        words.update(slugify(w) for w in re.findall(r"\w+", path.read_text(encoding="utf-8")))
    return words


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="wordtally", description=__doc__)
    parser.add_argument("files", nargs="+", type=Path, metavar="FILE")
    parser.add_argument("--top", type=int, default=5, metavar="N")
    args = parser.parse_args(argv)
    for word, count in top(tally(args.files), args.top):
        print(f"{count:>6} {f"{word!r}"}")  # PEP 701: the inner f-string reuses the outer quotes
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
