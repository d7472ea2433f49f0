"""Which distribution files (wheels and sdists) exist for each locked package.

Source 1 is the lock itself: uv.lock, poetry.lock and pdm.lock list every file they pinned
(:attr:`LockedPackage.files`). Source 2, for locks that give only hashes (a ``--hash`` requirements
file, ``Pipfile.lock``), is a package index's simple API: ``/simple/<name>/`` asked for PEP 691 JSON
(``application/vnd.pypi.simple.v1+json``), read as PEP 503 HTML when the index answers HTML. Of the
files the index lists, those whose sha256 is one of the lock's hashes are kept (the lock pins exactly
those); a package locked without hashes keeps the files of its pinned version.

The index is the explicit ``index_url``, else ``PIP_INDEX_URL``, else https://pypi.org/simple. Only
:mod:`urllib` is used; credentials in the URL become a Basic ``Authorization`` header and never
appear in a message. Any network failure is one :class:`~dockwright.errors.PlanError` line. A page
read without credentials is kept on disk as long as the index says it is fresh
(:mod:`dockwright.plan.listing_cache`).
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import time
import urllib.parse
from collections.abc import Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from functools import lru_cache
from typing import TYPE_CHECKING, NamedTuple

from packaging.utils import (
    InvalidSdistFilename,
    InvalidWheelFilename,
    canonicalize_name,
    parse_sdist_filename,
    parse_wheel_filename,
)
from packaging.version import InvalidVersion, Version

from dockwright import readset
from dockwright.errors import PlanError
from dockwright.plan import listing_cache
from dockwright.project.facts import LockedPackage
from dockwright.project.index_pins import PinFiles, PinIndex, needs_index

if TYPE_CHECKING:  # urllib.request (http.client, ssl, email) loads when an index is read, not at import
    import urllib.request

DEFAULT_INDEX = "https://pypi.org/simple"
JSON_TYPE = "application/vnd.pypi.simple.v1+json"
ACCEPT = f"{JSON_TYPE}, application/vnd.pypi.simple.v1+html;q=0.2, text/html;q=0.01"
TIMEOUT = 15.0
WORKERS = 8

PackageKey = tuple[str, str]
"""``(canonical name, version)``: a lock may pin one name at two versions (per-Python markers)."""


def package_key(package: LockedPackage) -> PackageKey:
    return (package.name, package.version)


class IndexFile(NamedTuple):
    """One file a simple index lists for a project. A named tuple, not a frozen dataclass: a page
    kept on disk comes back as tens of thousands of them (pydantic-core: 15,000), 0.3 µs each here
    against 1.3 µs, on every planning that checks the lock's pins are served."""

    filename: str
    sha256: str | None  # hex digest, when the index gives one
    requires_python: str | None = None  # PEP 691 ``requires-python`` / PEP 503 ``data-requires-python``


def lock_files(packages: Iterable[LockedPackage]) -> dict[PackageKey, frozenset[str]]:
    """The file names each package's lock lists (empty for requirements files and ``Pipfile.lock``)."""
    out: dict[PackageKey, frozenset[str]] = {}
    for package in packages:
        key = package_key(package)
        out[key] = out.get(key, frozenset()) | frozenset(package.files)
    return out


def resolve_index_url(index_url: str | None = None, environ: Mapping[str, str] | None = None) -> str:
    """``index_url``, else ``PIP_INDEX_URL``, else PyPI's simple index."""
    environ = os.environ if environ is None else environ
    return (index_url or environ.get("PIP_INDEX_URL", "") or DEFAULT_INDEX).strip()


def available_files(
    packages: Iterable[LockedPackage],
    *,
    index_url: str | None = None,
    use_index: bool = True,
    timeout: float = TIMEOUT,
) -> dict[PackageKey, frozenset[str]]:
    """For each package, the distribution file names (wheels and sdists) that exist for its pin.

    From the lock's own list when it has one; else, when ``use_index``, from the index (see the
    module docstring). A package neither source tells about maps to an empty set (unknown).
    Raises PlanError when the index cannot be read."""
    packages = tuple(packages)
    out = lock_files(packages)
    asked = [p for p in packages if needs_index(p)] if use_index else []
    if not asked:
        return out
    base = resolve_index_url(index_url)
    names = sorted({p.name for p in asked})
    pool = ThreadPoolExecutor(max_workers=min(WORKERS, len(names)))
    try:
        futures = {name: pool.submit(fetch_project, base, name, timeout=timeout) for name in names}
        listings = {name: future.result() for name, future in futures.items()}
    finally:
        pool.shutdown(wait=False, cancel_futures=True)  # the first failure answers; the rest is dropped
    for package in asked:
        key = package_key(package)
        out[key] = out.get(key, frozenset()) | matching_files(package, listings[package.name])
    return out


