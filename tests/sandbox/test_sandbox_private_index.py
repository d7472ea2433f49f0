"""The private index's wheels are byte-for-byte the ones examples/private-index locks (CI rebuilds them)."""

from __future__ import annotations

import hashlib
import re
import zipfile
from pathlib import Path

from sandbox.privateindex import PACKAGES, write_wheel

REPO = Path(__file__).resolve().parents[2]


def test_wheels_match_the_hashes_the_example_locks(tmp_path: Path) -> None:
    lock = (REPO / "examples" / "private-index" / "uv.lock").read_text()
    for package in PACKAGES:
        wheel = write_wheel(package, tmp_path)
        digest = hashlib.sha256(wheel.read_bytes()).hexdigest()
        assert re.search(rf"{re.escape(wheel.name)}\", hash = \"sha256:{digest}\"", lock), wheel.name
        with zipfile.ZipFile(wheel) as archive:
            assert archive.testzip() is None
            assert f"{package.name}/__init__.py" in archive.namelist()
