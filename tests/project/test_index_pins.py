"""The Python is chosen with the lock's pins in view: the lock's wheel list, the index's files and
Requires-Python for pins that list none (requirements files), and a warning when the project states a
Python a pin does not fit."""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from dockwright.errors import PlanError
from dockwright.initialize import plan_project
from dockwright.plan.planner import make_plan
from dockwright.plan.wheels import parse_html_listing, parse_json_listing, pin_index
from dockwright.project.detect import detect_project
from dockwright.project.facts import LockedPackage
from dockwright.project.index_pins import PinFiles, PinIndex
from dockwright.project.python_version import release_table

MakeProject = Callable[[dict[str, str | bytes]], Path]
TABLE = release_table()
MANYLINUX = "manylinux_2_17_x86_64.manylinux2014_x86_64"
APP = "import speedups\n\nprint(speedups)\n"


def _wheel(name: str, version: str, minor: str) -> str:
    tag = "cp" + minor.replace(".", "")
    return f"{name}-{version}-{tag}-{tag}-{MANYLINUX}.whl"


def _uv_lock(minors: tuple[str, ...]) -> str:
    wheels = "\n".join(
        f'    {{ url = "https://files.example/{_wheel("speedups", "3.0.3", m)}", hash = "sha256:{i:064x}" }},'
        for i, m in enumerate(minors, 1)
    )
    return f"""version = 1
requires-python = ">=3.8"

[[package]]
name = "app"
version = "0.1.0"
source = {{ virtual = "." }}
dependencies = [{{ name = "speedups" }}]

[[package]]
name = "speedups"
version = "3.0.3"
source = {{ registry = "https://pypi.org/simple" }}
sdist = {{ url = "https://files.example/speedups-3.0.3.tar.gz", hash = "sha256:{0:064x}" }}
wheels = [
{wheels}
]
"""


PYPROJECT = """[project]
name = "app"
version = "0.1.0"
requires-python = ">=3.8"
dependencies = ["speedups==3.0.3"]
"""


def _python_decision(root: Path, **cli: object) -> tuple[str, str, tuple[str, ...]]:
    plan = plan_project(root, {"start": "python app.py", **cli}, env={})
    decision = plan.decision("python")
    assert decision is not None
    return decision.choice, decision.reason, plan.warnings


def test_uv_lock_wheels_that_stop_at_cp311_choose_311(make_project: MakeProject) -> None:
    root = make_project(
        {"pyproject.toml": PYPROJECT, "uv.lock": _uv_lock(("3.8", "3.9", "3.10", "3.11")), "app.py": APP}
    )
    choice, reason, warnings = _python_decision(root, index_lookup=False)
    assert choice == TABLE.latest["3.11"]
    assert f"the default {TABLE.default} has no wheels for speedups 3.0.3 (uv.lock)" in reason
    assert "the newest minor that" in reason
    assert not [w for w in warnings if "speedups" in w]


def test_stated_python_a_pin_does_not_fit_is_kept_with_a_warning(make_project: MakeProject) -> None:
    lock = _uv_lock(("3.9", "3.10", "3.11"))
    root = make_project(
        {"pyproject.toml": PYPROJECT, "uv.lock": lock, "app.py": APP, ".python-version": "3.13\n"}
    )
    choice, reason, warnings = _python_decision(root, index_lookup=False)
    assert choice == TABLE.latest["3.13"]
    assert reason.startswith(".python-version:1")
    line = lock.splitlines().index('name = "speedups"') + 1
    [warning] = [w for w in warnings if "speedups" in w]
    assert warning.startswith(f"speedups 3.0.3 (uv.lock:{line}) does not fit Python 3.13")
    assert "(.python-version:1 asks for '3.13', kept)" in warning
    assert "it has no wheel for 3.13" in warning and "it has wheels for Python 3.9-3.11" in warning


# ------------------------------------------------------------------------------- pins without a file list


def _fake_index(listing: dict[tuple[str, str], PinFiles], asked: list[str | None]) -> PinIndex:
    def lookup(packages: tuple[LockedPackage, ...], own_index: str | None) -> dict[tuple[str, str], PinFiles]:
        asked.append(own_index)
        return {
            key: value for key, value in listing.items() if key in {(p.name, p.version) for p in packages}
        }

    return lookup


def test_requirements_pin_whose_index_requires_python_ends_below_312(make_project: MakeProject) -> None:
    root = make_project({"requirements.txt": "oldpkg==1.0\nflask==3.1.0\n", "app.py": "print(1)\n"})
    listing = {
        ("oldpkg", "1.0"): PinFiles(("oldpkg-1.0-py3-none-any.whl", "oldpkg-1.0.tar.gz"), ">=3.8,<3.12"),
        ("flask", "3.1.0"): PinFiles(("flask-3.1.0-py3-none-any.whl",), ">=3.9"),
    }
    asked: list[str | None] = []
    facts = detect_project(root, start="python app.py", index_lookup=_fake_index(listing, asked))
    assert facts.python.version.value == TABLE.latest["3.11"]
    detail = facts.python.version.evidence[0].detail
    assert "oldpkg 1.0 requires Python >=3.8,<3.12 (requirements.txt)" in detail
    assert asked and asked[0] is None  # no index of the project's own: the default one is asked
    oldpkg = next(p for p in facts.dependencies.locked if p.name == "oldpkg")
    assert oldpkg.requires_python == ">=3.8,<3.12" and oldpkg.has_wheel_for_target is True


