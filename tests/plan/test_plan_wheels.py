"""dockwright.plan.wheels: file names from the lock, else from a simple index (served locally, offline)."""

from __future__ import annotations

import hashlib
import json
import re
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from dockwright.errors import PlanError
from dockwright.plan.wheels import (
    DEFAULT_INDEX,
    available_files,
    lock_files,
    parse_html_listing,
    resolve_index_url,
)
from dockwright.project.detect import detect_project
from dockwright.project.facts import LockedPackage

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def sha(name: str) -> str:
    return hashlib.sha256(name.encode()).hexdigest()


NUMPY_FILES = (
    "numpy-2.1.3-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl",
    "numpy-2.1.3-cp311-cp311-musllinux_1_2_aarch64.whl",
    "numpy-2.1.3-cp312-cp312-manylinux_2_17_aarch64.manylinux2014_aarch64.whl",
    "numpy-2.1.3.tar.gz",
    "numpy-2.1.2-cp311-cp311-manylinux_2_17_aarch64.manylinux2014_aarch64.whl",
)
PSYCOPG2_FILES = (
    "psycopg2-2.9.10.tar.gz",
    "psycopg2-2.9.9.tar.gz",
    "psycopg2-2.9.10-cp311-cp311-win_amd64.whl",
)
PROJECTS = {"numpy": NUMPY_FILES, "psycopg2": PSYCOPG2_FILES}


class Index:
    """A tiny PEP 691 / PEP 503 simple index on 127.0.0.1 (``mode`` "json" or "html")."""

    def __init__(self, mode: str) -> None:
        self.mode = mode
        self.cache_control: str | None = None  # the Cache-Control header sent, when set
        self.requests: list[tuple[str, dict[str, str]]] = []
        index = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                index.requests.append((self.path, dict(self.headers)))
                parts = self.path.strip("/").split("/")
                name = parts[-1] if len(parts) == 2 and parts[0] == "simple" else ""
                if name not in PROJECTS:
                    self.send_error(404)
                    return
                if index.mode == "json":
                    files = [
                        {"filename": f, "url": f"../../files/{f}", "hashes": {"sha256": sha(f)}}
                        for f in PROJECTS[name]
                    ]
                    body = json.dumps({"meta": {"api-version": "1.1"}, "name": name, "files": files})
                    kind = "application/vnd.pypi.simple.v1+json"
                else:
                    links = "".join(
                        f'<a href="../../files/{f}#sha256={sha(f)}">{f}</a><br/>' for f in PROJECTS[name]
                    )
                    body = f"<!DOCTYPE html><html><body>{links}</body></html>"
                    kind = "text/html"
                data = body.encode()
                self.send_response(200)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(data)))
                if index.cache_control is not None:
                    self.send_header("Cache-Control", index.cache_control)
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, format: str, *args: object) -> None:
                return

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/simple"
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.02,), daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture(params=["json", "html"])
def index(request: pytest.FixtureRequest) -> Iterator[Index]:
    served = Index(request.param)
    yield served
    served.close()


def test_lock_files_come_from_the_package_and_merge_by_name_and_version() -> None:
    flask = LockedPackage("flask", "3.1.0", files=("flask-3.1.0-py3-none-any.whl", "flask-3.1.0.tar.gz"))
    bare = LockedPackage("gunicorn", "23.0.0")
    assert lock_files([flask, bare]) == {
        ("flask", "3.1.0"): frozenset(flask.files),
        ("gunicorn", "23.0.0"): frozenset(),
    }


def test_index_files_are_kept_by_sha256(index: Index) -> None:
    kept = NUMPY_FILES[:2]
    numpy = LockedPackage("numpy", "2.1.3", hashes=tuple(f"sha256:{sha(f)}" for f in kept))
    assert available_files([numpy], index_url=index.url) == {("numpy", "2.1.3"): frozenset(kept)}
    path, headers = index.requests[0]
    assert path == "/simple/numpy/"
    assert "application/vnd.pypi.simple.v1+json" in headers["Accept"]