def matching_files(package: LockedPackage, listing: Iterable[IndexFile]) -> frozenset[str]:
    """The listed files the lock pins: by sha256 when the lock has hashes, else by version."""
    listing = tuple(listing)
    wanted = {h.split(":", 1)[1].lower() for h in package.hashes if h.lower().startswith("sha256:")}
    if wanted and any(f.sha256 for f in listing):
        return frozenset(f.filename for f in listing if f.sha256 and f.sha256.lower() in wanted)
    return frozenset(
        f.filename for f in listing if _version_of(f.filename) == _parse_version(package.version)
    )


def _parse_version(text: str) -> Version | None:
    try:
        return Version(text)
    except InvalidVersion:
        return None


def _version_of(filename: str) -> Version | None:
    try:
        if filename.endswith(".whl"):
            return parse_wheel_filename(filename)[1]
        return parse_sdist_filename(filename)[1]
    except (InvalidWheelFilename, InvalidSdistFilename, InvalidVersion):
        return None


# ---------------------------------------------------------------------------------------------- the index


def _split_credentials(url: str) -> tuple[str, dict[str, str], str]:
    """(URL without user:password, headers carrying them, the URL safe to print)."""
    parts = urllib.parse.urlsplit(url)
    if not parts.username and not parts.password:
        return url, {}, url
    host = parts.hostname or ""
    if parts.port:
        host = f"{host}:{parts.port}"
    clean = urllib.parse.urlunsplit((parts.scheme, host, parts.path, parts.query, parts.fragment))
    user = urllib.parse.unquote(parts.username or "")
    password = urllib.parse.unquote(parts.password or "")
    token = base64.b64encode(f"{user}:{password}".encode()).decode()
    return clean, {"Authorization": f"Basic {token}"}, clean


class NotOnIndexError(PlanError):
    """The index has no such project (HTTP 404)."""


def project_url(index_url: str, name: str) -> str:
    return f"{index_url.rstrip('/')}/{canonicalize_name(name)}/"


def _open(request: urllib.request.Request, timeout: float) -> tuple[listing_cache.Page, float]:
    """The page and how long it may be reused (:func:`listing_cache.max_age`)."""
    import urllib.request

    with urllib.request.urlopen(request, timeout=timeout) as response:
        kind = response.headers.get("Content-Type", "")
        page = listing_cache.Page(kind, response.read(), response.geturl())
        return page, listing_cache.max_age(response.headers.get("Cache-Control"))


def fetch_project(index_url: str, name: str, *, timeout: float = TIMEOUT) -> tuple[IndexFile, ...]:
    """The files ``index_url`` lists for project ``name`` (PEP 691 JSON, else PEP 503 HTML); a page
    read without credentials is kept on disk while the index says it is fresh (:mod:`listing_cache`)."""
    url, headers, shown = _split_credentials(project_url(index_url, name))
    if urllib.parse.urlsplit(url).scheme not in ("http", "https"):
        raise PlanError(f"package index {shown} is not an http(s) URL")
    folder = None if headers else listing_cache.cache_folder()
    # a plan kept with its read set lives as long as its listings: one past half its life is read
    # again (its kept copy serves when that fails), so a kept plan lives at least half a max-age
    refresh = readset.recording() and listing_cache.half_spent(folder, url)
    kept = None if refresh else listing_cache.load(folder, url)
    if kept is not None:
        return tuple(map(IndexFile._make, kept))
    from urllib.error import HTTPError, URLError  # http.client, ssl: only when an index is read
    from urllib.request import Request

    request = Request(url, headers={"Accept": ACCEPT, **headers})
    try:
        try:
            with readset.network_answer():
                page, seconds = _open(request, timeout)
        except (URLError, OSError, ValueError):
            kept = listing_cache.load(folder, url) if refresh else None
            if kept is None:
                raise
            return tuple(map(IndexFile._make, kept))  # the plan is not kept (network_answer)
    except HTTPError as error:
        if error.code == 404:
            raise NotOnIndexError(f"package index {shown} has no project {name!r} (HTTP 404)") from error
        raise PlanError(f"package index {shown} answered HTTP {error.code} for {name!r}") from error
    except (URLError, OSError, ValueError) as error:
        reason = getattr(error, "reason", None) or error
        raise PlanError(f"cannot read package index {shown} for {name!r}: {reason}") from error
    listing = _parsed(page, shown, name)
    rows = ((item.filename, item.sha256, item.requires_python) for item in listing)
    listing_cache.store(folder, url, rows, seconds)  # only a page that parsed
    if folder is not None and seconds > 0:  # a plan made with it is good while the kept page is
        readset.kept_until(time.time() + seconds)
    else:
        readset.refuse(f"an index page of {name} that is not kept (credentials, no-cache)")
    return listing


