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
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
import tempfile
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from dockwright import readset

DEFAULT_MAX_AGE = 600.0  # seconds: PyPI's simple pages say max-age=600
MAX_AGE_CAP = 3600.0  # an index that says "a day" is still read again within the hour
_OFF = ("off", "0", "no", "false")
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
    if chosen.lower() in _OFF:
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


def _entry(folder: str, url: str) -> Path:
    return Path(folder) / (hashlib.sha256(url.encode("utf-8", "surrogateescape")).hexdigest() + ".json")


def load(folder: str | None, url: str, now: float | None = None) -> Page | None:
    """The page kept for ``url``, when there is one still fresh."""
    if folder is None:
        return None
    try:
        with readset.unrecorded(), _entry(folder, url).open(encoding="utf-8") as handle:
            data = json.load(handle)
        if data["url"] != url or float(data["expires"]) <= (time.time() if now is None else now):
            return None
        readset.kept_until(float(data["expires"]))  # a plan made with it is good as long as it is
        return Page(str(data["content_type"]), base64.b64decode(data["body"]), str(data["final_url"]))
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
            with path.open(encoding="utf-8") as handle:
                data = json.load(handle)
            stored = float(data.get("stored") or path.stat().st_mtime)
        expires = float(data["expires"])
    except (OSError, ValueError, KeyError, TypeError):
        return False
    moment = time.time() if now is None else now
    return stored < moment < expires and moment - stored > (expires - stored) / 2


def store(folder: str | None, url: str, page: Page, seconds: float, now: float | None = None) -> None:
    """Keep ``page`` for ``seconds`` (nothing when 0); atomic, private to the user; errors ignored."""
    if folder is None or seconds <= 0:
        return
    moment = time.time() if now is None else now
    data = {
        "url": url,
        "stored": moment,
        "expires": moment + seconds,
        "content_type": page.content_type,
        "final_url": page.final_url,
        "body": base64.b64encode(page.body).decode("ascii"),
    }
    try:
        Path(folder).mkdir(mode=0o700, parents=True, exist_ok=True)
        fd, scratch = tempfile.mkstemp(prefix=".entry-", dir=folder)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(data, handle)
            Path(scratch).replace(_entry(folder, url))
        except BaseException:
            Path(scratch).unlink()
            raise
    except OSError:
        return
