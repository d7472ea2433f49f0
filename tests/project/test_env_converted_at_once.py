"""A variable read with no default and converted at once (``int(os.getenv("TOKEN_MINUTES"))``) stops the
app on TypeError when unset: it is required, as ``os.environ["X"]`` is (project/detectors/scan.py)."""

from __future__ import annotations

import pytest

from dockwright.project.apps import scan_module


@pytest.mark.parametrize(
    "line",
    [
        'TOKEN_MINUTES = int(os.getenv("TOKEN_MINUTES"))',
        'RATE = float(os.environ.get("RATE"))',
        'LIMITS = json.loads(os.getenv("LIMITS"))',
        'DATA = Path(os.getenv("DATA"))',
    ],
)
def test_a_value_converted_at_once_is_required(line: str) -> None:
    scan = scan_module("ledger/settings.py", f"import json\nimport os\nfrom pathlib import Path\n{line}\n")
    assert scan is not None
    assert [name for name, _ in scan.env_required] == [line.split('"')[1]]


@pytest.mark.parametrize(
    "line",
    [
        'TOKEN_MINUTES = int(os.getenv("TOKEN_MINUTES", "30"))',  # a default
        'DEBUG = bool(os.getenv("DEBUG"))',  # bool(None) is False
        'NAME = str(os.getenv("NAME"))',  # "None", no error
        'TOKEN_MINUTES = os.getenv("TOKEN_MINUTES")',  # read, not converted
    ],
)
def test_other_reads_are_not(line: str) -> None:
    scan = scan_module("ledger/settings.py", f"import os\n{line}\n")
    assert scan is not None and scan.env_required == []
