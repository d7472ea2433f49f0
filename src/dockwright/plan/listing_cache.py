"""The index's project listings kept on disk for as long as the index says they stay fresh.

Every ``plan``, ``init`` and ``build`` of a hash-locked requirements file reads one simple-API page per
pin (:mod:`dockwright.plan.wheels`): the Python chooser needs their files and ``Requires-Python``, the
served check (:func:`dockwright.initialize.check_served`) whether each pin is still listed. A
no-change rebuild asked the same pages seconds after the last one, ~1 s at load 10 (docs/lean.md,
"Session 25: buildspeed25"). A page is kept as an HTTP cache keeps it: for the response's
``Cache-Control: max-age`` (PyPI sends ``max-age=600``; uv's cache honours it the same way); never with
``no-store``, ``no-cache``, ``private`` or ``max-age=0`` (this sandbox's index: its pages change under
it); a response without the header (a proxy that strips it) is kept for :data:`DEFAULT_MAX_AGE`,
PyPI's own figure. Only listings read without credentials are kept (a private index's pages are
never written out), in ``$DOCKWRIGHT_INDEX_CACHE``, else ``$XDG_CACHE_HOME/dockwright/index``, else
``~/.cache/dockwright/index``; ``DOCKWRIGHT_INDEX_CACHE=off`` turns it off. A missing, unreadable or
expired entry is a miss (the page is read again); a failed write is ignored.

An entry holds what the page listed, not the page: one line of JSON (the URL, when it was stored and
until when it is fresh), then one line per file, its name, SHA-256 and Requires-Python separated by
tabs. pydantic-core's JSON page is 6.9 MB for 15,057 files: kept as the page (base64 in JSON) it took
~90 ms of every planning of a project that pins pydantic (read twice, decoded, parsed again); its rows
read in ~8 ms. A file whose name or fields hold a tab or a line break keeps the page out of the cache.

What the planning asks of a set of pages is kept beside them (:func:`kept_answer`): the served
check's answer (``served``: is every pin listed) and the pins' files (``files``: the Python chooser's
file names and ``Requires-Python`` per pin), each in ``<key>.answer`` with the pins and each page's
entry as a file (its inode, modification time and size), and given again while every one of those
entries is the same file and still fresh: pydantic's and pydantic-core's pages alone took ~40 ms of
CPU to read back (17,000 files), in every planning after an edit; a small app's seven pages 5 ms, in
threads started for them.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import tempfile
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from dockwright import readset
from dockwright.switches import switched_off

DEFAULT_MAX_AGE = 600.0  # seconds: PyPI's simple pages say max-age=600
MAX_AGE_CAP = 3600.0  # an index that says "a day" is still read again within the hour
_NEVER = re.compile(r"(?:^|,)\s*(?:no-store|no-cache|private)\s*(?:,|=|$)", re.IGNORECASE)
_MAX_AGE = re.compile(r"(?:^|,)\s*(?:s-maxage|max-age)\s*=\s*\"?(\d+)", re.IGNORECASE)


@dataclass(frozen=True)
class Page:
    """One response of the index: its Content-Type, body and final URL (after redirects)."""

    content_type: str
    body: bytes
    final_url: str


def cache_folder(environ: Mapping[str, str] | None = None) -> str | None:
    """``$DOCKWRIGHT_INDEX_CACHE``, else ``$XDG_CACHE_HOME/dockwright/index``, else
    ``~/.cache/dockwright/index``; None when ``DOCKWRIGHT_INDEX_CACHE`` turns it off."""
    env = os.environ if environ is None else environ
    chosen = env.get("DOCKWRIGHT_INDEX_CACHE", "").strip()
    if switched_off(chosen):
        return None
    if chosen:
        return chosen
    base = env.get("XDG_CACHE_HOME") or str(Path("~").expanduser() / ".cache")
    return str(Path(base) / "dockwright" / "index")


def max_age(cache_control: str | None) -> float:
    """How long a response may be reused: its ``max-age`` (capped at :data:`MAX_AGE_CAP`), 0 for one
    that must not be, :data:`DEFAULT_MAX_AGE` when the header is missing."""
    if cache_control is None or not cache_control.strip():
        return DEFAULT_MAX_AGE
    if _NEVER.search(cache_control):
        return 0.0
    found = _MAX_AGE.search(cache_control)
    if found is None:
        return 0.0  # a header that names no lifetime: an HTTP cache would not reuse it either
    return min(float(found.group(1)), MAX_AGE_CAP)


Row = tuple[str, str | None, str | None]  # a listed file: its name, SHA-256, Requires-Python


def _entry(folder: str, url: str) -> Path:
    return Path(folder) / (hashlib.sha256(url.encode("utf-8", "surrogateescape")).hexdigest() + ".rows")


def _header(handle: IO[bytes], url: str) -> dict[str, Any] | None:
    """An entry's first line, when it is the header of ``url``'s entry."""
    data = json.loads(handle.readline())
    return data if isinstance(data, dict) and data.get("url") == url else None


def load(folder: str | None, url: str, now: float | None = None) -> list[Row] | None:
    """The files kept for ``url``'s page, when it is still fresh."""
    if folder is None:
        return None
    try:
        with readset.unrecorded(), _entry(folder, url).open("rb") as handle:
            header = _header(handle, url)
            if header is None or float(header["expires"]) <= (time.time() if now is None else now):
                return None
            body = handle.read().decode("utf-8")
        rows: list[Row] = []
        for line in body.split("\n"):
            if line:
                name, digest, requires = line.split("\t")
                rows.append((name, digest or None, requires or None))
        readset.kept_until(float(header["expires"]))  # a plan made with it is good as long as it is
        return rows
    except (OSError, ValueError, KeyError, TypeError):
        return None


