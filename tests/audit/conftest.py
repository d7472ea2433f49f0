"""Fixtures of the audit tests (the tarball builders live in audit_images.py)."""

from __future__ import annotations

import pytest
from audit_images import Img, app_layer, base_layer


@pytest.fixture(autouse=True)
def audits_read_the_save(monkeypatch: pytest.MonkeyPatch) -> None:
    """The audit tests read images from a save (or a fake engine's archive), as every engine but a
    root-run Docker gives them; test_audit_store_folders.py turns the engine's layer folders on."""
    monkeypatch.setenv("DOCKWRIGHT_AUDIT_FOLDERS", "off")


@pytest.fixture
def clean_image() -> Img:
    return Img([base_layer(), app_layer()])
