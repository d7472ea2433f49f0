"""Docker's .dockerignore semantics, the one matcher every verb uses (plan, lint, audit).

Patterns apply in order and the last match wins; ``!`` re-includes; ``*`` and ``?`` stop at ``/``;
``**`` spans folders; ``\\`` escapes; a leading ``/`` means the context root; a pattern that matches
a folder also leaves out everything below it.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache


@dataclass(frozen=True)
class Pattern:
    text: str  # cleaned: no "!", normalised, no leading "/"
    negated: bool
    line: int


@lru_cache(maxsize=1024)
def _regex(pattern: str) -> re.Pattern[str]:
    out = []
    i = 0
    while i < len(pattern):
        c = pattern[i]
        if pattern.startswith("**", i):
            i += 2
            if pattern.startswith("/", i):
                i += 1
                out.append("(?:.*/)?")
            else:
                out.append(".*")
            continue
        if c == "*":
            out.append("[^/]*")
        elif c == "?":
            out.append("[^/]")
        elif c == "[":
            end = pattern.find("]", i + 1)
            if end < 0:
                out.append(re.escape(c))
            else:
                body = pattern[i + 1 : end].replace("\\", "\\\\")
                out.append("[" + ("^" + body[1:] if body.startswith("!") else body) + "]")
                i = end
        elif c == "\\" and i + 1 < len(pattern):
            i += 1
            out.append(re.escape(pattern[i]))
        else:
            out.append(re.escape(c))
        i += 1
    return re.compile("".join(out) + r"\Z")


@dataclass(frozen=True)
class DockerIgnore:
    patterns: tuple[Pattern, ...]

    @classmethod
    def parse(cls, text: str) -> DockerIgnore:
        patterns = []
        for number, raw in enumerate(text.splitlines(), start=1):
            line = raw.strip()
            if not line or line.startswith("#"):
                continue
            negated = line.startswith("!")
            line = posixpath.normpath(line[1:].strip() if negated else line).lstrip("/")
            if line in ("", "."):
                continue
            patterns.append(Pattern(line, negated, number))
        return cls(tuple(patterns))

    def excluded(self, path: str) -> bool:
        """Is a context-relative, '/'-separated path left out of the build context?"""
        parts = path.strip("/").removeprefix("./").split("/")
        candidates = ["/".join(parts[: i + 1]) for i in range(len(parts))]
        verdict = False
        for pattern in self.patterns:
            if any(_regex(pattern.text).match(c) for c in candidates):
                verdict = not pattern.negated
        return verdict


def anywhere_regex(patterns: Iterable[str]) -> re.Pattern[str]:
    """One regex whose ``search`` finds a path that any of these ``**/``-anchored patterns excludes.

    ``**/X`` excludes a path when X matches it or a folder above it, i.e. when X matches a run of
    whole components of the path: one search over the path instead of a match per prefix and
    pattern (the audit asks this for every file of an image)."""
    bodies = []
    for pattern in patterns:
        if not pattern.startswith("**/") or pattern.startswith("!"):
            raise ValueError(f"not a '**/' pattern: {pattern!r}")
        bodies.append(_regex(pattern[3:]).pattern.removesuffix(r"\Z"))
    return re.compile(r"(?:\A|/)(?:" + "|".join(bodies) + r")(?:/|\Z)" if bodies else r"(?!)")


def warm_rules(rules: Iterable[str]) -> None:
    """Compile ``rules`` (.dockerignore lines, read as :meth:`DockerIgnore.parse` reads them) now: the
    daemon's server does it for the rules every plan writes, so a planning it forks compiles none of
    them (~1 ms)."""
    for pattern in DockerIgnore.parse("\n".join(rules)).patterns:
        _regex(pattern.text)
