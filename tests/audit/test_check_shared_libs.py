"""The shared-libs check: the ELF files of the app's environment against the image's own libraries."""

from __future__ import annotations

import json
from typing import Any

import pytest
from audit_images import F, Img, base_layer, serve
from elf_files import elf

from dockwright import api
from dockwright.audit.checks import CheckResult, Status
from dockwright.audit.elf import ElfDeps
from dockwright.audit.image import _Table, _table_from_doc, _table_text
from dockwright.project.native import all_apt_packages, native_table

SP = "opt/venv/lib/python3.12/site-packages"
GL = "usr/lib/x86_64-linux-gnu"


@pytest.fixture(autouse=True)
def _no_scanner(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("dockwright.audit.checks.base.shutil.which", lambda _: None)


def os_layer() -> list[F]:
    """A Debian-like base: merged /usr, glibc, ld.so.conf including ld.so.conf.d/*.conf."""
    return [
        *base_layer(),
        F("lib", kind="symlink", link="usr/lib"),
        F("lib64", kind="symlink", link="usr/lib64"),
        F(f"{GL}/libc.so.6", elf([], soname="libc.so.6")),
        F(
            "usr/lib64/ld-linux-x86-64.so.2",
            kind="symlink",
            link="/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2",
        ),
        F(f"{GL}/ld-linux-x86-64.so.2", elf([])),
        F("etc/ld.so.conf", b"include /etc/ld.so.conf.d/*.conf\n"),
        F("etc/ld.so.conf.d/libc.conf", b"# libc default configuration\n/usr/local/lib\n"),
        F("usr/local/lib/libpython3.12.so.1.0", elf(["libc.so.6"])),
    ]


def wheel_layer() -> list[F]:
    """A manylinux-style wheel: an extension module, its vendored library in ``<pkg>.libs`` reached
    through RPATH $ORIGIN, and that library needing the system's OpenGL."""
    return [
        F(f"{SP}/cv/_core.abi3.so", elf(["libvend-1a2b.so.5", "libc.so.6"], rpath="$ORIGIN/../cv.libs")),
        F(f"{SP}/cv.libs/libvend-1a2b.so.5", elf(["libGL.so.1", "libc.so.6"], rpath="$ORIGIN")),
        F(f"{SP}/cv/__init__.py", b"from cv._core import *\n"),
        F("opt/venv/bin/python3", kind="symlink", link="/usr/local/bin/python3.12"),
        F("opt/venv/pyvenv.cfg", b"home = /usr/local/bin\n"),
    ]


def gl_layer(folder: str = GL) -> list[F]:
    return [
        F(f"{folder}/libGL.so.1", kind="symlink", link="libGL.so.1.7.0"),
        F(f"{folder}/libGL.so.1.7.0", elf(["libc.so.6"])),
    ]


def check(layers: list[list[F]], config: dict[str, Any] | None = None) -> CheckResult:
    img = Img(layers)
    img.config.update(config or {})
    return api.audit("demo:1", engine=serve(img)).check("shared-libs")


def test_a_library_missing_from_the_image_fails_naming_the_import_and_the_package() -> None:
    result = check([os_layer(), wheel_layer()])
    assert result.status is Status.FAIL
    assert "libGL.so.1" in result.summary and "cv/_core.abi3.so" in result.summary
    assert "apt-get install -y --no-install-recommends libgl1" in result.summary
    details = {e.path: e.detail for e in result.evidence}
    assert details[f"/{SP}/cv.libs/libvend-1a2b.so.5"] == "needs libGL.so.1 (Debian: libgl1)"
    assert details[f"/{SP}/cv/_core.abi3.so"] == "needs libGL.so.1 (Debian: libgl1) through libvend-1a2b.so.5"


def test_the_package_is_named_in_the_images_debian_release() -> None:
    trixie = [F("etc/os-release", b'PRETTY_NAME="Debian GNU/Linux 13 (trixie)"\n')]
    missing_glib = [F(f"{SP}/g/_g.so", elf(["libglib-2.0.so.0"]))]
    result = check([os_layer(), trixie, missing_glib])
    assert result.evidence[0].detail == "needs libglib-2.0.so.0 (Debian: libglib2.0-0t64)"
    assert result.summary.endswith("apt-get install -y --no-install-recommends libglib2.0-0t64")
    assert "(Debian: libglib2.0-0)" in check([os_layer(), missing_glib]).evidence[0].detail


def test_the_library_installed_passes() -> None:
    result = check([os_layer(), gl_layer(), wheel_layer()])
    assert result.status is Status.PASS, result
    assert result.summary == "4 needs of 2 ELF files all found"


def test_a_deleted_library_fails_and_a_shadowing_file_counts() -> None:
    removed = [F(f"{GL}/libGL.so.1.7.0", kind="whiteout")]  # the symlink now dangles
    assert check([os_layer(), gl_layer(), wheel_layer(), removed]).status is Status.FAIL
    # a later layer replaces the vendored library with one that needs nothing missing
    rebuilt = [F(f"{SP}/cv.libs/libvend-1a2b.so.5", elf(["libc.so.6"]))]
    assert check([os_layer(), wheel_layer(), rebuilt]).status is Status.PASS
    # and a whole folder deleted by a later layer (opaque) is gone too
    gone = [F(f"{SP}/cv.libs", kind="opaque")]
    result = check([os_layer(), gl_layer(), wheel_layer(), gone])
    assert result.status is Status.FAIL and "libvend-1a2b.so.5" in result.summary


@pytest.mark.parametrize(
    ("extra", "config"),
    [
        ([*gl_layer("opt/gl/lib"), F("etc/ld.so.conf.d/gl.conf", b"/opt/gl/lib\n")], None),
        (gl_layer("opt/gl/lib"), {"Env": ["LD_LIBRARY_PATH=/opt/gl/lib"]}),
        (gl_layer("usr/local/lib"), None),  # through libc.conf
        (  # a folder reached through a symlink
            [*gl_layer("opt/gl/lib"), F("gl", kind="symlink", link="opt/gl/lib")],
            {"Env": ["LD_LIBRARY_PATH=/gl"]},
        ),
    ],
    ids=["ld.so.conf.d", "LD_LIBRARY_PATH", "libc.conf", "folder-symlink"],
)
def test_the_loaders_search_folders(extra: list[F], config: dict[str, Any] | None) -> None:
    assert check([os_layer(), wheel_layer(), extra], config).status is Status.PASS


def test_a_folder_the_loader_does_not_search_fails() -> None:
    assert check([os_layer(), wheel_layer(), gl_layer("opt/gl/lib")]).status is Status.FAIL


def test_runpath_replaces_rpath_and_unknown_libraries_name_no_package() -> None:
    tool = elf(["libweird.so.3"], rpath="/opt/weird", runpath="/opt/none")
    layers = [os_layer(), [F("opt/weird/libweird.so.3", elf([])), F("app/bin/tool", tool, mode=0o755)]]
    result = check(layers)
    assert result.status is Status.FAIL
    assert [e.detail for e in result.evidence] == ["needs libweird.so.3"]
    assert "apt-get" not in result.summary


def test_a_library_another_package_loads_first_counts_as_found() -> None:
    """torch-style: a package loads a library of another by name before the module needing it."""
    layers = [
        os_layer(),
        [
            F(f"{SP}/nv/lib/libcudart.so.12", elf(["libc.so.6"], soname="libcudart.so.12")),
            F(f"{SP}/tch/_C.so", elf(["libcudart.so.12", "libc.so.6"])),
        ],
    ]
    assert check(layers).status is Status.PASS


def test_musl_default_folders() -> None:
    alpine = [
        F("lib/ld-musl-x86_64.so.1", elf([])),
        F("etc/ld-musl-x86_64.path", b"/lib:/usr/local/lib:/usr/lib:/opt/extra\n"),
        F("opt/extra/libGL.so.1", elf([])),
        F("etc/passwd", b"root:x:0:0:root:/root:/bin/sh\n"),
    ]
    musl_wheel = [F(f"{SP}/m/_m.so", elf(["libc.musl-x86_64.so.1", "libGL.so.1"]))]
    assert check([alpine, musl_wheel]).status is Status.FAIL  # libc.musl-x86_64.so.1 is not there
    alpine.append(F("lib/libc.musl-x86_64.so.1", kind="symlink", link="ld-musl-x86_64.so.1"))
    assert check([alpine, musl_wheel]).status is Status.PASS


def test_no_compiled_code_and_unreadable_files() -> None:
    assert check([os_layer()]).summary == "no compiled code in site-packages or an app's bin/"
    cut = [F(f"{SP}/bad/_x.so", elf(["libGL.so.1"])[:100])]
    result = check([os_layer(), cut])
    assert result.status is Status.PASS and "1 files not read" in result.summary
    assert result.evidence[0].detail.startswith("not read: ")


def test_the_layer_cache_keeps_the_elf_needs() -> None:
    table = _Table()
    table.elf["a/b.so"] = elf_deps = ElfDeps(("libGL.so.1",), "$ORIGIN", "", "b.so", "")
    again = _table_from_doc(json.loads(_table_text(table)), False)
    assert again is not None and again.elf == {"a/b.so": elf_deps}
    old = json.loads(_table_text(table))
    del old["elf"]  # a table cached before the check existed: parsed again, not trusted
    assert _table_from_doc(old, False) is None


def test_every_library_row_names_a_package_of_the_table() -> None:
    table = native_table()
    assert table.libraries
    assert {row.apt for row in table.libraries} <= all_apt_packages()
    sonames = [name for row in table.libraries for name in row.sonames]
    assert len(sonames) == len(set(sonames))
    assert table.apt_for("libGL.so.1") is not None and table.apt_for("libGL.so.1").apt == "libgl1"  # type: ignore[union-attr]
    assert all(row.source.startswith("https://packages.debian.org/") for row in table.libraries)
