"""Run-time libraries of pure wheels that load a C library, and markers ruling packages out."""

from __future__ import annotations

from dockwright.project.facts import Dependencies, Evidence, Fact, LockedPackage
from dockwright.project.native import detect_native, lean_notes, native_needs, native_table
from dockwright.project.target import installs_on_target


def _deps(*locked: LockedPackage) -> Dependencies:
    return Dependencies(
        manager=Fact("uv", (Evidence("uv.lock", None, ""),)),
        input_files=("pyproject.toml", "uv.lock"),
        hashed_requirements=None,
        lock_file="uv.lock",
        locked=locked,
        declared=(),
    )


def test_every_row_names_its_source() -> None:
    for row in native_table().rows.values():
        assert row.source.startswith("https://"), row.name


def test_dlopen_libraries_are_needed_from_a_pure_wheel() -> None:
    magic = LockedPackage(
        "python-magic", "0.4.27", has_wheel_for_target=True, files=("x-py2.py3-none-any.whl",)
    )
    zbar = LockedPackage("pyzbar", "0.1.9", has_wheel_for_target=True)
    needs = {n.package: n for n in detect_native(_deps(magic, zbar), "3.12.8")}
    assert needs["python-magic"].run_apt == ("libmagic1",) and not needs["python-magic"].compiles
    assert needs["python-magic"].build_apt == ()
    assert needs["pyzbar"].run_apt == ("libzbar0",)


def test_a_windows_only_sdist_pulls_no_compiler() -> None:
    numpy_win = LockedPackage(
        "numpy", "1.21.0", has_wheel_for_target=False, markers='sys_platform == "win32"'
    )
    assert not installs_on_target(numpy_win, "3.12.8")
    assert detect_native(_deps(numpy_win), "3.12.8") == ()
    linux = LockedPackage("numpy", "1.21.0", has_wheel_for_target=False, markers='sys_platform == "linux"')
    (need,) = detect_native(_deps(linux), "3.12.8")
    assert need.compiles and "gfortran" in need.build_apt


def test_opencv_gui_wheels_need_gl_and_x11_the_headless_ones_nothing() -> None:
    gui = LockedPackage("opencv-python", "4.11.0.86", has_wheel_for_target=True)
    headless = LockedPackage("opencv-python-headless", "4.11.0.86", has_wheel_for_target=True)
    (need,) = detect_native(_deps(gui, headless), "3.13.1")
    assert need.package == "opencv-python" and not need.compiles and need.build_apt == ()
    assert {"libgl1", "libglib2.0-0", "libx11-6"} <= set(need.run_apt)
    (note,) = lean_notes((need,))
    assert note.startswith("opencv-python needs libgl1 ")
    assert "opencv-python-headless provides the same import without them" in note


def test_trixie_names_glib_with_its_t64_suffix() -> None:
    gui = LockedPackage("opencv-contrib-python", "4.11.0.86", has_wheel_for_target=True)
    (need,) = native_needs(_deps(gui), "3.13.1", "trixie")
    assert "libglib2.0-0t64" in need.run_apt and "libglib2.0-0" not in need.run_apt
    (bookworm,) = native_needs(_deps(gui), "3.11.9", "bookworm")
    assert "libglib2.0-0" in bookworm.run_apt
    assert "opencv-contrib-python-headless" in lean_notes((need,))[0]


def test_rows_without_a_lean_alternative_add_no_note() -> None:
    magic = LockedPackage("python-magic", "0.4.27", has_wheel_for_target=True)
    assert lean_notes(detect_native(_deps(magic), "3.12.8")) == []


def test_a_gui_wheel_beside_the_headless_one_is_said_so() -> None:
    gui = LockedPackage("opencv-python", "4.11.0.86", has_wheel_for_target=True)
    (need,) = detect_native(_deps(gui), "3.13.1")
    (note,) = lean_notes((need,), frozenset({"opencv-python-headless", "opencv-python", "facefinder"}))
    assert note.startswith("opencv-python is installed beside opencv-python-headless")
    assert "both write the same module" in note
