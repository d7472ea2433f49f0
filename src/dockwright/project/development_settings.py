"""Whether an environment setting turns a development or test mode on (``FLASK_DEBUG=1``,
``FLASK_ENV=development``, ``DJANGO_SETTINGS_MODULE=config.settings.local``): the words of
``data/development_settings.toml`` (its header says how they are read)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from dockwright.project.tree import data_table

_ON = frozenset({"1", "true", "yes", "on", "y", "t"})
# a value's words: runs of letters split at capitals (DevelopmentConfig -> development, config), digits
_WORDS = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])|\d+")


@dataclass(frozen=True)
class _Words:
    switches: frozenset[str]
    negations: frozenset[str]
    selectors: frozenset[str]
    values: frozenset[str]


@lru_cache(maxsize=1)
def _table() -> _Words:
    data: dict[str, Any] = data_table("development_settings.toml")
    switch, selector = data["switch"], data["selector"]
    return _Words(
        frozenset(switch["words"]),
        frozenset(switch["negations"]),
        frozenset(selector["words"]),
        frozenset(selector["values"]),
    )


def development_setting(name: str, value: str) -> str | None:
    """Why ``name=value`` is a development setting (a mode switched on, a development configuration
    selected), or None."""
    words = _table()
    parts = frozenset(name.upper().split("_"))
    plain = value.strip().strip("'\"")
    if parts & words.switches and not parts & words.negations and plain.lower() in _ON:
        return "it switches a development or test mode on"
    if parts & words.selectors:
        named = {w.lower() for w in _WORDS.findall(plain)} & words.values
        if named:
            return f"it selects the {sorted(named)[0]} configuration"
    return None
