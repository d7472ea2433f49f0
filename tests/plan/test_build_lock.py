"""The build backend's lock: [build-system].requires resolved with hashes, header naming its source."""

from __future__ import annotations

from pathlib import Path

import pytest

from dockwright.lock import generate
from dockwright.lock.header import read_header, requirements_digest


def test_build_lock_locks_the_declared_requires(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "pyproject.toml").write_text('[build-system]\nrequires = ["hatchling>=1.20"]\n')
    seen: dict[str, str] = {}

    def fake_compile(root: Path, source: str, python: str, options: object) -> str:
        seen["in"] = Path(source).read_text()
        return f"hatchling==1.27.0 \\\n    --hash=sha256:{'0' * 64}\n    # via -r {source}\n"

    monkeypatch.setattr(generate, "compile_lock", fake_compile)
    text = generate.generate_build_lock(tmp_path, ("hatchling>=1.20",), "3.11.15")
    assert seen["in"] == "hatchling>=1.20\n"
    header = read_header(text)
    assert header is not None and header.source == "pyproject.toml"
    # the digest of the requirements it resolved, not of the whole file (tool settings, version ...)
    assert header.kind == "requirements-sha256" and header.sha256 == requirements_digest(("hatchling>=1.20",))
    assert "uv-compile-build" in text and "/tmp" not in text.split("hatchling==")[1]


def test_setup_py_only_projects_name_setup_py(tmp_path: Path) -> None:
    (tmp_path / "setup.py").write_text("from setuptools import setup\nsetup()\n")
    assert generate.build_lock_source(tmp_path) == "setup.py"