def test_without_hashes_the_pinned_version_is_kept(index: Index) -> None:
    psycopg2 = LockedPackage("psycopg2", "2.9.10")
    files = available_files([psycopg2], index_url=index.url)[("psycopg2", "2.9.10")]
    assert files == {"psycopg2-2.9.10.tar.gz", "psycopg2-2.9.10-cp311-cp311-win_amd64.whl"}


def test_lock_listed_and_vcs_packages_are_not_asked(index: Index) -> None:
    listed = LockedPackage("flask", "3.1.0", files=("flask-3.1.0-py3-none-any.whl",))
    vcs = LockedPackage("tool", "", source="vcs")
    out = available_files([listed, vcs], index_url=index.url)
    assert out[("flask", "3.1.0")] == {"flask-3.1.0-py3-none-any.whl"}
    assert out[("tool", "")] == frozenset()
    assert index.requests == []


def test_pip_index_url_is_the_default(index: Index, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PIP_INDEX_URL", index.url + "/")
    out = available_files([LockedPackage("psycopg2", "2.9.9")])
    assert out[("psycopg2", "2.9.9")] == {"psycopg2-2.9.9.tar.gz"}
    assert resolve_index_url(None, {}) == DEFAULT_INDEX
    assert resolve_index_url("https://example.org/simple", {"PIP_INDEX_URL": "x"}) == (
        "https://example.org/simple"
    )


def test_use_index_false_stays_offline() -> None:
    out = available_files([LockedPackage("numpy", "2.1.3", hashes=("sha256:00",))], use_index=False)
    assert out == {("numpy", "2.1.3"): frozenset()}


def test_an_unknown_project_is_a_one_line_plan_error(index: Index) -> None:
    with pytest.raises(PlanError) as caught:
        available_files([LockedPackage("no-such-thing", "1.0")], index_url=index.url)
    message = str(caught.value)
    assert "no project 'no-such-thing'" in message and "404" in message and "\n" not in message


def test_credentials_go_in_a_header_and_never_in_a_message(index: Index) -> None:
    secret_url = index.url.replace("http://", "http://user:s3cret@")
    available_files([LockedPackage("psycopg2", "2.9.10")], index_url=secret_url)
    _, headers = index.requests[0]
    assert headers["Authorization"].startswith("Basic ")
    with pytest.raises(PlanError) as caught:
        available_files([LockedPackage("missing", "1.0")], index_url=secret_url)
    assert "s3cret" not in str(caught.value)


def test_an_unreachable_index_is_a_plan_error() -> None:
    closed = Index("json")
    url = closed.url
    closed.close()
    with pytest.raises(PlanError, match=re.escape("cannot read package index http://127.0.0.1")):
        available_files([LockedPackage("numpy", "2.1.3")], index_url=url, timeout=2)


def test_html_listing_resolves_relative_links_and_hash_fragments() -> None:
    text = '<a href="/files/a-1.0.tar.gz#sha256=ab">a</a><a href="b-1.0-py3-none-any.whl">b</a><a>x</a>'
    files = parse_html_listing(text, "https://example.org/simple/a/")
    assert [(f.filename, f.sha256) for f in files] == [
        ("a-1.0.tar.gz", "ab"),
        ("b-1.0-py3-none-any.whl", None),
    ]


@pytest.mark.parametrize(
    ("example", "package", "expected"),
    [
        ("fastapi-uv", "pydantic-core", "pydantic_core-2.46.5-cp311-cp311-musllinux_1_1_aarch64.whl"),
        ("django-poetry", "django", "Django-5.1.4-py3-none-any.whl"),
        ("pdm-app", "click", "click-8.5.0.tar.gz"),
    ],
)
def test_examples_locks_give_their_file_names(example: str, package: str, expected: str) -> None:
    facts = detect_project(EXAMPLES / example)
    locked = {p.name: p for p in facts.dependencies.locked}
    assert expected in locked[package].files
    files = available_files(facts.dependencies.locked, use_index=False)
    assert expected in files[(package, locked[package].version)]


def test_requirements_and_pipfile_locks_list_no_files() -> None:
    for example in ("numpy-pandas-job", "pipenv-app"):
        facts = detect_project(EXAMPLES / example)
        assert facts.dependencies.locked
        assert all(p.files == () for p in facts.dependencies.locked)


# ------------------------------------------------------------------- listings kept while fresh (listing_cache)


def test_a_fresh_listing_is_read_from_disk_the_next_time(index: Index) -> None:
    """A second process (the in-process cache is not involved: fetch_project has none) reads the kept
    page: the same files, no second request."""
    index.cache_control = "max-age=600, public"
    psycopg2 = LockedPackage("psycopg2", "2.9.10")
    first = available_files([psycopg2], index_url=index.url)
    second = available_files([psycopg2], index_url=index.url)
    assert first == second and first[("psycopg2", "2.9.10")]
    assert [path for path, _ in index.requests] == ["/simple/psycopg2/"]


def _counted_reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names whose pages fetch_project reads from now on, this process's listings forgotten (as
    in a new process)."""
    from dockwright.plan import wheels

    read: list[str] = []
    real = wheels.fetch_project

    def counted(index_url: str, name: str, *, timeout: float = 0) -> tuple[wheels.IndexFile, ...]:
        read.append(name)
        return real(index_url, name, timeout=timeout)

    monkeypatch.setattr(wheels, "fetch_project", counted)
    wheels._listing.cache_clear()
    return read


def test_the_served_answer_is_kept_with_the_pages_it_read(
    index: Index, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The served check's answer comes back without reading the pages again while each kept page is
    the same file and fresh; a page stored again (another entry) asks them again."""
    from dockwright.plan import listing_cache, wheels

    index.cache_control = "max-age=600, public"
    pins = [("numpy", "2.1.3"), ("psycopg2", "2.9.10")]
    assert wheels.lists_every_pin(index.url, pins)
    assert not wheels.lists_every_pin(index.url, [("numpy", "9.9.9")])
    read = _counted_reads(monkeypatch)
    assert wheels.lists_every_pin(index.url, list(reversed(pins)))
    assert not wheels.lists_every_pin(index.url, [("numpy", "9.9.9")])
    assert read == []
    folder = listing_cache.cache_folder()
    url = wheels.project_url(index.url, "numpy")
    rows = listing_cache.load(folder, url)
    assert rows is not None
    listing_cache.store(folder, url, rows, 600)  # the page kept again: a new entry
    assert wheels.lists_every_pin(index.url, pins)
    assert read == ["numpy", "psycopg2"]


