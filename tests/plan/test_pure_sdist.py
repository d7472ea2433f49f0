"""A pin with only an sdist for the target brings no compiler when the sdist is pure Python
(lock/pure_sdist.py): its files and build configuration are read, never run. Sdists of our own."""

from __future__ import annotations

import hashlib
import io
import tarfile
import zipfile
from pathlib import Path

import pytest

from dockwright.lock import pure_sdist
from dockwright.lock.wheel_check import read_no_wheel

SETUP_PURE = (
    "from setuptools import setup\nsetup(name='plainpdf', version='0.5.1', py_modules=['plainpdf'])\n"
)
SETUP_EXT = (
    "from setuptools import Extension, setup\n"
    "setup(name='fastthing', version='1.0', ext_modules=[Extension('fastthing', ['fastthing.c'])])\n"
)


def _tar(files: dict[str, str], top: str = "pkg-1.0") -> bytes:
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w:gz") as archive:
        for name, text in files.items():
            data = text.encode()
            info = tarfile.TarInfo(f"{top}/{name}")
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return out.getvalue()


@pytest.mark.parametrize(
    ("files", "pure"),
    [
        ({"setup.py": SETUP_PURE, "plainpdf.py": "X = 1\n", "PKG-INFO": "Name: plainpdf\n"}, True),
        ({"pyproject.toml": '[build-system]\nrequires = ["hatchling"]\n', "src/p/__init__.py": ""}, True),
        ({"setup.py": SETUP_EXT, "fastthing.py": ""}, False),  # ext_modules, the C file elsewhere
        ({"setup.py": SETUP_PURE, "src/speed.c": "int x;\n"}, False),
        ({"setup.py": SETUP_PURE, "src/speed.pyx": "cdef int x\n"}, False),
        ({"pyproject.toml": '[build-system]\nrequires = ["maturin>=1"]\n', "src/lib.txt": ""}, False),
        ({"pyproject.toml": '[build-system]\nbuild-backend = "scikit_build_core.build"\n'}, False),
        ({"setup.py": "setup(cffi_modules=['build.py:ffi'])\n"}, False),
        ({"setup.py": SETUP_PURE, "rust/Cargo.toml": "[package]\n"}, False),
        ({"setup.py": SETUP_PURE, "CMakeLists.txt": "project(x)\n"}, False),
    ],
)
def test_what_compiles_and_what_does_not(files: dict[str, str], pure: bool) -> None:
    assert pure_sdist.is_pure(_tar(files), "pkg-1.0.tar.gz") is pure


def test_a_zip_sdist_is_read_too() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("pkg-1.0/setup.py", SETUP_PURE)
    assert pure_sdist.is_pure(out.getvalue(), "pkg-1.0.zip")
    assert not pure_sdist.is_pure(b"not an archive", "pkg-1.0.tar.gz")


def _pylock(entries: dict[str, bytes]) -> str:
    text = 'lock-version = "1.0"\ncreated-by = "uv"\n'
    for pin, data in entries.items():
        name, version = pin.split("==")
        text += (
            f'\n[[packages]]\nname = "{name}"\nversion = "{version}"\n'
            f'sdist = {{ name = "{name}-{version}.tar.gz", url = "https://files.example/{name}-{version}.tar.gz", '
            f'hashes = {{ sha256 = "{hashlib.sha256(data).hexdigest()}" }} }}\n'
        )
    return text


def test_only_pure_pins_that_match_their_hash_are_named() -> None:
    pure, compiled = _tar({"setup.py": SETUP_PURE}), _tar({"setup.py": SETUP_EXT})
    files = {"plainpdf==0.5.1": pure, "fastthing==1.0": compiled, "tampered==1.0": pure}
    pylock = _pylock(files)
    served = {**files, "tampered==1.0": pure + b"x"}  # the file served is not the one locked

    def fetch(url: str) -> bytes:
        stem = url.rsplit("/", 1)[-1].removesuffix(".tar.gz")
        name, version = stem.rsplit("-", 1)
        return served[f"{name}=={version}"]

    found = pure_sdist.pure_pins(pylock, tuple(sorted(files)), fetch)
    assert found == ("plainpdf==0.5.1",)


def test_an_unreachable_sdist_is_taken_as_compiling() -> None:
    pylock = _pylock({"plainpdf==0.5.1": _tar({"setup.py": SETUP_PURE})})

    def fetch(url: str) -> bytes:
        raise OSError("unreachable")

    assert pure_sdist.pure_pins(pylock, ("plainpdf==0.5.1",), fetch) == ()


def test_the_header_keeps_the_pure_pin_out_of_no_wheel() -> None:
    """The lock's header lines: a pure sdist is never read back as a pin that must compile."""
    text = pure_sdist.header_line(("plainpdf==0.5.1",)) + "plainpdf==0.5.1 --hash=sha256:00\n"
    assert read_no_wheel(text) == frozenset()
    assert pure_sdist.PURE_LINE.search(text) is not None


