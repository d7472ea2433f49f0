"""Which pins of a lock dockwright resolves have no wheel for the target: they build from source.

A requirements-format lock names versions and hashes, never files, so a plan made from one could not
tell that ``greenlet==3.0.3`` (released before CPython 3.13) has no cp313 wheel: it said "every
dependency has a wheel" and the builder, with no compiler, failed on the sdist. uv writes the same
resolution as a PEP 751 ``pylock.toml`` (``uv pip compile --format pylock.toml``), which lists, per
package, the wheels that fit ``--python-version``/``--python-platform`` and the sdist. A package with an
sdist and no fitting wheel is recorded in the generated lock's header::

    # dockwright-no-wheel: greenlet==3.0.3 markupsafe==2.1.5

so every later ``plan`` (no network) knows it, and the builder gets a compiler for it.
https://packaging.python.org/en/latest/specifications/pylock-toml/
"""

from __future__ import annotations

import re

from packaging.utils import canonicalize_name

from dockwright.toml_reader import tomllib

# uv's flags for the same resolution written as a PEP 751 lock (a second run reads uv's cache only)
PYLOCK = ("--format", "pylock.toml")
NO_WHEEL_LINE = re.compile(r"^# dockwright-no-wheel: (?P<pins>.+?)\s*$", re.M)


def no_wheel_pins(pylock: str) -> tuple[str, ...]:
    """``name==version`` of each package a pylock.toml gives an sdist and no wheel."""
    try:
        data = tomllib.loads(pylock)
    except tomllib.TOMLDecodeError:
        return ()
    out: list[str] = []
    for package in data.get("packages") or []:
        if not isinstance(package, dict) or "sdist" not in package or package.get("wheels"):
            continue
        name, version = package.get("name"), package.get("version")
        if isinstance(name, str) and isinstance(version, str):
            out.append(f"{canonicalize_name(name)}=={version}")
    return tuple(sorted(out))


def header_line(pins: tuple[str, ...]) -> str:
    return f"# dockwright-no-wheel: {' '.join(pins)}\n" if pins else ""


def read_no_wheel(text: str) -> frozenset[tuple[str, str]]:
    """(canonical name, version) of the pins a generated lock's header says build from source."""
    match = NO_WHEEL_LINE.search(text)
    if match is None:
        return frozenset()
    out: set[tuple[str, str]] = set()
    for pin in match["pins"].split():
        name, _, version = pin.partition("==")
        if name and version:
            out.add((canonicalize_name(name), version))
    return frozenset(out)
