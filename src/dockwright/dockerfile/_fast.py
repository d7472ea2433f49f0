"""Fast positional constructors for the frozen slots dataclasses the parser makes by the thousand.

A frozen dataclass ``__init__`` stores each field through ``object.__setattr__`` (frozen
classes forbid plain assignment), which costs about twice what setting the slot descriptor
directly does; parsing a Dockerfile makes dozens of spans and instructions, so that shows.
The objects made here are indistinguishable from ones made by the class itself.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")


def slots_constructor(cls: type[T]) -> Callable[..., T]:
    """``cls(*all_fields)`` (every field positional, no defaults) without the frozen ``__init__``."""
    if not dataclasses.is_dataclass(cls) or "__slots__" not in vars(cls) or hasattr(cls, "__post_init__"):
        raise TypeError(f"{cls.__name__} is not a slots dataclass without __post_init__")
    names = [f.name for f in dataclasses.fields(cls) if f.init]
    if len(names) != len(dataclasses.fields(cls)) or any(n.startswith("_") for n in names):
        raise TypeError(f"{cls.__name__}: unsupported fields")
    namespace: dict[str, Any] = {"_new": object.__new__, "_cls": cls}
    lines = [f"def make({', '.join(names)}):", "    self = _new(_cls)"]
    for name in names:
        namespace[f"_set_{name}"] = getattr(cls, name).__set__
        lines.append(f"    _set_{name}(self, {name})")
    lines.append("    return self")
    exec("\n".join(lines), namespace)
    make: Callable[..., T] = namespace["make"]
    make.__qualname__ = make.__name__ = f"make_{cls.__name__}"
    return make
