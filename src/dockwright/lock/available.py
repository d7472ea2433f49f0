"""A pinned version the index no longer serves is found at ``init``/``plan``, not at build time.

A lock written some time ago (a converted ``uv.lock`` or ``poetry.lock``, a hash-locked requirements
file, a generated lock kept as it is) may pin a release the index has since removed: a pre-release
deleted after the final (gradio-experiments' ``polars-runtime-32==1.35.0b1``, docs/realworld.md session
18), a yanked-and-deleted upload, a package taken down. The image build then stops in ``pip install``
after minutes of work. So ``init`` (and ``plan`` when it may ask the index, ``index-lookup``) asks uv
whether every pin of that lock is served by the configured index: ``uv pip compile --no-deps`` of the
pins alone (``name==version``, markers kept), which reads one simple-API page per name and resolves
nothing else. Measured on a 96-pin lock through this workplace's proxy: 2.6-3.2 s with uv's cache warm,
4.0 s cold (a full resolution of the same project: 3.8 s; ``init`` keeping that lock: 11 s, ``plan``
with the index lookup: 12 s), docs/realworld.md session 19.

When the one index uv would ask is known and public, its listings (:mod:`dockwright.plan.wheels`, the
ones the Python chooser read, kept on disk while fresh) answer first: every pin listed means uv could
name none, so uv is not started (0.7-1.0 s of a no-change rebuild at load 10, docs/lean.md "Session 25:
buildspeed25"); a pin not listed, a page not read, another index or find-links: uv is asked as before
and names the pin.

A lock uv resolved in the same run is not asked again (its pins came from the index seconds ago). When
the index cannot be reached, or uv fails for another reason, nothing is said: the check only reports
what it can name (the resolution's own errors stay the build's).
"""

from __future__ import annotations

import dataclasses
import os
import re
import urllib.parse
from collections.abc import Mapping
from pathlib import Path

from packaging.utils import canonicalize_name

from dockwright.errors import LockError
from dockwright.indexauth import sends_credentials
from dockwright.lazy_re import lazy
from dockwright.lock.compile import CompileOptions, compile_lock, failure_of
from dockwright.plan.wheels import DEFAULT_INDEX, lists_every_pin
from dockwright.project.pinned_lines import read_pins

_NO_VERSION = lazy(
    r"there is no version of (?P<name>[A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?==(?P<version>[^\s,]+)"
)
_NOT_FOUND = lazy(
    r"(?P<name>[A-Za-z0-9][A-Za-z0-9._-]*) was not found in the "
    r"(?:package registry|provided package locations)"
)


@dataclasses.dataclass(frozen=True)
class Unserved:
    """A pin of the lock the index does not serve: its name, version and line in the lock."""

    name: str
    version: str
    line: int
    whole: bool  # True: the index has no such project at all; False: not that version


_UV_OTHER_PLACES = ("UV_INDEX", "UV_EXTRA_INDEX_URL", "UV_FIND_LINKS", "UV_NO_INDEX")
"""uv's environment that adds places to look (or none): the pins are then not the one index's to tell."""


def listed_index(options: CompileOptions, environ: Mapping[str, str]) -> str | None:
    """The index uv asks for the pins (``--index-url``, else the project's default index, else
    ``UV_DEFAULT_INDEX``/``UV_INDEX_URL``, else PyPI), when it is the only place uv looks and uv sends it
    no credentials from this environment; else None (only uv can tell). A page that needs credentials
    after all is not read, and uv is asked then."""
    if options.no_index or options.find_links or any(environ.get(name) for name in _UV_OTHER_PLACES):
        return None
    if any(index.role != "default" or index.explicit for index in options.indexes):
        return None
    own = next((index for index in options.indexes if index.role == "default"), None)
    # uv sends credentials there: only uv can read the page (a named index's ${UV_INDEX_<NAME>_USERNAME}
    # counts only when set: unset, uv reads the page as anyone does)
    if own is not None and sends_credentials(own, environ):
        return None
    from_env = {environ.get(name, "").strip() for name in ("UV_DEFAULT_INDEX", "UV_INDEX_URL")} - {""}
    if len(from_env) > 1:
        return None
    url = options.index_url or (own.url if own is not None else "") or next(iter(from_env), "")
    url = url or DEFAULT_INDEX
    if "@" in urllib.parse.urlsplit(url).netloc or not url.startswith(("http://", "https://")):
        return None  # credentials (or their ${VAR} placeholders): uv's to send
    return url