def test_requirements_pin_whose_index_wheels_stop_at_cp312(make_project: MakeProject) -> None:
    root = make_project({"requirements.txt": "speedups==3.0.3\n", "app.py": APP})
    files = (*(_wheel("speedups", "3.0.3", m) for m in ("3.10", "3.11", "3.12")), "speedups-3.0.3.tar.gz")
    listing = {("speedups", "3.0.3"): PinFiles(files, ">=3.7")}
    facts = detect_project(root, start="python app.py", index_lookup=_fake_index(listing, []))
    assert facts.python.version.value == TABLE.latest["3.12"]
    assert "has no wheels for speedups 3.0.3 (requirements.txt)" in facts.python.version.evidence[0].detail


def test_pipfile_lock_pins_are_asked_too(make_project: MakeProject) -> None:
    lock = '{"_meta": {}, "default": {"speedups": {"version": "==3.0.3", "hashes": []}}, "develop": {}}'
    root = make_project(
        {"Pipfile": "[packages]\nspeedups = '==3.0.3'\n", "Pipfile.lock": lock, "app.py": APP}
    )
    files = (_wheel("speedups", "3.0.3", "3.11"), "speedups-3.0.3.tar.gz")
    listing = {("speedups", "3.0.3"): PinFiles(files, ">=3.7")}
    facts = detect_project(root, start="python app.py", index_lookup=_fake_index(listing, []))
    assert facts.python.version.value == TABLE.latest["3.11"]
    assert "(Pipfile.lock)" in facts.python.version.evidence[0].detail


def test_index_that_cannot_be_read_is_one_note(make_project: MakeProject) -> None:
    root = make_project({"requirements.txt": "speedups==3.0.3\n", "app.py": APP})

    def offline(_packages: tuple[LockedPackage, ...], _own: str | None) -> dict[tuple[str, str], PinFiles]:
        raise PlanError("cannot read package index https://pypi.org/simple for 'speedups': no network")

    facts = detect_project(root, start="python app.py", index_lookup=offline)
    assert facts.python.version.value == TABLE.latest[TABLE.default]
    assert any(n.startswith("the Python was chosen without the index's file lists") for n in facts.notes)


def test_stated_python_conflicts_with_an_index_pin(make_project: MakeProject) -> None:
    root = make_project(
        {
            "requirements.txt": "flask==3.1.0\noldpkg==1.0\n",
            "runtime.txt": "python-3.13\n",
            "app.py": "print(1)\n",
        }
    )
    listing = {("oldpkg", "1.0"): PinFiles(("oldpkg-1.0.tar.gz",), ">=3.9,<3.12")}
    facts = detect_project(root, start="python app.py", index_lookup=_fake_index(listing, []))
    assert facts.python.version.value == TABLE.latest["3.13"]
    [warning] = [n for n in facts.notes if n.startswith("oldpkg")]
    assert warning.startswith("oldpkg 1.0 (requirements.txt:2) does not fit Python 3.13 (runtime.txt:1 asks")
    assert "its Requires-Python is >=3.9,<3.12; its Requires-Python allows Python 3.9-3.11" in warning
    # only an sdist: whether it compiles is the native table's call, as without the index
    assert next(p for p in facts.dependencies.locked if p.name == "oldpkg").has_wheel_for_target is None


def test_binary_pin_without_a_wheel_for_the_stated_python_compiles(make_project: MakeProject) -> None:
    root = make_project(
        {"requirements.txt": "speedups==3.0.3\n", "runtime.txt": "python-3.13\n", "app.py": APP}
    )
    files = (_wheel("speedups", "3.0.3", "3.12"), "speedups-3.0.3.tar.gz")
    listing = {("speedups", "3.0.3"): PinFiles(files, ">=3.7")}
    facts = detect_project(root, start="python app.py", index_lookup=_fake_index(listing, []))
    assert facts.dependencies.locked[0].has_wheel_for_target is False
    compiler = [a for a in make_plan(facts).builder_apt if a.name == "build-essential"]
    assert compiler and "speedups" in compiler[0].why


# ------------------------------------------------------------------------------- the index itself


def test_listings_carry_requires_python() -> None:
    html = (
        '<a href="../../f/oldpkg-1.0.tar.gz#sha256=ab" data-requires-python="&gt;=3.8,&lt;3.12">x</a>'
        '<a href="../../f/oldpkg-0.9.tar.gz#sha256=cd">y</a>'
    )
    first, second = parse_html_listing(html, "http://127.0.0.1/simple/oldpkg/")
    assert (first.filename, first.sha256, first.requires_python) == ("oldpkg-1.0.tar.gz", "ab", ">=3.8,<3.12")
    assert second.requires_python is None
    body = b'{"files": [{"filename": "oldpkg-1.0.tar.gz", "hashes": {}, "requires-python": ">=3.8,<3.12"}]}'
    assert parse_json_listing(body)[0].requires_python == ">=3.8,<3.12"