def test_the_pins_files_are_kept_with_the_pages_they_were_read_from(
    index: Index, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The Python chooser's lookup (each pin's files and Requires-Python) comes back without reading
    the pages again, for the same pins and hashes; other hashes, or a page stored again, read them."""
    from dockwright.plan import listing_cache, wheels

    index.cache_control = "max-age=600, public"
    pins = (LockedPackage("numpy", "2.1.3"), LockedPackage("psycopg2", "2.9.10"))
    lookup = wheels.pin_index(index.url)
    first = lookup(pins, None)
    assert first[("psycopg2", "2.9.10")].files
    read = _counted_reads(monkeypatch)
    assert lookup(tuple(reversed(pins)), None) == first
    assert read == []
    rehashed = (LockedPackage("numpy", "2.1.3", hashes=("sha256:" + "0" * 64,)), pins[1])
    assert ("numpy", "2.1.3") not in lookup(rehashed, None)  # no listed file has that hash
    assert read == ["numpy", "psycopg2"]
    wheels._listing.cache_clear()
    folder = listing_cache.cache_folder()
    url = wheels.project_url(index.url, "psycopg2")
    rows = listing_cache.load(folder, url)
    assert rows is not None
    listing_cache.store(folder, url, rows, 600)  # the page kept again: a new entry
    assert lookup(pins, None) == first
    assert read == ["numpy", "psycopg2", "numpy", "psycopg2"]


def test_an_answer_is_kept_only_while_the_pages_are_those_this_process_read(
    index: Index, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A page stored again by another process after this one read it: the answer made from what
    this process read is not kept under the new page. Kept answers are trimmed to MAX_ANSWERS, and
    session 31's .served files go."""
    from dockwright.plan import listing_cache, wheels

    index.cache_control = "max-age=600, public"
    pins = (LockedPackage("numpy", "2.1.3"), LockedPackage("psycopg2", "2.9.10"))
    lookup = wheels.pin_index(index.url)
    wheels._listing.cache_clear()
    assert wheels.lists_every_pin(index.url, [("numpy", "2.1.3")])  # numpy's page read and kept
    folder = listing_cache.cache_folder()
    assert folder is not None
    url = wheels.project_url(index.url, "numpy")
    rows = listing_cache.load(folder, url)
    assert rows is not None
    listing_cache.store(folder, url, rows, 600)  # another process stores it again
    kept = set(Path(folder).glob("*.answer"))
    lookup(pins, None)  # numpy from this process's read, psycopg2 read now
    assert set(Path(folder).glob("*.answer")) == kept  # not kept: numpy's page is another entry
    (Path(folder) / "old.served").write_text("{}")
    monkeypatch.setattr(listing_cache, "MAX_ANSWERS", 1)
    wheels._listing.cache_clear()
    lookup(pins, None)  # both pages read again: kept, the rest trimmed
    assert len(list(Path(folder).glob("*.answer"))) == 1
    assert not (Path(folder) / "old.served").exists()


