"""The install commands of a shell line (a recipe's ``RUN``, a script's line): ``pip install``, ``python
-m pip install``, ``uv pip install``, read as words and options (project/recipe_indexes.py: their index
options; project/own_requirements.py: their requirements files)."""

from __future__ import annotations

import re
import shlex
from collections.abc import Iterable

PIP_INSTALL = re.compile(r"\b(?:pip3?|python3?(?:\.\d+)?\s+-m\s+pip|uv\s+pip)\s+install\s+([^;&|#\n]*)")
INDEX_OPTIONS = {"-i": "default", "--index-url": "default", "--extra-index-url": "extra"}
REQUIREMENT_OPTIONS = ("-r", "--requirement")


def shell_words(segment: str) -> list[str]:
    """The words of an install command's arguments (split on spaces when its quoting does not close)."""
    try:
        return shlex.split(segment)
    except ValueError:
        return segment.split()


def option_pairs(words: list[str]) -> Iterable[tuple[str, str]]:
    """(option, value) pairs (``--opt value`` and ``--opt=value``), and ("", word) for the rest."""
    pending = ""
    for word in words:
        if pending:
            yield pending, word
            pending = ""
        elif word in INDEX_OPTIONS or word in REQUIREMENT_OPTIONS:
            pending = word
        elif "=" in word and word.split("=", 1)[0] in (*INDEX_OPTIONS, *REQUIREMENT_OPTIONS):
            option, value = word.split("=", 1)
            yield option, value
        else:
            yield "", word


def installed_requirements(line: str) -> list[str]:
    """The requirements files a shell line's install commands (``pip install``, ``python -m pip install``,
    ``uv pip install``) name: ``-r FILE``, ``--requirement=FILE``, ``-rFILE``."""
    out: list[str] = []
    for match in PIP_INSTALL.finditer(line):
        for option, value in option_pairs(shell_words(match.group(1))):
            if option in REQUIREMENT_OPTIONS:
                out.append(value)
            elif not option and value.startswith("-r") and len(value) > 2 and not value.startswith("--"):
                out.append(value[2:])
    return out
