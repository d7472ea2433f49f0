"""``to_jsonable``: frozen dataclasses, tuples, dicts and enums as JSON-ready data.

Its own module (it imports only :mod:`dataclasses`) so that what writes a report need not load the
module of every project fact: :mod:`dockwright.project.facts` (~20 ms of CPU of dataclass
definitions) re-exports it for the planner, and the audit's JSON no longer imports it.
"""

from __future__ import annotations

import dataclasses
from typing import Any

_FIELDS: dict[type, tuple[str, ...]] = {}  # a dataclass's field names, in order (read once per class)


def _field_names(kind: type) -> tuple[str, ...]:
    names = _FIELDS.get(kind)
    if names is None:
        names = _FIELDS[kind] = tuple(f.name for f in dataclasses.fields(kind))
    return names


def to_jsonable(value: Any) -> Any:
    """Turn frozen dataclasses, tuples and enums into JSON-ready data (shared by every hand-off value)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {name: to_jsonable(getattr(value, name)) for name in _field_names(type(value))}
    if isinstance(value, (list, tuple)):
        return [to_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if (
        hasattr(value, "value")
        and type(value).__module__ != "builtins"
        and hasattr(type(value), "__members__")
    ):
        return value.value  # Enum
    return value
