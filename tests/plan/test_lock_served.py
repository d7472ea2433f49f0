"""A pin the index no longer serves is found at init/plan (lock/available.py): uv asked for the pins
alone (``--no-deps``) under the configured index; one line naming the pin. Examples of our own, on the
fixture index (alpha 1.0/1.1, beta 2.0, gamma 0.1 as find-links)."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from dockwright.errors import LockError
from dockwright.initialize import checked_plan, init_project
from dockwright.lock.available import unserved
from dockwright.lock.compile import CompileOptions
from fake_compile import FakeResolver

HASH = "a" * 64
CLI = {"start": "python app.py", "index_lookup": True}


def _lock(*pins: str) -> str:
    return "".join(f"{pin} \\\n    --hash=sha256:{HASH}\n" for pin in pins)


@pytest.fixture(autouse=True)
def _lookup_on(monkeypatch: pytest.MonkeyPatch) -> None:
    """The suite turns the index lookup off (tests/conftest.py); these tests ask their own index."""
    from dockwright import initialize

    monkeypatch.setattr(
        initialize, "index_lookup", lambda options: (lambda *_: {}) if options.index_lookup else None
    )


@pytest.fixture
def index(wheel_index: Path) -> CompileOptions:
    return CompileOptions(find_links=(str(wheel_index),), no_index=True)


def test_every_pin_served(tmp_path: Path, index: CompileOptions) -> None:
    assert unserved(tmp_path, _lock("alpha==1.0", "beta==2.0"), "3.12.1", index) is None


def test_a_version_the_index_no_longer_serves_is_named_with_its_line(
    tmp_path: Path, index: CompileOptions
) -> None:
    found = unserved(tmp_path, "# header\n" + _lock("beta==2.0", "alpha==0.9"), "3.12.1", index)
    assert found is not None and (found.name, found.version, found.line, found.whole) == (
        "alpha",
        "0.9",
        4,
        False,
    )


def test_a_project_the_index_does_not_have(tmp_path: Path, index: CompileOptions) -> None:
    found = unserved(tmp_path, _lock("alpha==1.0", "delta==1.0"), "3.12.1", index)
    assert found is not None and (found.name, found.whole) == ("delta", True)


def test_a_pin_whose_marker_is_false_on_the_target_is_not_asked(
    tmp_path: Path, index: CompileOptions
) -> None:
    text = _lock("alpha==1.0") + f'delta==1.0 ; sys_platform == "win32" \\\n    --hash=sha256:{HASH}\n'
    assert unserved(tmp_path, text, "3.12.1", index) is None


def test_an_unreachable_index_says_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("UV_HTTP_RETRIES", "0")
    options = CompileOptions(index_url="http://127.0.0.1:9/simple")
    assert unserved(tmp_path, _lock("alpha==1.0"), "3.12.1", options) is None


def _app(root: Path, requirements: str) -> Path:
    (root / "requirements.txt").write_text(requirements)
    (root / "app.py").write_text("import alpha\n")
    return root


def test_init_refuses_the_projects_own_hash_locked_file(tmp_path: Path, index: CompileOptions) -> None:
    root = _app(tmp_path, _lock("alpha==1.0", "beta==0.5"))
    with pytest.raises(LockError) as refused:
        init_project(root, CLI, env={}, compile_options=index)
    assert str(refused.value) == (
        f"requirements.txt:3 pins beta==0.5, and the index (find-links {index.find_links[0]}) no longer serves "
        "beta 0.5: the image build would stop installing it; move the pin to a version the index has (edit the "
        "requirement that pins it), then run init again"
    )
    assert not (root / "Dockerfile").exists()  # nothing written


def test_a_lock_resolved_now_is_not_asked_a_kept_one_is(
    tmp_path: Path, index: CompileOptions, fake_resolver: FakeResolver
) -> None:
    root = _app(tmp_path, "alpha==0.9\n")  # the (fake) resolver pins it; the index has no 0.9
    init_project(root, CLI, env={}, compile_options=index)
    assert "alpha==0.9" in (root / "requirements.lock").read_text()
    with pytest.raises(
        LockError, match=r"^requirements\.lock:\d+ \(from requirements\.txt\) pins alpha==0\.9, "
    ):
        init_project(root, CLI, env={}, compile_options=index)  # kept: asked
    with pytest.raises(LockError, match=r"no longer serves alpha 0\.9"):
        checked_plan(root, CLI, env={}, compile_options=index)
    assert checked_plan(root, {**CLI, "index_lookup": False}, env={}, compile_options=index).lock.path


def test_a_converted_manager_lock_is_asked_at_plan(tmp_path: Path, index: CompileOptions) -> None:
    """A Pipfile.lock pinning a release the index lost: plan (offline conversion, then uv) names it."""
    (tmp_path / "Pipfile").write_text('[packages]\nalpha = "*"\n')
    default = {"alpha": {"hashes": [f"sha256:{HASH}"], "version": "==0.8"}}
    meta = {"hash": {"sha256": "x"}, "pipfile-spec": 6, "requires": {}, "sources": []}
    (tmp_path / "Pipfile.lock").write_text(
        json.dumps({"_meta": meta, "default": default, "develop": {}}, indent=4)
    )
    (tmp_path / "app.py").write_text("import alpha\n")
    with pytest.raises(LockError) as refused:
        checked_plan(tmp_path, CLI, env={}, compile_options=index)
    assert str(refused.value).startswith("Pipfile.lock:11 pins alpha==0.8, and the index")
    assert "(`pipenv update alpha`)" in str(refused.value)


def test_a_project_with_another_index_is_not_asked(tmp_path: Path, index: CompileOptions) -> None:
    """An extra index may serve what the first one does not (a +cpu build): no verdict."""
    root = _app(
        tmp_path, "--extra-index-url https://example.invalid/simple\n" + _lock("alpha==1.0", "beta==0.5")
    )
    plan = checked_plan(root, CLI, env={}, compile_options=index)
    assert plan.lock.method == "existing"


def test_the_suites_lookup_switch_turns_it_off(tmp_path: Path, index: CompileOptions) -> None:
    root = _app(tmp_path, _lock("alpha==1.0", "beta==0.5"))
    assert checked_plan(root, {**CLI, "index_lookup": False}, env={}, compile_options=index).lock.path


# ---------------------------------------------------- the index's listings answer first (no uv when all listed)


class _Listings:
    """plan.wheels.fetch_project answered from a dict (name -> file names) under a URL of the test's own
    (the process keeps what it read per URL), with the URLs asked; uv's compile_lock recorded."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, url: str, files: dict[str, tuple[str, ...]]) -> None:
        from dockwright.errors import PlanError
        from dockwright.lock import available
        from dockwright.plan import wheels

        self.url = url
        self.asked: list[str] = []
        self.uv_runs = 0

        def fetch(index_url: str, name: str, *, timeout: float = 0) -> tuple[wheels.IndexFile, ...]:
            self.asked.append(index_url)
            if index_url.endswith("/broken/simple"):
                raise PlanError("cannot read package index")
            if name not in files:
                raise wheels.NotOnIndexError("no such project")
            return tuple(wheels.IndexFile(f, None) for f in files[name])

        def uv(*args: object, **kwargs: object) -> str:
            self.uv_runs += 1
            return ""

        monkeypatch.setattr(wheels, "fetch_project", fetch)
        monkeypatch.setattr(available, "compile_lock", uv)
        for name in ("UV_INDEX", "UV_EXTRA_INDEX_URL", "UV_FIND_LINKS", "UV_NO_INDEX"):
            monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv("UV_DEFAULT_INDEX", raising=False)
        monkeypatch.delenv("UV_INDEX_URL", raising=False)


