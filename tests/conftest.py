"""Shared test configuration. Per-area fixtures live in each tests/<area>/conftest.py."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))  # tests/fake_compile.py, for the annotations

from fake_compile import FakeResolver

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = REPO / "examples"


@pytest.fixture(autouse=True)
def _own_audit_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test audits with an empty layer cache of its own (never the user's): test archives reuse
    fake image ids, and a test must not depend on what an earlier one read."""
    monkeypatch.setenv("DOCKWRIGHT_AUDIT_CACHE", str(tmp_path_factory.mktemp("audit-cache")))


@pytest.fixture(autouse=True)
def _own_index_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test reads index listings with an empty listing cache of its own (plan/listing_cache.py):
    test indexes reuse project names and URLs, and the user's cache must be neither read nor written."""
    monkeypatch.setenv("DOCKWRIGHT_INDEX_CACHE", str(tmp_path_factory.mktemp("index-cache")))


@pytest.fixture(autouse=True)
def _no_daemon(monkeypatch: pytest.MonkeyPatch) -> None:
    """Commands run in their own process (dockwright/daemon_client.py): a test's subprocess must
    neither use nor leave a daemon; tests of the daemon turn it on, with a socket folder of their own
    (tests/test_daemon.py)."""
    monkeypatch.setenv("DOCKWRIGHT_DAEMON", "off")


@pytest.fixture(autouse=True)
def _no_kept_plans(monkeypatch: pytest.MonkeyPatch) -> None:
    """Builds plan every time (dockwright/kept_plan.py): a test that patches detection must not get the
    plan an earlier test kept for the same example; tests of the kept plan turn it on, in a folder of
    their own (tests/test_kept_plan.py)."""
    monkeypatch.setenv("DOCKWRIGHT_PLAN_CACHE", "off")


@pytest.fixture(autouse=True)
def _no_sdist_download(monkeypatch: pytest.MonkeyPatch) -> None:
    """The pure-Python sdist check (lock/pure_sdist.py) reads local files only in unit tests: a made-up
    https URL of a fake resolution is never fetched (it is taken as compiling, as when unreachable)."""
    from dockwright.lock import pure_sdist

    real = pure_sdist._fetch

    def local_only(url: str) -> bytes:
        if not url.startswith("file://"):
            raise OSError("unit tests fetch no URL")
        return real(url)

    monkeypatch.setattr(pure_sdist, "_fetch", local_only)


@pytest.fixture(scope="session")
def examples_dir() -> Path:
    return EXAMPLES


@pytest.fixture
def fake_resolver(monkeypatch: pytest.MonkeyPatch) -> FakeResolver:
    """Locks resolve without an index: ``compile_lock`` answered by a :class:`FakeResolver` (each
    requirement line pinned with a made-up hash unless the test sets its ``body``), which records the
    Pythons it was asked for."""
    from dockwright.lock import generate

    resolver = FakeResolver()
    monkeypatch.setattr(generate, "compile_lock", resolver.compile)
    return resolver


def pytest_configure(config: pytest.Config) -> None:
    """Plans never ask a package index for the pins' files (index-lookup, project/index_pins.py):
    goldens and tests must not depend on what PyPI lists today, nor on the network. Set for the whole
    session (collection plans examples too) and for the CLI subprocesses (the variable); tests of the
    lookup hand their own index to ``detect_project`` (tests/project/test_index_pins.py)."""
    import os

    from dockwright import initialize

    os.environ["DOCKWRIGHT_INDEX_LOOKUP"] = "0"
    initialize.index_lookup = lambda _options: None
