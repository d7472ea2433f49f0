"""A ``-binary`` distribution is a wheel that bundles its C library; pinned older than the Python it
runs on, it has no wheel there and pip builds its source like the plain package's: psycopg2-binary
2.9.9 on CPython 3.13 stopped on ``pg_config executable not found`` with only a compiler planned."""

from __future__ import annotations

from dockwright.project.facts import Dependencies, Fact, LockedPackage
from dockwright.project.native import detect_native


def _deps(pkg: LockedPackage) -> Dependencies:
    return Dependencies(Fact("requirements"), ("requirements.txt",), "requirements.lock", None, (pkg,), ())


def test_psycopg2_binary_without_a_wheel_builds_against_libpq() -> None:
    (need,) = detect_native(
        _deps(LockedPackage("psycopg2-binary", "2.9.9", has_wheel_for_target=False)), "3.13.13"
    )
    assert need.compiles and "libpq-dev" in need.build_apt and need.run_apt == ("libpq5",)


def test_psycopg2_binary_with_a_wheel_needs_nothing() -> None:
    (need,) = detect_native(
        _deps(LockedPackage("psycopg2-binary", "2.9.10", has_wheel_for_target=True)), "3.13.13"
    )
    assert not need.compiles and need.build_apt == () and need.run_apt == ()
    # unknown (a requirements pin the lock cannot tell about): wheels assumed, as for lxml
    (unknown,) = detect_native(_deps(LockedPackage("psycopg2-binary", "2.9.10")), "3.13.13")
    assert not unknown.compiles