FILES = {"alpha": ("alpha-1.0-py3-none-any.whl", "alpha-1.1.tar.gz"), "beta": ("beta-2.0.tar.gz",)}


def _url(tmp_path: Path, name: str = "simple") -> str:
    return f"https://{tmp_path.name.replace('_', '-')}.invalid/{name}"


def test_every_pin_listed_needs_no_uv(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    listings = _Listings(monkeypatch, _url(tmp_path), FILES)
    options = CompileOptions(index_url=listings.url)
    assert unserved(tmp_path, _lock("alpha==1.0", "beta==2.0.0"), "3.12.1", options) is None
    assert listings.uv_runs == 0 and set(listings.asked) == {listings.url}


@pytest.mark.parametrize("pins", [("alpha==0.9",), ("delta==1.0",)], ids=["version", "project"])
def test_a_pin_not_listed_is_uvs_to_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, pins: tuple[str, ...]
) -> None:
    listings = _Listings(monkeypatch, _url(tmp_path), FILES)
    unserved(tmp_path, _lock("beta==2.0", *pins), "3.12.1", CompileOptions(index_url=listings.url))
    assert listings.uv_runs == 1


def test_an_unreadable_listing_is_uvs_to_answer(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    listings = _Listings(monkeypatch, _url(tmp_path, "broken/simple"), FILES)
    unserved(tmp_path, _lock("alpha==1.0"), "3.12.1", CompileOptions(index_url=listings.url))
    assert listings.uv_runs == 1 and len(listings.asked) == 1
    unserved(tmp_path, _lock("alpha==1.0"), "3.12.1", CompileOptions(index_url=listings.url))
    assert listings.uv_runs == 2 and len(listings.asked) == 1  # a failed index is not asked again


@pytest.mark.parametrize("variable", ["UV_INDEX", "UV_EXTRA_INDEX_URL", "UV_FIND_LINKS", "UV_NO_INDEX"])
def test_when_uv_looks_elsewhere_too_uv_is_asked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, variable: str
) -> None:
    listings = _Listings(monkeypatch, _url(tmp_path), FILES)
    monkeypatch.setenv(variable, "https://other.invalid/simple")
    unserved(tmp_path, _lock("alpha==1.0"), "3.12.1", CompileOptions(index_url=listings.url))
    assert listings.uv_runs == 1 and listings.asked == []


