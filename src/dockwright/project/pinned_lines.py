"""The ``name==version`` pins of a hash-locked requirements text, each with the line it starts on.

One reader for every place that reads a lock's pins: the generated lock's pins for the Python choice
(:mod:`dockwright.project.generated_pins`, which names each pin's line as evidence), the lock's packages
for the native needs (:func:`dockwright.project.native.locked_from_requirements`) and the pins the lock
generator keeps when it adds a server (:func:`dockwright.lock.generate.pins`).

Lines are read as pip reads them (:func:`dockwright.project.managers.logical_lines`): backslash
continuations joined (a pin's ``--hash`` lines belong to it), comments dropped. A pin is a requirement
with exactly one ``==``/``===`` version (no wildcard) and no URL; option lines (``-r``, ``-c``,
``--index-url``, ``-e``) and unparsable lines are not pins.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import canonicalize_name

from dockwright.project.managers import logical_lines

_HASH = re.compile(r"--hash(?:=|\s+)(\S+)")
# per-requirement options after the requirement (--config-settings, --global-option)
_OPTION = re.compile(r"\s--[a-z][a-z-]*(?:(?:=|\s+)(?!-)\S+)?")


@dataclass(frozen=True)
class Pin:
    """One pinned requirement: canonical name, version, the operator that pins it (``==`` or ``===``),
    extras, marker, ``--hash`` values and the 1-based line the requirement starts on."""

    name: str
    version: str
    operator: str
    extras: tuple[str, ...]
    marker: str | None
    hashes: tuple[str, ...]
    line: int


def read_pins(text: str) -> tuple[Pin, ...]:
    """Every pin of ``text`` in file order (a name pinned twice, under two markers, appears twice)."""
    out: list[Pin] = []
    for number, logical in logical_lines(text):
        if logical.startswith("-"):
            continue
        hashes = tuple(_HASH.findall(logical))
        spec = _HASH.sub("", logical).strip()
        spec = _OPTION.sub("", f" {spec}").strip() if " --" in spec else spec
        try:
            requirement = Requirement(spec)
        except InvalidRequirement:
            continue
        pinned = [s for s in requirement.specifier if s.operator in ("==", "===")]
        if len(pinned) != 1 or requirement.url or "*" in pinned[0].version:
            continue
        marker = str(requirement.marker) if requirement.marker else None
        name, extras, pin = canonicalize_name(requirement.name), tuple(sorted(requirement.extras)), pinned[0]
        out.append(Pin(name, pin.version, pin.operator, extras, marker, hashes, number))
    return tuple(out)
