"""Does a lock's file list hold a wheel the target interpreter can install?

The target is CPython X.Y on Debian x86_64 with glibc 2.36 (bookworm's, the oldest suite the base images
use; trixie has 2.41, so a wheel accepted here installs on both): the tags accepted are
``cpXY``/``abi3``/``none`` ABIs on ``manylinux_2_{5..36}_x86_64`` (with the legacy
``manylinux1/2010/2014`` aliases) plus pure ``py3-none-any`` wheels, computed with
:mod:`packaging.tags` and matched with :func:`packaging.utils.parse_wheel_filename`.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from urllib.parse import unquote

from packaging.tags import Tag, compatible_tags, cpython_tags
from packaging.utils import InvalidWheelFilename, parse_wheel_filename

GLIBC_MINOR = 36  # Debian 12 "bookworm" ships glibc 2.36, the oldest of data/debian.toml
ARCH = "x86_64"
_LEGACY = {17: "manylinux2014", 12: "manylinux2010", 5: "manylinux1"}


def manylinux_platforms(arch: str = ARCH, glibc_minor: int = GLIBC_MINOR) -> list[str]:
    """Platform tags a bookworm ``arch`` host accepts, most specific first."""
    platforms: list[str] = []
    for minor in range(glibc_minor, 4, -1):
        platforms.append(f"manylinux_2_{minor}_{arch}")
        if minor in _LEGACY:
            platforms.append(f"{_LEGACY[minor]}_{arch}")
    return platforms


@lru_cache(maxsize=16)
def target_tags(python: str, arch: str = ARCH) -> frozenset[Tag]:
    """Every wheel tag CPython ``python`` (``"3.11"`` or ``"3.11.9"``) accepts on bookworm ``arch``."""
    major, minor = (int(p) for p in python.split(".")[:2])
    platforms = manylinux_platforms(arch)
    tags = set(cpython_tags((major, minor), platforms=platforms))
    tags.update(compatible_tags((major, minor), interpreter=f"cp{major}{minor}", platforms=platforms))
    return frozenset(tags)


def _file_name(path: str) -> str:
    """A wheel's file name from its path or URL, ``%2B`` (a local version's ``+`` in a URL) decoded."""
    return unquote(path.rsplit("/", 1)[-1])


def wheel_for_target(filenames: Iterable[str], python: str, arch: str = ARCH) -> bool | None:
    """True when a file of ``filenames`` is a wheel for the target; False when none is; None for no files."""
    names = [f for f in filenames if f]
    if not names:
        return None
    accepted = target_tags(python, arch)
    for name in names:
        if not name.endswith(".whl"):
            continue
        try:
            _, _, _, tags = parse_wheel_filename(_file_name(name))
        except InvalidWheelFilename:
            continue
        if tags & accepted:
            return True
    return False


def linux_binary_wheel(filename: str) -> bool:
    """A wheel built for Linux (``manylinux``/``musllinux``/``linux_*`` platform tags): Windows- or
    macOS-only wheels (psycopg2 publishes only ``win_amd64`` ones) leave a Linux image to compile the
    sdist on every Python, so they say nothing about which minor fits."""
    if not filename.endswith(".whl"):
        return False
    try:
        _, _, _, tags = parse_wheel_filename(_file_name(filename))
    except InvalidWheelFilename:
        return False
    return any("linux" in tag.platform for tag in tags)
