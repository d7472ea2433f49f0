"""The rootless leg's pieces that need no user account: when it is left out, its storage choices, and
that the stand-ins it imports are the example's own base images."""

from __future__ import annotations

import pytest
from sandbox.config import settings

from sandbox import images, rootless


def test_left_out_on_request(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DOCKWRIGHT_SANDBOX_ROOTLESS", "0")
    assert rootless.wanted() == "DOCKWRIGHT_SANDBOX_ROOTLESS=0"


def test_storage_drivers_tried_fastest_first() -> None:
    assert list(rootless.STORAGE) == ["overlay", "fuse-overlayfs", "vfs"]
    fuse = rootless._storage("fuse-overlayfs")
    assert 'driver = "overlay"' in fuse and "mount_program = " in fuse and "{fuse}" not in fuse
    assert "default_ulimits = []" in rootless.CONTAINERS_CONF


def test_the_leg_imports_the_examples_base_images() -> None:
    bases = rootless.bases()
    recipes = images.recipes_for(bases, settings())
    assert {tag for recipe in recipes for tag, _ in recipe.tags} == bases
