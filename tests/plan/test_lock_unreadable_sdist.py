"""A dependency published only as an sdist in an archive uv no longer reads (.tar.bz2, .tar.xz, .tar:
uv 0.12 dropped them, PEP 625 wants .tar.gz) stops the lock with one line naming it, the package that
requires it and the way out (a wheel of it in a ``--find-links`` folder, which uv resolves instead).
A legacy name of a readable archive (``Legacy.Case-1.0.tar.gz``) is no refusal. Packages of our own."""

from __future__ import annotations

import io
import tarfile
from collections.abc import Callable
from pathlib import Path

import pytest

from dockwright.errors import LockError
from dockwright.lock.compile import CompileOptions, compile_lock, failure_of, unreadable_sdist


def _sdist(directory: Path, filename: str, name: str, mode: str) -> Path:
    """A tiny setup.py sdist named ``filename``, compressed as ``mode`` says (``w:bz2``, ``w:xz``, ``w``)."""
    stem = filename.split(".tar")[0]
    files = {
        f"{stem}/setup.py": f"from setuptools import setup\nsetup(name={name!r}, version='1.0')\n",
        f"{stem}/PKG-INFO": f"Metadata-Version: 1.1\nName: {name}\nVersion: 1.0\n",
    }
    path = directory / filename
    with tarfile.open(path, mode) as archive:  # type: ignore[call-overload]
        for arcname, text in files.items():
            data = text.encode()
            info = tarfile.TarInfo(arcname)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return path


@pytest.mark.parametrize(("suffix", "mode"), [(".tar.bz2", "w:bz2"), (".tar.xz", "w:xz"), (".tar", "w")])
def test_a_dependency_only_in_an_unreadable_sdist_is_named_with_the_fix(
    tmp_path: Path, make_wheel: Callable[..., Path], suffix: str, mode: str
) -> None:
    links = tmp_path / "links"
    links.mkdir()
    _sdist(links, f"oldtrans-1.0{suffix}", "oldtrans", mode)
    make_wheel(links, "imdbish", "2.0", ("oldtrans>=1.0",))
    (tmp_path / "requirements.txt").write_text("imdbish\n")
    options = CompileOptions(find_links=(str(links),), no_index=True)
    with pytest.raises(LockError) as error:
        compile_lock(tmp_path, "requirements.txt", "3.12.1", options)
    message = error.value.message
    assert "\n" not in message
    assert message.startswith("oldtrans 1.0 (required by imdbish) is published only as")
    assert "`pip wheel --no-deps oldtrans==1.0 -w wheels`" in message
    assert "`--find-links ./wheels`" in message and "pin a release of imdbish" in message
    assert "non-PEP 625" in error.value.detail  # uv's own words kept for --verbose readers
    assert failure_of(message).kind == "other"  # never taken for a conflict of ranges


def test_its_wheel_beside_it_resolves(tmp_path: Path, make_wheel: Callable[..., Path]) -> None:
    """The fix the line gives: a wheel of the same release in a find-links folder."""
    links = tmp_path / "links"
    links.mkdir()
    _sdist(links, "oldtrans-1.0.tar.bz2", "oldtrans", "w:bz2")
    make_wheel(links, "imdbish", "2.0", ("oldtrans>=1.0",))
    wheels = tmp_path / "wheels"
    wheels.mkdir()
    make_wheel(wheels, "oldtrans", "1.0")
    (tmp_path / "requirements.txt").write_text("imdbish\n")
    options = CompileOptions(find_links=(str(links), str(wheels)), no_index=True)
    body = compile_lock(tmp_path, "requirements.txt", "3.12.1", options)
    assert "oldtrans==1.0" in body and "imdbish==2.0" in body


def test_a_direct_requirement_names_no_parent() -> None:
    stderr = (
        "error: No solution found when resolving dependencies\n  cause: Because oldtrans==1.0 has a "
        "non-PEP 625-compliant source distribution filename and only oldtrans==1.0 is available, we can "
        "conclude that all versions of oldtrans cannot be used.\n         And because you require oldtrans, "
        "we can conclude that your requirements are unsatisfiable.\n"
    )
    line = unreadable_sdist(stderr)
    assert line is not None and line.startswith("oldtrans 1.0 is published only as")
    assert "pin a release" not in line


def test_the_requirer_is_read_from_a_later_cause_line() -> None:
    """uv names the requirer on the next line when the versions are ranges (seen on PyPI)."""
    stderr = (
        "error: No solution found when resolving dependencies\n  cause: Because oldtrans==2.1.0 has a "
        "non-PEP 625-compliant source distribution filename and only oldtrans<=2.1.0 is available, we can "
        "conclude that oldtrans>=2.1.0 cannot be used.\n         And because imdbish>=5.7.1 depends on "
        "oldtrans>=2.1.0 and app depends on imdbish>=5.7.1, we can conclude that your requirements are "
        "unsatisfiable.\n"
    )
    line = unreadable_sdist(stderr)
    assert line is not None and line.startswith("oldtrans 2.1.0 (required by imdbish) is published")
    assert "pin a release of imdbish that does not require it" in line


def test_other_failures_are_not_taken_for_it() -> None:
    stderr = (
        "error: No solution found\n  cause: Because you require alpha<1 and alpha>=1, we can conclude ..."
    )
    assert unreadable_sdist(stderr) is None
