"""Fixtures of the audit tests (the tarball builders live in audit_images.py)."""

from __future__ import annotations

import pytest
from audit_images import Img, app_layer, base_layer


@pytest.fixture
def clean_image() -> Img:
    return Img([base_layer(), app_layer()])
