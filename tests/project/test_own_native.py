"""The project's own compiled code, read statically with file:line evidence (project/own_native.py)."""

from __future__ import annotations

from pathlib import Path

from dockwright.project.facts import Evidence
from dockwright.project.own_native import detect_own_native
from dockwright.project.tree import ProjectTree


def _detect(root: Path) -> dict[str, object]:
    tree = ProjectTree(root)
    pyproject = tree.read_toml("pyproject.toml") if tree.is_file("pyproject.toml") else None
    return {n.toolchain: n for n in detect_own_native(tree, pyproject)}


def test_setup_py_extension_is_c_with_its_line(tmp_path: Path) -> None:
    (tmp_path / "setup.py").write_text(
        "from setuptools import Extension, setup\n"
        "\n"
        "setup(name='fast', ext_modules=[Extension('fast._speed', ['fast/_speed.c'])])\n"
    )
    need = _detect(tmp_path)["c"]
    assert Evidence("setup.py", 3, "ext_modules=") in need.evidence  # type: ignore[attr-defined]
    assert Evidence("setup.py", 3, "Extension(...)") in need.evidence  # type: ignore[attr-defined]


def test_empty_ext_modules_and_a_pure_setup_compile_nothing(tmp_path: Path) -> None:
    (tmp_path / "setup.py").write_text("from setuptools import setup\nsetup(name='pure', ext_modules=[])\n")
    assert _detect(tmp_path) == {}


def test_cythonize_and_cffi_modules(tmp_path: Path) -> None:
    (tmp_path / "setup.py").write_text(
        "from Cython.Build import cythonize\nfrom setuptools import setup\n"
        "setup(ext_modules=cythonize('a/*.pyx'), cffi_modules=['build_ffi.py:ffi'])\n"
    )
    need = _detect(tmp_path)["c"]
    assert {e.detail for e in need.evidence} >= {"cythonize(...)", "cffi_modules="}  # type: ignore[attr-defined]


def test_maturin_reads_the_crate_minimum(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[build-system]\nrequires = ["maturin>=1.5"]\nbuild-backend = "maturin"\n\n'
        '[tool.maturin]\nmanifest-path = "rust/Cargo.toml"\n'
    )
    (tmp_path / "rust").mkdir()
    (tmp_path / "rust" / "Cargo.toml").write_text(
        '[package]\nname = "x"\nedition = "2021"\nrust-version = "1.88"\n'
    )
    need = _detect(tmp_path)["rust"]
    assert need.via == "maturin"  # type: ignore[attr-defined]
    assert need.evidence[0] == Evidence("pyproject.toml", 3, "maturin")  # type: ignore[attr-defined]
    assert need.rust_minimum == "1.88"  # type: ignore[attr-defined]
    assert need.rust_minimum_evidence == Evidence("rust/Cargo.toml", 4, "rust-version = 1.88")  # type: ignore[attr-defined]


def test_edition_gives_the_minimum_when_no_rust_version(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[build-system]\nrequires = ["setuptools", "setuptools-rust"]\nbuild-backend = "setuptools.build_meta"\n'
    )
    (tmp_path / "Cargo.toml").write_text('[package]\nname = "x"\nedition = "2024"\n')
    need = _detect(tmp_path)["rust"]
    assert need.rust_minimum == "1.85"  # type: ignore[attr-defined]
    assert need.rust_minimum_evidence == Evidence("Cargo.toml", 3, "edition 2024")  # type: ignore[attr-defined]


def test_meson_python_with_cargo_needs_meson_and_rust(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[build-system]\nbuild-backend = "mesonpy"\nrequires = ["meson-python"]\n'
    )
    (tmp_path / "meson.build").write_text("project('x', 'c')\n\ncargo = find_program('cargo')\n")
    needs = _detect(tmp_path)
    assert set(needs) == {"meson", "rust"}
    assert Evidence("meson.build", 3, "cargo") in needs["rust"].evidence  # type: ignore[attr-defined]


def test_scikit_build_core_is_cmake(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[build-system]\nrequires = ["scikit-build-core", "pybind11"]\nbuild-backend = "scikit_build_core.build"\n'
    )
    (tmp_path / "CMakeLists.txt").write_text("cmake_minimum_required(VERSION 3.15)\n")
    needs = _detect(tmp_path)
    assert set(needs) == {"cmake", "c"}
    assert Evidence("CMakeLists.txt", None, "what scikit-build-core builds") in needs["cmake"].evidence  # type: ignore[attr-defined]


def test_build_files_of_another_backend_compile_nothing(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[build-system]\nrequires = ["hatchling"]\nbuild-backend = "hatchling.build"\n'
    )
    (tmp_path / "CMakeLists.txt").write_text("project(x)\n")
    (tmp_path / "Cargo.toml").write_text('[package]\nname = "x"\n')
    (tmp_path / "meson.build").write_text("project('x', 'rust')\n")
    assert _detect(tmp_path) == {}


def test_unreadable_setup_py_is_not_an_error(tmp_path: Path) -> None:
    (tmp_path / "setup.py").write_text("def (:\n")
    assert _detect(tmp_path) == {}


def test_a_c_source_cython_generates_is_reported_missing(tmp_path: Path) -> None:
    (tmp_path / "fast").mkdir()
    (tmp_path / "fast" / "_speed.pyx").write_text("def f():\n    return 1\n")
    (tmp_path / "setup.py").write_text(
        "from setuptools import Extension, setup\n"
        "setup(ext_modules=[Extension('fast._speed', sources=['fast/_speed.c'])])\n"
    )
    need = _detect(tmp_path)["c"]
    [missing] = need.missing_sources  # type: ignore[attr-defined]
    assert missing.line == 2 and "fast/_speed.pyx is (Cython generates" in missing.detail
    (tmp_path / "fast" / "_speed.c").write_text("/* generated */\n")
    assert _detect(tmp_path)["c"].missing_sources == ()  # type: ignore[attr-defined]