def test_a_file_url_is_fetched(tmp_path: Path) -> None:
    data = _tar({"setup.py": SETUP_PURE})
    (tmp_path / "plainpdf-0.5.1.tar.gz").write_bytes(data)
    text = _pylock({"plainpdf==0.5.1": data}).replace("https://files.example/", (tmp_path.as_uri() + "/"))
    assert pure_sdist.pure_pins(text, ("plainpdf==0.5.1",)) == ("plainpdf==0.5.1",)


def test_a_generated_lock_names_a_pure_sdist_and_no_compiler(tmp_path: Path) -> None:
    """End to end with the real resolver: our own sdist (PKG-INFO 2.2, read without a build) in a
    find-links folder; the lock's header names it pure, and no pin as building from source."""
    from dockwright.lock import generate
    from dockwright.lock.compile import CompileOptions
    from dockwright.plan.model import LockPlan

    links = tmp_path / "links"
    links.mkdir()
    pkg_info = "Metadata-Version: 2.2\nName: plainpdf\nVersion: 0.5.1\n"
    data = _tar({"setup.py": SETUP_PURE, "plainpdf.py": "X = 1\n", "PKG-INFO": pkg_info}, "plainpdf-0.5.1")
    (links / "plainpdf-0.5.1.tar.gz").write_bytes(data)
    (tmp_path / "requirements.txt").write_text("plainpdf==0.5.1\n")
    lock = LockPlan("requirements.lock", True, "requirements.txt", "uv-compile", False)
    options = CompileOptions(find_links=(str(links),), no_index=True)
    text = generate.generate_lock(tmp_path, lock, "3.12.1", options)
    assert "# dockwright-pure-sdist: plainpdf==0.5.1\n" in text
    assert read_no_wheel(text) == frozenset()


def _uv_project(tmp_path: Path, data: bytes, url: str) -> None:
    digest = hashlib.sha256(data).hexdigest()
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "app"\nversion = "1.0"\nrequires-python = ">=3.11"\ndependencies = ["plainpdf"]\n'
    )
    (tmp_path / "uv.lock").write_text(
        'version = 1\nrequires-python = ">=3.11"\n\n'
        '[[package]]\nname = "app"\nversion = "1.0"\nsource = { virtual = "." }\n'
        'dependencies = [{ name = "plainpdf" }]\n\n'
        '[[package]]\nname = "plainpdf"\nversion = "0.5.1"\n'
        'source = { registry = "https://pypi.org/simple" }\n'
        f'sdist = {{ url = "{url}", hash = "sha256:{digest}", size = {len(data)} }}\n'
    )


def test_an_existing_uv_lock_names_its_pure_sdist_only_pins(tmp_path: Path) -> None:
    """uv.lock's sdist-only pin is fetched from the URL uv recorded, checked and read like a resolved one."""
    from dockwright.lock import generate
    from dockwright.plan.model import LockPlan

    data = _tar({"setup.py": SETUP_PURE, "plainpdf.py": "X = 1\n"}, "plainpdf-0.5.1")
    (tmp_path / "plainpdf-0.5.1.tar.gz").write_bytes(data)
    _uv_project(tmp_path, data, (tmp_path / "plainpdf-0.5.1.tar.gz").as_uri())
    lock = LockPlan("requirements.lock", True, "uv.lock", "convert-uv", False)
    text = generate.generate_lock(tmp_path, lock, "3.13.1")
    assert "# dockwright-pure-sdist: plainpdf==0.5.1\n" in text
    assert pure_sdist.read_pure(text) == frozenset({("plainpdf", "0.5.1")})


def test_an_existing_uv_lock_sdist_that_compiles_is_not_named(tmp_path: Path) -> None:
    data = _tar({"setup.py": SETUP_EXT}, "plainpdf-0.5.1")
    (tmp_path / "plainpdf-0.5.1.tar.gz").write_bytes(data)
    _uv_project(tmp_path, data, (tmp_path / "plainpdf-0.5.1.tar.gz").as_uri())
    assert pure_sdist.uv_lock_pure((tmp_path / "uv.lock").read_text(), {"plainpdf": "0.5.1"}) == ()


def test_the_plan_plans_no_compiler_for_a_pure_pin_of_uv_lock(tmp_path: Path) -> None:
    """The plan made with the generated lock: the uv.lock pin with no wheel no longer brings a compiler."""
    from dockwright.initialize import with_final_lock
    from dockwright.plan.common import compile_toolchain
    from dockwright.project.detect import detect_project

    data = _tar({"setup.py": SETUP_PURE, "plainpdf.py": "X = 1\n"}, "plainpdf-0.5.1")
    (tmp_path / "plainpdf-0.5.1.tar.gz").write_bytes(data)
    _uv_project(tmp_path, data, (tmp_path / "plainpdf-0.5.1.tar.gz").as_uri())
    (tmp_path / "main.py").write_text("import plainpdf\nprint(plainpdf.X)\n")
    facts = detect_project(tmp_path, python="3.13")
    assert "plainpdf" in compile_toolchain(facts)[1]  # uv.lock lists no wheel: a compiler, before
    text = pure_sdist.header_line(("plainpdf==0.5.1",)) + "plainpdf==0.5.1 \\\n    --hash=sha256:00\n"
    decided = with_final_lock(facts, "requirements.lock", text)
    assert compile_toolchain(decided)[0] == []