def half_spent(folder: str | None, url: str, now: float | None = None) -> bool:
    """Whether the page kept for ``url`` is past half its life (kept at ``stored``, else the entry's
    modification time); False when none is kept."""
    if folder is None:
        return False
    path = _entry(folder, url)
    try:
        with readset.unrecorded():  # bounded by its freshness (load), like the page itself
            with path.open("rb") as handle:
                header = _header(handle, url)
            if header is None:
                return False
            return _past_half(header, path, time.time() if now is None else now)
    except (OSError, ValueError, KeyError, TypeError):
        return False


def _past_half(header: dict[str, Any], path: Path, moment: float) -> bool:
    """Whether an entry (its ``header``, its file at ``path``) is past half its life at ``moment``."""
    stored = float(header.get("stored") or path.stat().st_mtime)
    expires = float(header["expires"])
    return stored < moment < expires and moment - stored > (expires - stored) / 2


ANSWER_FORMAT = 1
MAX_ANSWERS = 256  # kept answers (two per lock the planning asked about)


def entry_state(folder: str | None, url: str) -> tuple[int, int, int] | None:
    """The kept entry of ``url`` as a file (inode, modification time, size); None when none is kept."""
    if folder is None:
        return None
    try:
        with readset.unrecorded():
            state = _entry(folder, url).stat()
    except OSError:
        return None
    return (state.st_ino, state.st_mtime_ns, state.st_size)


def _answer_path(folder: str, kind: str, urls: Iterable[str], question: object) -> Path:
    key = json.dumps([ANSWER_FORMAT, kind, list(urls), question])
    return Path(folder) / (hashlib.sha256(key.encode("utf-8", "surrogateescape")).hexdigest() + ".answer")


def kept_answer(
    folder: str | None, kind: str, urls: list[str], question: object, now: float | None = None
) -> Any | None:
    """The answer of ``kind`` kept for ``question`` (JSON: the pins asked about) about the pages of
    ``urls``, while every page it was read from is the same entry and still fresh; while a plan is
    recorded, not once one is past half its life (it is read again then, :func:`half_spent`). None
    when there is no such answer."""
    if folder is None or not urls:
        return None
    moment = time.time() if now is None else now
    expiries = []
    try:
        with readset.unrecorded():
            kept = json.loads(_answer_path(folder, kind, urls, question).read_bytes())
            states = kept["entries"]
            if not isinstance(states, list) or len(states) != len(urls) or "answer" not in kept:
                return None
            for url, state in zip(urls, states, strict=True):
                if entry_state(folder, url) != tuple(state):
                    return None
                entry = _entry(folder, url)
                with entry.open("rb") as handle:
                    header = _header(handle, url)
                if header is None or float(header["expires"]) <= moment:
                    return None
                if readset.recording() and _past_half(header, entry, moment):
                    return None
                expiries.append(float(header["expires"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None
    for expires in expiries:  # a plan made with it is good as long as each page is
        readset.kept_until(expires)
    return kept["answer"]


def keep_answer(
    folder: str | None,
    kind: str,
    urls: list[str],
    question: object,
    before: list[tuple[int, int, int] | None],
    answer: object,
) -> None:
    """Keep ``answer`` (JSON) of ``kind`` to ``question`` with the entries it read, when each page is
    kept and is still the entry it was read from (``before``: the entries' states when read); atomic,
    private; errors ignored. The oldest answers past :data:`MAX_ANSWERS` go."""
    if folder is None or not urls:
        return
    after = [entry_state(folder, url) for url in urls]
    if any(state is None for state in after) or list(before) != after:
        return
    text = json.dumps({"entries": after, "answer": answer})
    _written(folder, _answer_path(folder, kind, urls, question), text)
    _trim_answers(folder)


def _trim_answers(folder: str) -> None:
    """At most :data:`MAX_ANSWERS` kept answers (a lock's every change keeps new ones), the least
    recently written going first; the ``.served`` answers of session 31's format go too."""
    try:
        with os.scandir(folder) as entries:
            found = [
                (e.stat().st_mtime_ns, e.path) for e in entries if e.name.endswith((".answer", ".served"))
            ]
    except OSError:
        return
    current = sorted(item for item in found if item[1].endswith(".answer"))
    for _mtime, path in [item for item in found if item[1].endswith(".served")] + current[:-MAX_ANSWERS]:
        with contextlib.suppress(OSError):
            Path(path).unlink()


def store(
    folder: str | None, url: str, rows: Iterable[Row], seconds: float, now: float | None = None
) -> None:
    """Keep the files a page of ``url`` listed for ``seconds`` (nothing when 0, or when a field would
    break a line); atomic, private to the user; errors ignored."""
    if folder is None or seconds <= 0:
        return
    lines = []
    for row in rows:
        line = "\t".join(field or "" for field in row)
        if line.count("\t") != 2 or "\n" in line or "\r" in line:
            return
        lines.append(line)
    moment = time.time() if now is None else now
    header = {"url": url, "stored": moment, "expires": moment + seconds}
    _written(folder, _entry(folder, url), json.dumps(header) + "\n" + "\n".join(lines))


def _written(folder: str, target: Path, text: str) -> None:
    """``text`` written to ``target`` in ``folder`` (made 0700 when missing) through a temporary
    there (0600), then renamed over it; errors ignored."""
    try:
        Path(folder).mkdir(mode=0o700, parents=True, exist_ok=True)
        fd, scratch = tempfile.mkstemp(prefix=".entry-", dir=folder)
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(text.encode("utf-8", "surrogateescape"))
            Path(scratch).replace(target)
        except BaseException:
            Path(scratch).unlink()
            raise
    except OSError:
        return
