"""The arm64 stand-in made from the amd64 one: dpkg's status stanzas, path filters and file triggers."""

from __future__ import annotations

from pathlib import Path

import pytest
from sandbox.config import SUITES, settings
from sandbox.foreignroot import (
    FIELD_ORDER,
    excluded,
    format_stanzas,
    parse_stanzas,
    path_filters,
    status_stanza,
)

from sandbox import foreignroot, images, multiarch

STATUS = """\
Package: libc6
Status: install ok installed
Priority: optional
Section: libs
Installed-Size: 13223
Maintainer: GNU Libc Maintainers <debian-glibc@lists.debian.org>
Architecture: amd64
Multi-Arch: same
Source: glibc
Version: 2.41-12+deb13u5
Depends: libgcc-s1
Conffiles:
 /etc/ld.so.conf.d/x86_64-linux-gnu.conf d4e7a7b88a71b5ffd9e2644e71a0cfab
Description: GNU C Library: Shared libraries
 Contains the standard libraries.
 .
 More text.
Homepage: https://www.gnu.org/software/libc/libc.html

Package: media-types
Status: install ok installed
Architecture: all
Version: 13.0.0
Description: List of standard media types and their usual file extension

"""

# an arm64 control file: the fields in the package's own order, no Status, no Conffiles
CONTROL = """\
Package: libc6
Source: glibc
Version: 2.41-12+deb13u5
Architecture: arm64
Maintainer: GNU Libc Maintainers <debian-glibc@lists.debian.org>
Installed-Size: 12000
Depends: libgcc-s1
Section: libs
Priority: optional
Multi-Arch: same
Homepage: https://www.gnu.org/software/libc/libc.html
Description: GNU C Library: Shared libraries
 Contains the standard libraries.
 .
 More text.
"""


def test_status_file_round_trips_unchanged() -> None:
    assert format_stanzas(parse_stanzas(STATUS)) == STATUS


def test_the_foreign_stanza_keeps_dpkgs_field_order_with_the_foreign_fields() -> None:
    (control,) = parse_stanzas(CONTROL)
    conffiles = [("/etc/ld.so.conf.d/aarch64-linux-gnu.conf", "0" * 32)]
    stanza = dict(status_stanza(control, conffiles))
    names = [name for name, _ in status_stanza(control, conffiles)]
    known = [name for name in names if name in FIELD_ORDER]
    assert known == sorted(known, key=FIELD_ORDER.index)
    assert names[-1] == "Homepage"  # fields dpkg does not know follow, as in the control file
    assert stanza["Status"] == "install ok installed"
    assert stanza["Architecture"] == "arm64"
    assert stanza["Installed-Size"] == "12000"
    assert stanza["Conffiles"] == f"\n /etc/ld.so.conf.d/aarch64-linux-gnu.conf {'0' * 32}"


def test_a_stanza_dpkg_wrote_is_rebuilt_identically_from_its_control_fields() -> None:
    installed, _ = parse_stanzas(STATUS)
    control = [(n, v) for n, v in installed if n not in ("Status", "Conffiles")]
    conffiles = [("/etc/ld.so.conf.d/x86_64-linux-gnu.conf", "d4e7a7b88a71b5ffd9e2644e71a0cfab")]
    assert status_stanza(list(reversed(control[:5])) + control[5:], conffiles) == installed


def test_the_recipes_path_filters_are_dpkgs_last_match_wins() -> None:
    recipe = images.python_slim("python:3.13.5-slim-trixie", settings(), SUITES["trixie"])
    filters = path_filters(recipe.mmdebstrap)
    assert excluded("/usr/share/doc/libc6/changelog.Debian.gz", filters)
    assert not excluded("/usr/share/doc/libc6/copyright", filters)  # path-include after the exclude
    assert excluded("/usr/share/locale/de/LC_MESSAGES/apt.mo", filters)
    assert not excluded("/usr/lib/aarch64-linux-gnu/libc.so.6", filters)


def test_file_triggers_come_from_every_packages_triggers_control_file(tmp_path: Path) -> None:
    info = tmp_path / foreignroot.INFO
    info.mkdir(parents=True)
    (tmp_path / "var/lib/dpkg/triggers").mkdir()
    (info / "base-files.triggers").write_text(
        "# why\ninterest-noawait /usr/lib64\ninterest-noawait /usr/lib32\n"
    )
    (info / "libc-bin.triggers").write_text("interest-noawait ldconfig\n")  # a named trigger: not a file one
    (info / "debianutils.triggers").write_text("interest /usr/share/debianutils/shells.d\n")
    foreignroot._file_triggers(tmp_path)
    assert (tmp_path / "var/lib/dpkg/triggers/File").read_text() == (
        "/usr/lib32 base-files/noawait\n/usr/lib64 base-files/noawait\n/usr/share/debianutils/shells.d debianutils\n"
    )


def test_info_files_of_a_package_are_not_those_of_a_longer_name(tmp_path: Path) -> None:
    for name in (
        "python3.list",
        "python3.postinst",
        "python3.13.list",
        "libc6:amd64.list",
        "libc6:amd64.shlibs",
    ):
        (tmp_path / name).write_text("")
    assert sorted(p.name for p in foreignroot._info_files(tmp_path, "python3")) == [
        "python3.list",
        "python3.postinst",
    ]
    assert len(foreignroot._info_files(tmp_path, "libc6")) == 2


def test_the_multiarch_leg_is_on_unless_turned_off(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DOCKWRIGHT_SANDBOX_MULTIARCH", raising=False)
    assert multiarch.wanted()
    monkeypatch.setenv("DOCKWRIGHT_SANDBOX_MULTIARCH", "0")
    assert not multiarch.wanted()


def test_why_the_leg_was_left_out_is_kept_for_the_test(tmp_path: Path) -> None:
    config = settings()
    moved = type(config)(**{**config.__dict__, "cache": tmp_path})
    multiarch.record_reason(moved, "cannot mount binfmt_misc: permission denied")
    assert multiarch.skipped_reason(moved) == "cannot mount binfmt_misc: permission denied"
    multiarch.record_reason(moved, None)
    assert "sandbox up" in multiarch.skipped_reason(moved)
