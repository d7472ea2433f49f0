"""Docker's .dockerignore semantics: ordered patterns, ``!`` re-includes, ``**``, leading ``/`` ignored."""

from __future__ import annotations

import fnmatch
import re
from dataclasses import dataclass
from functools import lru_cache


@dataclass(frozen=True)
class Pattern:
    text: str  # as written, after cleaning
    negated: bool
    line: int


@lru_cache(maxsize=512)
def _regex(pattern: str) -> re.Pattern[str]:
    parts = []
    for segment in pattern.split("/"):
        if segment == "**":
            parts.append("(?:.*)")
        else:
            translated = fnmatch.translate(segment).removesuffix(r"\Z").removeprefix("(?s:").removesuffix(")")
            parts.append(translated.replace(".*", "[^/]*"))  # Docker's * stops at a slash
    body = "/".join(parts).replace("(?:.*)/", "(?:.*/)?")
    # a pattern matching a directory also excludes everything below it
    return re.compile(f"^(?:{body})(?:/.*)?$", re.S)


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
            line = line[1:].strip() if negated else line
            line = line.strip("/") or "."
            line = re.sub(r"/+", "/", line).removeprefix("./")
            patterns.append(Pattern(line, negated, number))
        return cls(tuple(patterns))

    def excluded(self, path: str) -> bool:
        """Is a context-relative path left out of the build context?"""
        path = path.strip("/").removeprefix("./")
        verdict = False
        for pattern in self.patterns:
            if _regex(pattern.text).match(path):
                verdict = not pattern.negated
        return verdict