def _parsed(page: listing_cache.Page, shown: str, name: str) -> tuple[IndexFile, ...]:
    try:
        if JSON_TYPE in page.content_type or page.content_type.startswith("application/json"):
            return parse_json_listing(page.body)
        return parse_html_listing(page.body.decode("utf-8", "replace"), page.final_url)
    except (ValueError, KeyError, TypeError) as error:
        raise PlanError(f"package index {shown} sent an unreadable listing for {name!r}") from error


def parse_json_listing(body: bytes) -> tuple[IndexFile, ...]:
    """PEP 691: ``{"files": [{"filename": ..., "hashes": {"sha256": ...}}, ...]}``."""
    data = json.loads(body)
    out = []
    for item in data["files"]:
        hashes = item.get("hashes") or {}
        requires = item.get("requires-python")
        out.append(
            IndexFile(
                str(item["filename"]),
                str(hashes["sha256"]) if "sha256" in hashes else None,
                str(requires) if requires else None,
            )
        )
    return tuple(out)


def parse_html_listing(text: str, base_url: str = "") -> tuple[IndexFile, ...]:
    """PEP 503: one ``<a href="...file#sha256=HEX" data-requires-python="&gt;=3.8">`` per file."""
    from html.parser import HTMLParser  # only a listing read loads it

    class _Anchors(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.hrefs: list[tuple[str, str | None]] = []  # (href, data-requires-python), entities decoded

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            if tag == "a":
                values = dict(attrs)
                href = values.get("href")
                if href:
                    self.hrefs.append((href, values.get("data-requires-python") or None))

    parser = _Anchors()
    parser.feed(text)
    out = []
    for href, requires in parser.hrefs:
        full = urllib.parse.urljoin(base_url, href)
        path, _, fragment = full.partition("#")
        filename = urllib.parse.unquote(urllib.parse.urlsplit(path).path.rsplit("/", 1)[-1])
        if not filename:
            continue
        algo, _, digest = fragment.partition("=")
        out.append(IndexFile(filename, digest if algo == "sha256" and digest else None, requires))
    return tuple(out)


# ------------------------------------------------------------------------------------- the chooser's lookup

LOOKUP_TIMEOUT = 10.0


def pin_index(index_url: str | None = None, *, timeout: float = LOOKUP_TIMEOUT) -> PinIndex:
    """A :data:`~dockwright.project.index_pins.PinIndex` reading ``index_url`` (else the project's own
    default index, else ``PIP_INDEX_URL``, else PyPI); each project's listing is read once per process.
    A project the index does not have (HTTP 404) is left out. Any other failure raises PlanError, and
    the index is not asked again in this process (an unreachable one costs one timeout, not one per pin
    or per plan)."""

    def lookup(packages: tuple[LockedPackage, ...], own_index: str | None) -> dict[PackageKey, PinFiles]:
        base = index_url or own_index or resolve_index_url(None)
        if base in _UNREACHABLE:
            raise _UNREACHABLE[base]
        names = sorted({p.name for p in packages})
        folder, urls = _kept_pages(base, names)
        question = sorted([p.name, p.version, sorted(p.hashes)] for p in packages)
        kept = listing_cache.kept_answer(folder, "files", urls, question)
        if isinstance(kept, list):
            with contextlib.suppress(ValueError, TypeError):
                return {
                    (name, version): PinFiles(tuple(files), chosen) for name, version, files, chosen in kept
                }
        try:
            listings = _listings(base, names, timeout)
        except PlanError as error:
            _UNREACHABLE[base] = error
            raise
        before = _read_states(base, names)
        out: dict[PackageKey, PinFiles] = {}
        for package in packages:
            listing = listings[package.name]
            files = matching_files(package, listing) if listing is not None else frozenset()
            if not files or listing is None:
                continue
            pinned = [f for f in listing if f.filename in files and f.requires_python]
            # the sdist's when it has one (what a build from source checks), else a wheel's
            pinned.sort(key=lambda f: f.filename.endswith(".whl"))
            chosen = pinned[0].requires_python if pinned else None
            out[package_key(package)] = PinFiles(tuple(sorted(files)), chosen)
        answer = [[*key, list(pin.files), pin.requires_python] for key, pin in sorted(out.items())]
        listing_cache.keep_answer(folder, "files", urls, question, before, answer)
        return out

    return lookup


def _kept_pages(index_url: str, names: list[str]) -> tuple[str | None, list[str]]:
    """The listing cache's folder (None when a page is read with credentials: never kept) and the
    pages' URLs of ``names`` on ``index_url``."""
    folder = listing_cache.cache_folder()
    urls = []
    for name in names:
        url, headers, _shown = _split_credentials(project_url(index_url, name))
        folder = None if headers else folder
        urls.append(url)
    return folder, urls


_UNREACHABLE: dict[str, PlanError] = {}  # index URL -> the failure that ended the lookups there


_READ_STATES: dict[tuple[str, str], tuple[int, int, int] | None] = {}  # (index, name): kept page then


@lru_cache(maxsize=1024)
def _listing(base: str, name: str, timeout: float) -> tuple[IndexFile, ...] | None:
    """The listing (None: the index has no such project), read once per process; the state of its
    kept page as read is noted (:func:`_read_states`)."""
    try:
        listing = fetch_project(base, name, timeout=timeout)
    except NotOnIndexError:
        return None
    folder, urls = _kept_pages(base, [name])
    _READ_STATES[(base, name)] = listing_cache.entry_state(folder, urls[0])
    return listing


def _read_states(base: str, names: list[str]) -> list[tuple[int, int, int] | None]:
    """The kept pages' states when this process read ``names``' listings (None: not kept): an answer
    made from them is kept only while the pages are still those (a listing this process read before
    another process stored the page again is not the page on disk)."""
    return [_READ_STATES.get((base, name)) for name in names]


def lists_every_pin(
    index_url: str, pins: Iterable[tuple[str, str]], *, timeout: float = LOOKUP_TIMEOUT
) -> bool:
    """True when ``index_url`` lists at least one file of every ``(name, version)``: each pin is served.
    False when one is not listed, or any page cannot be read (the caller then asks uv, which names it);
    an index that failed once in this process is not asked again. Pages come from this process's reads
    (:func:`pin_index`'s) and the on-disk listing cache first."""
    wanted = tuple(pins)
    names = sorted({str(canonicalize_name(name)) for name, _ in wanted})
    if not names:
        return True
    if index_url in _UNREACHABLE:
        return False
    folder, urls = _kept_pages(index_url, names)
    keyed = sorted([str(canonicalize_name(name)), version] for name, version in wanted)
    kept = listing_cache.kept_answer(folder, "served", urls, keyed)
    if isinstance(kept, bool):
        return kept
    try:
        listings = _listings(index_url, names, timeout)
    except PlanError as error:
        _UNREACHABLE[index_url] = error
        return False
    before = _read_states(index_url, names)
    answer = all(_served(listings[canonicalize_name(name)], version) for name, version in wanted)
    listing_cache.keep_answer(folder, "served", urls, keyed, before, answer)
    return answer


def _listings(index_url: str, names: list[str], timeout: float) -> dict[str, tuple[IndexFile, ...] | None]:
    """Each project's listing (:func:`_listing`), read in parallel threads (up to WORKERS)."""
    pool = ThreadPoolExecutor(max_workers=max(1, min(WORKERS, len(names))))
    try:
        futures = {name: pool.submit(_listing, index_url, name, timeout) for name in names}
        return {name: future.result() for name, future in futures.items()}
    finally:
        pool.shutdown(wait=False, cancel_futures=True)  # the first failure answers


def _served(listing: tuple[IndexFile, ...] | None, version: str) -> bool:
    """Whether ``listing`` has a file of ``version`` (a wheel first: the newest files are read first)."""
    if _lists_wheel_of(listing, version):
        return True
    listed = _listed_versions(listing)
    if version in listed:
        return True
    pinned = _parse_version(version)
    return pinned is not None and any(_parse_version(text) == pinned for text in listed)


def _lists_wheel_of(listing: tuple[IndexFile, ...] | None, version: str) -> bool:
    """Whether a wheel of ``version`` (as written) is listed: the newest files first, where a pin
    usually is, without parsing the rest (pydantic-core's page lists thousands of wheels)."""
    for item in reversed(listing or ()):
        if item.filename.endswith(".whl"):
            fields = item.filename.split("-")
            if len(fields) in (5, 6) and fields[1] == version:
                return True
    return False


def _listed_versions(listing: tuple[IndexFile, ...] | None) -> frozenset[str]:
    """The version texts of a listing's files, each parsed once at most (a listing of numpy's size
    has thousands of wheels over a few hundred versions): a wheel's is its second field (PEP 427)."""
    out = set()
    for item in listing or ():
        if item.filename.endswith(".whl"):
            fields = item.filename.split("-")
            if len(fields) in (5, 6):
                out.add(fields[1])
            continue
        version = _version_of(item.filename)
        if version is not None:
            out.add(str(version))
    return frozenset(out)
