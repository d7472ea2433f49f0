"""Which sdist-only pins of a resolution build without a compiler: pure-Python source distributions.

A pin with an sdist and no wheel for the target (lock/wheel_check.py) brought ``build-essential`` into
the builder whatever the sdist held, though most such sdists are plain Python (a setup.py or a
pyproject.toml that declares no extension). At ``init`` (the network is in use anyway) each such sdist is
fetched from the URL uv's pylock.toml gives, checked against its sha256, and read without being run:

- a source file of a compiled language (``.c``, ``.cpp``, ``.pyx``, ``.rs``, ``.f90``, ``.cu`` ...) or a
  native build file (``Cargo.toml``, ``CMakeLists.txt``, ``meson.build``) anywhere in it;
- in its build configuration (``setup.py``, ``setup.cfg``, ``pyproject.toml`` at the top): extension
  modules (``ext_modules``, ``Extension(``, ``cffi_modules``, ``build_ext``, ``cythonize``) or a
  backend or plugin that compiles (setuptools-rust, maturin, scikit-build, meson-python, pybind11, CMake).

An sdist with none of these is pure: it is left out of the lock header's ``# dockwright-no-wheel:``
line (so no compiler is planned for it, and the Python chooser does not count it) and named on
``# dockwright-pure-sdist:`` instead. An sdist that cannot be fetched, is larger than the cap, does not
match its hash, or cannot be read is taken as compiling, as before.
"""

from __future__ import annotations

import hashlib
import io
import re
import tarfile
import zipfile
from collections.abc import Callable

from packaging.utils import canonicalize_name

from dockwright.toml_reader import tomllib

PURE_LINE = re.compile(r"^# dockwright-pure-sdist: (?P<pins>.+?)\s*$", re.M)
MAX_BYTES = 32 * 1024 * 1024  # larger sdists are taken as compiling, unread
_COMPILED_SUFFIXES = (
    ".c", ".cc", ".cpp", ".cxx", ".c++", ".m", ".mm", ".pyx", ".rs", ".f", ".f90", ".f95", ".for",
    ".cu", ".go", ".zig",
)  # fmt: skip
_NATIVE_BUILD_FILES = {"cargo.toml", "cmakelists.txt", "meson.build", "configure.ac", "makefile.am"}
_CONFIG_FILES = {"setup.py", "setup.cfg", "pyproject.toml"}
_COMPILES = re.compile(
    r"ext_modules|\bExtension\s*\(|cffi_modules|build_ext|cythonize|\bCython\b|setuptools[-_]rust|"
    r"RustExtension|maturin|scikit[-_]build|mesonpy|meson[-_]python|pybind11|\bcmake\b|numpy\.distutils|"
    r"\bf2py\b",
    re.IGNORECASE,
)

Fetch = Callable[[str], bytes]


def _fetch(url: str) -> bytes:
    """The file at ``url`` (https, http or file), at most MAX_BYTES + 1 bytes."""
    if not url.startswith(("https://", "http://", "file://")):
        raise OSError(f"not a URL dockwright fetches: {url[:40]}")
    import urllib.request  # http.client, ssl: only when an sdist is fetched

    with urllib.request.urlopen(url, timeout=60) as response:  # the scheme is checked above
        data: bytes = response.read(MAX_BYTES + 1)
        return data


def _members(data: bytes, filename: str) -> tuple[list[str], dict[str, str]]:
    """Every member name of the archive, and the text of its top-level build configuration files."""
    names: list[str] = []
    config: dict[str, str] = {}
    if filename.endswith(".zip"):
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            for name in archive.namelist():
                names.append(name)
                if name.count("/") == 1 and name.rsplit("/", 1)[-1].lower() in _CONFIG_FILES:
                    config[name] = archive.read(name).decode("utf-8", "replace")
        return names, config
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:*") as tar:
        for member in tar:
            names.append(member.name)
            base = member.name.rsplit("/", 1)[-1].lower()
            if member.isfile() and member.name.count("/") == 1 and base in _CONFIG_FILES:
                handle = tar.extractfile(member)
                config[member.name] = handle.read().decode("utf-8", "replace") if handle else ""
    return names, config


