"""Fixtures for planner/lock/init tests: hand-built facts and a tiny local wheel index."""

from __future__ import annotations

import base64
import hashlib
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from dockwright.lock.compile import CompileOptions

sys.path.insert(0, str(Path(__file__).resolve().parent))


def build_wheel(
    directory: Path,
    name: str,
    version: str,
    requires: tuple[str, ...] = (),
    extra: dict[str, str] | None = None,
) -> Path:
    """A minimal, valid pure-Python wheel (deterministic bytes: fixed timestamps); ``extra``: more files
    by archive name (a module, ``<dist>.dist-info/entry_points.txt``)."""
    dist = f"{name.replace('-', '_')}-{version}"
    path = directory / f"{dist}-py3-none-any.whl"
    files = {
        **(extra or {}),
        f"{name.replace('-', '_')}/__init__.py": f"__version__ = {version!r}\n",
        f"{dist}.dist-info/METADATA": "Metadata-Version: 2.1\n"
        f"Name: {name}\nVersion: {version}\n" + "".join(f"Requires-Dist: {r}\n" for r in requires),
        f"{dist}.dist-info/WHEEL": "Wheel-Version: 1.0\nGenerator: test\n"
        "Root-Is-Purelib: true\nTag: py3-none-any\n",
    }
    record_lines = []
    for arcname, text in files.items():
        digest = base64.urlsafe_b64encode(hashlib.sha256(text.encode()).digest()).rstrip(b"=").decode()
        record_lines.append(f"{arcname},sha256={digest},{len(text.encode())}")
    record_lines.append(f"{dist}.dist-info/RECORD,,")
    files[f"{dist}.dist-info/RECORD"] = "\n".join(record_lines) + "\n"
    with zipfile.ZipFile(path, "w") as archive:
        for arcname, text in files.items():
            info = zipfile.ZipInfo(arcname, date_time=(2020, 1, 1, 0, 0, 0))
            archive.writestr(info, text)
    return path


@pytest.fixture(scope="session")
def make_wheel() -> Callable[..., Path]:
    """:func:`build_wheel` for tests (a test module cannot import it: several conftest modules exist)."""
    return build_wheel


@pytest.fixture(scope="session")
def wheel_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A find-links directory: alpha 1.0/1.1 (needs beta), beta 2.0, gamma 0.1 (Windows-only dep)."""
    directory = tmp_path_factory.mktemp("wheels")
    build_wheel(directory, "alpha", "1.0", ("beta>=2",))
    build_wheel(directory, "alpha", "1.1", ("beta>=2", "gamma; sys_platform == 'win32'"))
    build_wheel(directory, "beta", "2.0")
    build_wheel(directory, "gamma", "0.1")
    return directory


@pytest.fixture
def offline_compile(wheel_index: Path, monkeypatch: pytest.MonkeyPatch) -> CompileOptions:
    """Compile options that resolve against :func:`wheel_index` alone (no index, no constraint file)."""
    monkeypatch.delenv("PIP_CONSTRAINT", raising=False)
    return CompileOptions(find_links=(str(wheel_index),), no_index=True)
