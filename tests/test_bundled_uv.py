"""One locator for the uv dockwright depends on: the lock layer and the project layer run the same uv."""

from __future__ import annotations

import re
import sys
import types
from pathlib import Path

import pytest

from dockwright.bundled_uv import find_uv

SRC = Path(__file__).resolve().parents[1] / "src" / "dockwright"


def _script(path: Path, body: str) -> Path:
    path.write_text(f"#!/bin/sh\n{body}\n")
    path.chmod(0o755)
    return path


def test_the_wheel_binary_comes_first(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import uv

    _script(tmp_path / "uv", "exit 0")
    monkeypatch.setenv("PATH", str(tmp_path))  # a uv on PATH does not win over the bundled one
    assert find_uv() == str(uv.find_uv_bin())


def test_path_only_when_the_wheel_is_missing(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setitem(sys.modules, "uv", None)  # `import uv` fails
    fake = _script(tmp_path / "uv", "exit 0")
    monkeypatch.setenv("PATH", str(tmp_path))
    assert find_uv() == str(fake)
    monkeypatch.setenv("PATH", "/nonexistent")
    assert find_uv() is None


def test_the_syntax_floor_asks_the_bundled_uv(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """``uv python find`` runs with the uv dockwright depends on, not with whichever uv PATH has."""
    from dockwright.project import syntax

    calls = tmp_path / "calls"
    bundled = _script(tmp_path / "bundled-uv", f'echo "$@" >> {calls}\necho /opt/py312/bin/python3.12')
    monkeypatch.setitem(sys.modules, "uv", types.SimpleNamespace(find_uv_bin=lambda: str(bundled)))
    on_path = tmp_path / "bin"
    on_path.mkdir()
    _script(on_path / "uv", "echo /wrong/python3.12")
    monkeypatch.setenv("PATH", str(on_path))
    monkeypatch.setenv("PYENV_ROOT", str(tmp_path / "no-pyenv"))
    assert syntax._interpreters("3.12") == ["/opt/py312/bin/python3.12"]
    assert calls.read_text().split() == ["python", "find", "--no-python-downloads", "--no-config", "3.12"]


def test_no_other_module_looks_uv_up() -> None:
    """Every part that runs uv takes it from :mod:`dockwright.bundled_uv`."""
    lookup = re.compile(r"""which\(\s*["']uv["']|find_uv_bin""")
    found = [
        str(path.relative_to(SRC))
        for path in SRC.rglob("*.py")
        if path.name != "bundled_uv.py" and lookup.search(path.read_text(encoding="utf-8"))
    ]
    assert found == []