def is_pure(data: bytes, filename: str) -> bool:
    """Whether the sdist ``data`` (named ``filename``) builds without a compiler (module doc's rules)."""
    try:
        names, config = _members(data, filename)
    except (OSError, EOFError, tarfile.TarError, zipfile.BadZipFile):
        return False
    for name in names:
        base = name.rsplit("/", 1)[-1].lower()
        if base.endswith(_COMPILED_SUFFIXES) or base in _NATIVE_BUILD_FILES:
            return False
    return bool(names) and not any(_COMPILES.search(text) for text in config.values())


def pure_pins(pylock: str, no_wheel: tuple[str, ...], fetch: Fetch | None = None) -> tuple[str, ...]:
    """Those of ``no_wheel`` (``name==version``) whose sdist in ``pylock`` is pure Python."""
    if not no_wheel:
        return ()
    try:
        data = tomllib.loads(pylock)
    except tomllib.TOMLDecodeError:
        return ()
    wanted = set(no_wheel)
    found: list[tuple[str, str, str, str]] = []
    for package in data.get("packages") or []:
        if not isinstance(package, dict) or not isinstance(package.get("sdist"), dict):
            continue
        pin = f"{canonicalize_name(str(package.get('name')))}=={package.get('version')}"
        sdist = package["sdist"]
        url, hashes = sdist.get("url"), sdist.get("hashes") or {}
        expected = hashes.get("sha256") if isinstance(hashes, dict) else None
        if pin not in wanted or not isinstance(url, str) or not isinstance(expected, str):
            continue
        found.append((pin, url, expected, str(sdist.get("name") or url.rsplit("/", 1)[-1].split("#", 1)[0])))
    return _pure_of(found, fetch or _fetch)


def uv_lock_pure(uv_lock: str, pinned: dict[str, str], fetch: Fetch | None = None) -> tuple[str, ...]:
    """The pins (``pinned``: canonical name -> version, what the converted lock installs) whose
    ``uv.lock`` entry has an sdist and no wheel at all, when that sdist is pure Python (``sdist = { url,
    hash = "sha256:..." }`` as uv records it: the same fetch, hash check and reading as above)."""
    try:
        data = tomllib.loads(uv_lock)
    except tomllib.TOMLDecodeError:
        return ()
    found: list[tuple[str, str, str, str]] = []
    for package in data.get("package") or []:
        if (
            not isinstance(package, dict)
            or package.get("wheels")
            or not isinstance(package.get("sdist"), dict)
        ):
            continue
        name, version = canonicalize_name(str(package.get("name"))), str(package.get("version"))
        url, digest = package["sdist"].get("url"), package["sdist"].get("hash")
        if pinned.get(name) != version or not isinstance(url, str) or not isinstance(digest, str):
            continue
        if digest.startswith("sha256:"):
            found.append((f"{name}=={version}", url, digest.removeprefix("sha256:"), url.rsplit("/", 1)[-1]))
    return _pure_of(found, fetch or _fetch)


def _pure_of(found: list[tuple[str, str, str, str]], fetch: Fetch) -> tuple[str, ...]:
    """Of (pin, url, sha256, file name), the pins whose fetched sdist matches its hash and is pure."""
    out: list[str] = []
    for pin, url, expected, filename in found:
        try:
            content = fetch(url)
        except OSError:
            continue  # unknown: compiles, as before
        if len(content) > MAX_BYTES or hashlib.sha256(content).hexdigest() != expected:
            continue
        if is_pure(content, filename.split("#", 1)[0]):
            out.append(pin)
    return tuple(sorted(out))


def read_pure(text: str) -> frozenset[tuple[str, str]]:
    """(canonical name, version) of the pins a generated lock's header names pure sdists."""
    match = PURE_LINE.search(text)
    if match is None:
        return frozenset()
    pins = (pin.partition("==") for pin in match["pins"].split())
    return frozenset((canonicalize_name(name), version) for name, _, version in pins if name and version)


def header_line(pins: tuple[str, ...]) -> str:
    return f"# dockwright-pure-sdist: {' '.join(pins)}\n" if pins else ""
