"""The sandbox index's pages say each file's Requires-Python, as PyPI's do, in the form dockwright's
index reader takes (plan/wheels.py)."""

from __future__ import annotations

import io
import tarfile
import zipfile
from pathlib import Path

from dockwright.plan.wheels import parse_html_listing
from sandbox import pypi

METADATA = "Metadata-Version: 2.1\nName: oldpkg\nVersion: 1.0\nRequires-Python: >=3.8, <3.12\n\n"


def _files(folder: Path) -> Path:
    folder.mkdir()
    with zipfile.ZipFile(folder / "oldpkg-1.0-py3-none-any.whl", "w") as wheel:
        wheel.writestr("oldpkg/__init__.py", "")
        wheel.writestr("oldpkg-1.0.dist-info/METADATA", METADATA)
    with tarfile.open(folder / "oldpkg-1.0.tar.gz", "w:gz") as sdist:
        data = METADATA.encode()
        member = tarfile.TarInfo("oldpkg-1.0/PKG-INFO")
        member.size = len(data)
        sdist.addfile(member, io.BytesIO(data))
    with zipfile.ZipFile(folder / "nometa-1.0-py3-none-any.whl", "w") as wheel:
        wheel.writestr("nometa-1.0.dist-info/METADATA", "Metadata-Version: 2.1\nName: nometa\n\n")
    return folder


def test_pages_carry_requires_python(tmp_path: Path) -> None:
    files = _files(tmp_path / "files")
    assert pypi.requires_python(files / "oldpkg-1.0.tar.gz") == ">=3.8, <3.12"
    pypi.write_simple_pages(tmp_path, files)
    page = (tmp_path / "simple" / "oldpkg" / "index.html").read_text()
    listed = parse_html_listing(page, "http://127.0.0.1:3141/simple/oldpkg/")
    assert {(f.filename, f.requires_python) for f in listed} == {
        ("oldpkg-1.0-py3-none-any.whl", ">=3.8, <3.12"),
        ("oldpkg-1.0.tar.gz", ">=3.8, <3.12"),
    }
    [nometa] = parse_html_listing((tmp_path / "simple" / "nometa" / "index.html").read_text())
    assert nometa.requires_python is None
    assert (tmp_path / "simple" / ".format").read_text() == pypi.PAGES_FORMAT