def unserved(root: Path, text: str, python_version: str, options: CompileOptions) -> Unserved | None:
    """The first pin of ``text`` (a hash-locked requirements body) the index ``options`` names does not
    serve, else None (every pin served, or the index could not tell)."""
    pins = [pin for pin in read_pins(text) if pin.operator == "=="]
    if not pins:
        return None
    timeout = min(options.timeout, 120.0)
    url = listed_index(options, os.environ)
    if url is not None and lists_every_pin(url, ((p.name, p.version) for p in pins)):
        return None  # the one index uv would ask lists every pin: uv could name none of them
    lines = tuple(f"{p.name}=={p.version}" + (f" ; {p.marker}" if p.marker else "") for p in pins)
    # the pins as they are: no date cut-off, no constraints (they are the resolution's, not the lock's)
    asked = dataclasses.replace(options, exclude_newer=None, constraints=(), timeout=timeout)
    try:
        compile_lock(root, "-", python_version, asked, lines, extra=("--no-deps",))
    except LockError as error:
        failed = failure_of(error.message)
        if failed.kind not in ("conflict", "missing"):
            return None  # the index unreachable, a build: nothing this check can name
        by_name = {p.name: p for p in pins}
        found = _NO_VERSION.search(error.message)
        if found is not None:
            pin = by_name.get(canonicalize_name(found["name"]))
            if pin is not None:
                return Unserved(pin.name, pin.version, pin.line, False)
        found = _NOT_FOUND.search(error.message)
        if found is not None:
            pin = by_name.get(canonicalize_name(found["name"]))
            if pin is not None:
                return Unserved(pin.name, pin.version, pin.line, True)
    return None


_FIX = {
    "convert-uv": "`uv lock --upgrade-package {name}`",
    "convert-poetry": "`poetry update {name}`",
    "convert-pdm": "`pdm update {name}`",
    "convert-pipenv": "`pipenv update {name}`",
}


def refusal(
    root: Path, lock_path: str, source: str | None, method: str, found: Unserved, index: str
) -> LockError:
    """The one-line error naming the pin the index does not serve (a manager's lock's own line for a
    converted one: the lock dockwright writes may not exist yet), and how to move it."""
    where = f"{lock_path}:{found.line}"
    if method in _FIX and source:
        line = _entry_line(root / source, found.name, found.version)
        where = f"{source}:{line}" if line else source
    elif source and source != lock_path:
        where += f" (from {source})"
    what = f"has no project {found.name}" if found.whole else f"no longer serves {found.name} {found.version}"
    fix = _FIX.get(method, "edit the requirement that pins it").format(name=found.name)
    return LockError(
        f"{where} pins {found.name}=={found.version}, and the index ({index}) "
        f"{what}: the image build would stop installing it; move the pin to a version the index has "
        f"({fix}), then run init again"
    )


_ENTRY = lazy(r"""^\s*(?:name\s*=\s*)?["'](?P<name>[A-Za-z0-9][A-Za-z0-9._-]*)["']\s*(?::\s*\{)?\s*$""")
"""A lock entry's opening: ``name = "x"`` (uv.lock, poetry.lock, pdm.lock) or ``"x": {`` (Pipfile.lock)."""


def _entry_line(lock: Path, name: str, version: str) -> int | None:
    """The line of ``name``'s entry at ``version`` in a manager's lock (``name = "polars-runtime-32"``
    then its ``version``, within a few lines), else None."""
    try:
        lines = lock.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return None
    for number, line in enumerate(lines, 1):
        entry = _ENTRY.match(line)
        if entry is None or canonicalize_name(entry["name"]) != name:
            continue
        for following in lines[number : number + 200]:  # its version line (after Pipfile.lock's hashes)
            if _ENTRY.match(following):
                break
            if re.match(r"""^\s*["']?version["']?\s*[=:]""", following):
                if version in following:
                    return number
                break
    return None
