"""An environment read whose key or default is given by keyword is read as the positional form is
(detectors/scan.py ``parse_source``): a refused read is required, a real default is a default."""

from __future__ import annotations

import pytest

from dockwright.project.detectors.scan import scan_module


@pytest.mark.parametrize(
    "read",
    [
        'os.environ.get("SIGNING_KEY", default=None)',
        'os.getenv("SIGNING_KEY", default="")',
        'os.getenv(key="SIGNING_KEY")',
        'os.environ.get(key="SIGNING_KEY", default=None)',
    ],
)
def test_a_keyword_read_the_app_refuses_empty_is_required(read: str) -> None:
    text = f'import os\n\nkey = {read}\nif not key:\n    raise ValueError("SIGNING_KEY is not set")\n'
    scan = scan_module("app.py", text)
    assert scan is not None
    assert [name for name, _, _ in scan.env_refused] == ["SIGNING_KEY"]


def test_a_keyword_default_with_a_value_is_no_requirement() -> None:
    text = 'import os\n\nkey = os.getenv("SIGNING_KEY", default="dev")\nif not key:\n    raise ValueError\n'
    scan = scan_module("app.py", text)
    assert scan is not None and scan.env_refused == []


def test_a_read_spelling_its_key_twice_is_left_as_written() -> None:
    text = 'import os\n\nkey = os.getenv("A", key="B")\n'
    scan = scan_module("app.py", text)
    assert scan is not None and scan.env_refused == []