@pytest.fixture
def local_index() -> Iterator[tuple[str, list[str]]]:
    """A PEP 503 index on loopback: ``oldpkg`` 1.0 (Requires-Python <3.12) and 2.0, nothing else."""
    sdist = b"oldpkg 1.0 sdist"
    digest = hashlib.sha256(sdist).hexdigest()
    page = (
        "<html><body>"
        f'<a href="/files/oldpkg-1.0.tar.gz#sha256={digest}" data-requires-python="&gt;=3.8,&lt;3.12">1</a>'
        '<a href="/files/oldpkg-2.0.tar.gz#sha256=00" data-requires-python="&gt;=3.12">2</a>'
        "</body></html>"
    ).encode()
    seen: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            seen.append(self.path)
            if self.path == "/simple/oldpkg/":
                self.send_response(200)
                self.send_header("Content-Type", "text/html")
                self.send_header("Content-Length", str(len(page)))
                self.end_headers()
                self.wfile.write(page)
            else:
                self.send_error(404)

        def log_message(self, *_args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/simple/", seen
    finally:
        server.shutdown()
        server.server_close()


def test_plan_asks_the_index_for_hash_pins(
    make_project: MakeProject, local_index: tuple[str, list[str]]
) -> None:
    url, seen = local_index
    digest = hashlib.sha256(b"oldpkg 1.0 sdist").hexdigest()
    root = make_project(
        {
            "requirements.txt": f"oldpkg==1.0 --hash=sha256:{digest}\nunknown-here==1.0 --hash=sha256:{'1' * 64}\n",
            "app.py": "print(1)\n",
        }
    )
    facts = detect_project(root, start="python app.py", index_lookup=pin_index(url))
    decision = make_plan(facts).decision("python")
    assert decision is not None and decision.choice == TABLE.latest["3.11"]
    assert "oldpkg 1.0 requires Python >=3.8,<3.12 (requirements.txt)" in decision.reason
    assert "/simple/unknown-here/" in seen  # asked, not listed there (HTTP 404): left unknown
    lookup = pin_index(url)
    found = lookup((LockedPackage("oldpkg", "1.0", hashes=(f"sha256:{digest}",)),), None)
    assert found == {("oldpkg", "1.0"): PinFiles(("oldpkg-1.0.tar.gz",), ">=3.8,<3.12")}


def test_an_index_that_fails_is_asked_once() -> None:
    seen: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            seen.append(self.path)
            self.send_error(503)

        def log_message(self, *_args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        lookup = pin_index(f"http://127.0.0.1:{server.server_address[1]}/simple/")
        pins = (LockedPackage("oldpkg", "1.0"),)
        with pytest.raises(PlanError, match="HTTP 503"):
            lookup(pins, None)
        with pytest.raises(PlanError, match="HTTP 503"):
            lookup((*pins, LockedPackage("other", "2.0")), None)
        assert seen == ["/simple/oldpkg/"]
    finally:
        server.shutdown()
        server.server_close()


def test_a_pin_with_only_windows_wheels_fits_every_python(make_project: MakeProject) -> None:
    # psycopg2 publishes win_amd64 wheels and an sdist: a Linux image compiles it on any minor, so the
    # stated Python is no worse than another and there is nothing to warn about
    root = make_project(
        {"requirements.txt": "winpg==2.9.11\n", "runtime.txt": "python-3.11\n", "app.py": "import winpg\n"}
    )
    files = ("winpg-2.9.11-cp311-cp311-win_amd64.whl", "winpg-2.9.11.tar.gz")
    listing = {("winpg", "2.9.11"): PinFiles(files, ">=3.9")}
    facts = detect_project(root, start="python app.py", index_lookup=_fake_index(listing, []))
    assert facts.python.version.value == TABLE.latest["3.11"]
    assert not [n for n in facts.notes if n.startswith("winpg")]


def test_a_pin_locked_twice_for_two_sources_is_warned_once(make_project: MakeProject) -> None:
    # uv.lock keeps one entry per source of a version (the registry's, a direct wheel URL for some
    # markers): both stop on the stated Python for the same reason, and the warning says it once
    lock = _uv_lock(("3.9", "3.10", "3.11"))
    second = lock[lock.index('[[package]]\nname = "speedups"') :].replace(
        'source = { registry = "https://pypi.org/simple" }',
        'source = { url = "https://files.example/speedups-3.0.3-cp311-cp311-linux_x86_64.whl" }',
    )
    root = make_project(
        {
            "pyproject.toml": PYPROJECT,
            "uv.lock": lock + "\n" + second,
            "app.py": APP,
            ".python-version": "3.13\n",
        }
    )
    _, _, warnings = _python_decision(root, index_lookup=False)
    assert len([w for w in warnings if w.startswith("speedups 3.0.3")]) == 1