@pytest.mark.parametrize("header", ["max-age=0, must-revalidate, public", "no-store", "no-cache"])
def test_a_listing_the_index_says_not_to_reuse_is_read_again(index: Index, header: str) -> None:
    index.cache_control = header
    for _ in range(2):
        available_files([LockedPackage("psycopg2", "2.9.10")], index_url=index.url)
    assert len(index.requests) == 2


def test_without_a_cache_control_header_a_listing_is_kept(index: Index) -> None:
    for _ in range(2):
        available_files([LockedPackage("psycopg2", "2.9.10")], index_url=index.url)
    assert len(index.requests) == 1


def test_a_listing_read_with_credentials_is_never_written(
    index: Index, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "kept"
    monkeypatch.setenv("DOCKWRIGHT_INDEX_CACHE", str(folder))
    secret_url = index.url.replace("http://", "http://user:s3cret@")
    for _ in range(2):
        available_files([LockedPackage("psycopg2", "2.9.10")], index_url=secret_url)
    assert len(index.requests) == 2
    assert not folder.exists() or not any(folder.iterdir())


def test_the_listing_cache_can_be_turned_off(index: Index, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DOCKWRIGHT_INDEX_CACHE", "off")
    for _ in range(2):
        available_files([LockedPackage("psycopg2", "2.9.10")], index_url=index.url)
    assert len(index.requests) == 2


def test_an_expired_or_damaged_entry_is_a_miss(tmp_path: Path) -> None:
    from dockwright.plan.listing_cache import load, store

    url = "https://example.org/simple/x/"
    rows = [("x-1.0.tar.gz", "ab" * 32, ">=3.8"), ("x-1.0-py3-none-any.whl", None, None)]
    store(str(tmp_path), url, rows, 600, now=1000.0)
    assert load(str(tmp_path), url, now=1599.0) == rows
    assert load(str(tmp_path), url, now=1600.0) is None
    assert load(str(tmp_path), "https://example.org/simple/y/", now=1000.0) is None
    for entry in tmp_path.iterdir():
        entry.write_text("{not json")
    assert load(str(tmp_path), url, now=1000.0) is None
    (entry,) = tmp_path.iterdir()
    header = json.dumps({"url": url, "expires": 2000.0})
    entry.write_text(header + "\nx-1.0.tar.gz\tonly two fields\n")
    assert load(str(tmp_path), url, now=1000.0) is None


def test_a_name_that_would_break_a_row_keeps_the_page_out(tmp_path: Path) -> None:
    """A hostile index's file name with a tab or line break cannot forge a kept row: nothing is kept."""
    from dockwright.plan.listing_cache import load, store

    url = "https://example.org/simple/x/"
    for name in ("x-1.0.tar.gz\nevil-9.9.tar.gz\t\t", "x\t-1.0.tar.gz", "x-1.0.tar.gz\r"):
        store(str(tmp_path), url, [(name, None, None)], 600)
        assert load(str(tmp_path), url) is None and list(tmp_path.iterdir()) == []


def test_a_listing_is_read_back_as_the_index_listed_it(tmp_path: Path) -> None:
    """Kept and read back: the same files as the page parsed (JSON and HTML pages alike)."""
    from dockwright.plan.listing_cache import load, store
    from dockwright.plan.wheels import IndexFile, parse_html_listing, parse_json_listing

    json_page = json.dumps(
        {
            "files": [
                {
                    "filename": "a-1.0-py3-none-any.whl",
                    "hashes": {"sha256": "cd" * 32},
                    "requires-python": ">=3.9",
                },
                {"filename": "a-1.0.tar.gz", "hashes": {}, "requires-python": ""},
            ]
        }
    ).encode()
    html_page = '<a href="../../f/a-2.0.tar.gz#sha256=%s" data-requires-python="&gt;=3.10">a</a>' % (
        "ef" * 32
    )
    for listing in (
        parse_json_listing(json_page),
        parse_html_listing(html_page, "https://i.example/simple/a/"),
    ):
        url = f"https://i.example/simple/a/{len(listing)}"
        store(str(tmp_path), url, ((f.filename, f.sha256, f.requires_python) for f in listing), 600)
        kept = load(str(tmp_path), url)
        assert kept is not None and tuple(IndexFile(*row) for row in kept) == listing


@pytest.mark.parametrize(
    ("header", "seconds"),
    [
        (None, 600.0),
        ("max-age=600, public", 600.0),
        ("public, s-maxage=120", 120.0),
        ("max-age=86400", 3600.0),
        ("max-age=0, must-revalidate", 0.0),
        ("private, max-age=600", 0.0),
        ("no-cache", 0.0),
        ("public", 0.0),
    ],
)
def test_how_long_a_listing_is_kept(header: str | None, seconds: float) -> None:
    from dockwright.plan.listing_cache import max_age

    assert max_age(header) == seconds


def _age_kept_listings(spent: float, left: float) -> None:
    """Every kept listing as if stored ``spent`` seconds ago, expiring in ``left``."""
    import os
    import time

    now = time.time()
    for entry in Path(os.environ["DOCKWRIGHT_INDEX_CACHE"]).glob("*.rows"):
        header, _, rows = entry.read_text().partition("\n")
        data = json.loads(header)
        data.update(stored=now - spent, expires=now + left)
        entry.write_text(json.dumps(data) + "\n" + rows)


def test_a_kept_plan_reads_a_listing_past_half_its_life_again(
    index: Index, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A plan recorded for keeping (dockwright/kept_plan.py) lives as long as its listings: one past
    half its life is read again while recording (never otherwise), and its kept copy serves when the
    index cannot be read."""
    import os
    import urllib.error

    from dockwright import readset
    from dockwright.plan import wheels

    index.cache_control = "max-age=600"
    psycopg2 = [LockedPackage("psycopg2", "2.9.10")]
    first = available_files(psycopg2, index_url=index.url)
    _age_kept_listings(spent=400, left=200)
    available_files(psycopg2, index_url=index.url)  # not recording: the kept page serves
    assert len(index.requests) == 1
    recorder = readset.start(os.urandom(32), "/nonexistent")
    try:
        assert available_files(psycopg2, index_url=index.url) == first
        assert len(index.requests) == 2
        assert recorder.until > readset.time.time() + 500 and recorder.refused == []
        _age_kept_listings(spent=400, left=200)

        def unreachable(*_args: object) -> object:
            raise urllib.error.URLError("down")

        monkeypatch.setattr(wheels, "_open", unreachable)
        assert available_files(psycopg2, index_url=index.url) == first
    finally:
        readset.stop(recorder)
    assert recorder.refused  # a plan made while the index failed is not kept
