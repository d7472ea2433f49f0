from __future__ import annotations

from dockwright.project.facts import Dependencies, Fact, LockedPackage
from dockwright.project.native import all_apt_packages, detect_native, native_table


def deps(*locked: LockedPackage, declared: tuple[str, ...] = ()) -> Dependencies:
    return Dependencies(Fact("requirements"), ("requirements.txt",), None, None, locked, declared)


def test_every_row_names_a_source() -> None:
    table = native_table()
    assert len(table.rows) >= 15
    for row in table.rows.values():
        assert row.source.startswith("https://"), row.name


def test_all_apt_packages() -> None:
    names = all_apt_packages()
    assert {"libpq-dev", "libpq5", "gcc", "libxml2-dev", "libxslt1.1", "default-libmysqlclient-dev"} <= names


def test_sdist_only_compiles_when_lock_cannot_tell() -> None:
    (need,) = detect_native(deps(LockedPackage("psycopg2", "2.9.10")), "3.11.15")
    assert need.compiles
    assert "libpq-dev" in need.build_apt and "gcc" in need.build_apt
    assert need.run_apt == ("libpq5",)


def test_lock_wins_over_table() -> None:
    lxml_wheel = LockedPackage("lxml", "5.3.0", has_wheel_for_target=True)
    pillow_sdist = LockedPackage("pillow", "11.0.0", has_wheel_for_target=False)
    lxml, pillow = detect_native(deps(lxml_wheel, pillow_sdist), "3.11.15")
    assert (lxml.package, lxml.compiles, lxml.build_apt, lxml.run_apt) == ("lxml", False, (), ())
    assert (
        pillow.compiles and "libjpeg62-turbo-dev" in pillow.build_apt and "libjpeg62-turbo" in pillow.run_apt
    )


def test_name_alone_never_compiles_and_dlopen_needs_runtime() -> None:
    (numpy,) = detect_native(deps(LockedPackage("numpy", "2.1.3")), "3.11.15")
    assert not numpy.compiles
    (magic,) = detect_native(deps(LockedPackage("python-magic", "0.4.27")), "3.11.15")
    assert not magic.compiles and magic.run_apt == ("libmagic1",)


def test_declared_only() -> None:
    (need,) = detect_native(deps(declared=("mysqlclient>=2", "flask")), "3.11.15")
    assert need.package == "mysqlclient" and need.compiles


def test_partly_pinned_requirements_decide_for_unpinned_lines_too() -> None:
    # a requirements file (with -r includes) pins some lines: the unpinned ones are installed as well
    pinned = LockedPackage("sqlalchemy", "1.1.9")
    needs = detect_native(deps(pinned, declared=("SQLAlchemy==1.1.9", "psycopg2", "flask")), "3.13.13")
    assert [n.package for n in needs] == ["psycopg2"]
    assert needs[0].compiles and "libpq-dev" in needs[0].build_apt and needs[0].run_apt == ("libpq5",)


def test_declared_markers_are_evaluated() -> None:
    pinned = LockedPackage("flask", "3.0.0")
    declared = ("flask==3.0.0", "psycopg2; sys_platform == 'win32'")
    assert detect_native(deps(pinned, declared=declared), "3.13.13") == ()


def test_complete_lock_ignores_declared_names_it_left_out() -> None:
    lock = Dependencies(
        Fact("uv"),
        ("pyproject.toml",),
        None,
        "uv.lock",
        (LockedPackage("flask", "3.0.0"),),
        ("psycopg2", "flask"),
    )
    assert detect_native(lock, "3.13.13") == ()


def test_lightgbm_wheel_needs_the_openmp_runtime() -> None:
    # its manylinux wheels link libgomp.so.1 without bundling it (python:slim has none)
    (need,) = detect_native(deps(LockedPackage("lightgbm", "4.6.0", has_wheel_for_target=True)), "3.13.13")
    assert (need.compiles, need.run_apt) == (False, ("libgomp1",))
