"""A stand-in for ``uv pip compile`` (``dockwright.lock.compile.compile_lock``): locks resolve without
an index. Tests take it through the ``fake_resolver`` fixture (tests/conftest.py), which puts
:meth:`FakeResolver.compile` in the lock generator's place; a test whose resolver behaves otherwise
(answers per source, checks the constraints it is given, fails) gives its own ``answer`` to each
:class:`Call`."""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from dockwright.lock.compile import CompileOptions

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

HASH = "a" * 64  # the made-up hash of every pin the default answer writes


@dataclass(frozen=True)
class Call:
    """One call of the resolver: what ``compile_lock`` is given (``extra``: the wheel check's
    ``--format pylock.toml`` run)."""

    root: Path
    source: str
    python_version: str
    options: CompileOptions
    requirements: tuple[str, ...] = ()
    constraints: str | None = None
    extra: tuple[str, ...] = ()
    merged: tuple[str, ...] = ()
    layers: tuple[str, ...] = ()


@dataclass
class FakeResolver:
    """What the fake resolver answers, and what it was asked.

    ``body``: the resolution's text, whatever the source; None (the default): each requirement line
    pinned with :data:`HASH` (the lines read statically and fed on stdin when there are, else the
    source's: a pyproject.toml's ``[project].dependencies``, a requirements file's lines). ``pylock``: the answer to the wheel check's ``--format pylock.toml`` run; "" (the
    default) is no file list, so the wheel check finds nothing. ``asked``: the Python of each
    resolution, in order (the pylock runs left out). ``answer``: a test's own answer to every call,
    the pylock runs too (then ``body``, ``pylock`` and ``asked`` are not used); ``calls``: every call,
    in order."""

    body: str | None = None
    pylock: str = ""
    asked: list[str] = field(default_factory=list)
    answer: Callable[[Call], str] | None = None
    calls: list[Call] = field(default_factory=list)

    def compile(
        self,
        root: Path,
        source: str,
        python_version: str,
        options: CompileOptions,
        requirements: tuple[str, ...] = (),
        constraints: str | None = None,
        extra: tuple[str, ...] = (),
        merged: tuple[str, ...] = (),
        layers: tuple[str, ...] = (),
    ) -> str:
        call = Call(root, source, python_version, options, requirements, constraints, extra, merged, layers)
        self.calls.append(call)
        if self.answer is not None:
            return self.answer(call)
        if extra:
            return self.pylock
        self.asked.append(python_version)
        if self.body is not None:
            return self.body
        lines = requirements or _declared(root / source)
        return "".join(f"{line} \\\n    --hash=sha256:{HASH}\n" for line in lines)


def _declared(source: Path) -> tuple[str, ...]:
    """The requirements ``source`` declares, as uv reads them from it."""
    text = source.read_text(encoding="utf-8")
    if source.name == "pyproject.toml":
        return tuple(tomllib.loads(text).get("project", {}).get("dependencies", ()))
    return tuple(text.split())
