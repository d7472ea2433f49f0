"""Shared test configuration. Per-area fixtures live in each tests/<area>/conftest.py."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = REPO / "examples"


@pytest.fixture(autouse=True)
def _own_audit_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test audits with an empty layer cache of its own (never the user's): test archives reuse
    fake image ids, and a test must not depend on what an earlier one read."""
    monkeypatch.setenv("DOCKWRIGHT_AUDIT_CACHE", str(tmp_path_factory.mktemp("audit-cache")))


@pytest.fixture(scope="session")
def examples_dir() -> Path:
    return EXAMPLES