def test_the_index_listed_is_the_one_uv_asks() -> None:
    from dockwright.lock.available import listed_index
    from dockwright.project.facts import Evidence, PackageIndex

    own = PackageIndex("https://own.invalid/simple", "default", (Evidence("requirements.txt", 1),))
    assert listed_index(CompileOptions(), {}) == "https://pypi.org/simple"
    assert listed_index(CompileOptions(), {"UV_DEFAULT_INDEX": "https://env.invalid/simple"}) == (
        "https://env.invalid/simple"
    )
    assert listed_index(CompileOptions(indexes=(own,)), {"UV_INDEX_URL": "https://env.invalid/s"}) == own.url
    given = CompileOptions(index_url="https://given.invalid/simple", indexes=(own,))
    assert listed_index(given, {}) == "https://given.invalid/simple"
    for asks_uv in (
        CompileOptions(index_url="https://user:pw@private.invalid/simple"),
        CompileOptions(index_url="https://${USER}:${TOKEN}@private.invalid/simple"),
        CompileOptions(indexes=(dataclasses.replace(own, needs_credentials=True),)),
        CompileOptions(indexes=(own, dataclasses.replace(own, role="extra"))),
        CompileOptions(find_links=("wheels",)),
        CompileOptions(no_index=True),
    ):
        assert listed_index(asks_uv, {}) is None, asks_uv
    two = {"UV_DEFAULT_INDEX": "https://a.invalid/simple", "UV_INDEX_URL": "https://b.invalid/simple"}
    assert listed_index(CompileOptions(), two) is None


def test_a_named_index_is_listed_while_its_credential_variables_are_unset() -> None:
    """uv's ``UV_INDEX_<NAME>_USERNAME/_PASSWORD`` (the plan's templates for a named index) are sent only
    when set: unset, uv reads the page as anyone does, so its listing answers; set, only uv can tell."""
    from dockwright.lock.available import listed_index
    from dockwright.project.facts import Evidence, PackageIndex

    named = PackageIndex(
        "https://mirror.invalid/simple",
        "default",
        (Evidence("pyproject.toml", 3),),
        name="mirror",
        login="${UV_INDEX_MIRROR_USERNAME}",
        password="${UV_INDEX_MIRROR_PASSWORD}",
    )
    options = CompileOptions(indexes=(named,))
    assert listed_index(options, {}) == named.url
    assert listed_index(options, {"UV_INDEX_MIRROR_USERNAME": ""}) == named.url  # empty: not sent
    assert listed_index(options, {"UV_INDEX_MIRROR_PASSWORD": "token"}) is None
    assert listed_index(options, {"UV_INDEX_MIRROR_USERNAME": "me"}) is None
    written = dataclasses.replace(named, login="me", password="")
    assert listed_index(CompileOptions(indexes=(written,)), {}) is None


def test_a_version_spelled_otherwise_is_the_same_release(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``alpha==1.0.0`` is the release of ``alpha-1.0-py3-none-any.whl`` (PEP 440 equality, as uv reads it)."""
    listings = _Listings(monkeypatch, _url(tmp_path), FILES)
    assert unserved(tmp_path, _lock("alpha==1.0.0"), "3.12.1", CompileOptions(index_url=listings.url)) is None
    assert listings.uv_runs == 0
