"""Run-time libraries of pure wheels that load a C library, and markers ruling packages out."""

from __future__ import annotations

from dockwright.project.facts import Dependencies, Evidence, Fact, LockedPackage
from dockwright.project.native import detect_native, native_table
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
