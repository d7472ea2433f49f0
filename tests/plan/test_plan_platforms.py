"""dockwright.plan.platforms: wheels per target platform (glibc and musl), Alpine blockers, build hook."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from tests.engine.fakes import FakeEngine

from dockwright import api
from dockwright.cli import main
from dockwright.errors import ConfigError, PlanError
from dockwright.jsonable import to_jsonable
from dockwright.plan.platforms import (
    PlatformReport,
    Target,
    check_package,
    check_platforms,
    musl_blockers,
    parse_platform,
)
from dockwright.project.detect import detect_project
from dockwright.project.facts import LockedPackage

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"

NUMPY = LockedPackage(
    "numpy",
    "2.1.3",
    files=(
        "numpy-2.1.3-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl",
        "numpy-2.1.3-cp311-cp311-musllinux_1_2_aarch64.whl",
        "numpy-2.1.3.tar.gz",
    ),
)
PSYCOPG2 = LockedPackage("psycopg2", "2.9.10", files=("psycopg2-2.9.10.tar.gz",))
PSYCOPG2_BINARY = LockedPackage(
    "psycopg2-binary",
    "2.9.10",
    files=(
        "psycopg2_binary-2.9.10-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl",
        "psycopg2_binary-2.9.10-cp311-cp311-manylinux_2_17_aarch64.manylinux2014_aarch64.whl",
    ),
)
MARKUPSAFE = LockedPackage(
    "markupsafe",
    "3.0.2",
    files=(
        "MarkupSafe-3.0.2-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl",
        "MarkupSafe-3.0.2-cp311-cp311-manylinux_2_17_aarch64.manylinux2014_aarch64.whl",
        "MarkupSafe-3.0.2-cp311-cp311-musllinux_1_2_x86_64.whl",
        "MarkupSafe-3.0.2-cp311-cp311-musllinux_1_2_aarch64.whl",
        "MarkupSafe-3.0.2.tar.gz",
    ),
)
FLASK = LockedPackage("flask", "3.1.0", files=("flask-3.1.0-py3-none-any.whl", "flask-3.1.0.tar.gz"))
CRYPTOGRAPHY = LockedPackage(
    "cryptography",
    "43.0.3",
    files=(
        "cryptography-43.0.3-cp39-abi3-manylinux_2_28_aarch64.whl",
        "cryptography-43.0.3-cp39-abi3-musllinux_1_2_x86_64.whl",
    ),
)


def status(package: LockedPackage, platform: str, python: str = "3.11", libc: str = "glibc") -> str:
    target = parse_platform(platform, libc)  # type: ignore[arg-type]
    return check_package(package, package.files, target, python).status


@pytest.mark.parametrize(
    ("platform", "libc", "expected"),
    [
        ("linux/amd64", "glibc", "wheel"),
        ("linux/arm64", "glibc", "sdist"),
        ("linux/arm64", "musl", "wheel"),
        ("linux/amd64", "musl", "sdist"),
        ("linux/arm/v7", "glibc", "sdist"),
    ],
)
def test_numpy_per_platform_and_libc(platform: str, libc: str, expected: str) -> None:
    assert status(NUMPY, platform, libc=libc) == expected


def test_the_cpython_abi_must_match_the_target_python() -> None:
    assert status(NUMPY, "linux/amd64", python="3.12") == "sdist"
    assert status(NUMPY, "linux/amd64", python="3.11.9") == "wheel"


def test_abi3_wheels_serve_later_pythons() -> None:
    assert status(CRYPTOGRAPHY, "linux/arm64", python="3.12") == "wheel"
    assert status(CRYPTOGRAPHY, "linux/amd64", python="3.13", libc="musl") == "wheel"
    assert status(CRYPTOGRAPHY, "linux/amd64", python="3.11") == "missing"


def test_pure_sdist_and_missing() -> None:
    assert status(FLASK, "linux/arm/v7", libc="musl") == "pure"
    assert status(PSYCOPG2, "linux/amd64") == "sdist"
    assert status(PSYCOPG2_BINARY, "linux/arm64") == "wheel"
    assert status(PSYCOPG2_BINARY, "linux/arm/v7") == "missing"
    assert status(LockedPackage("x", "1"), "linux/amd64") == "unknown"
    assert status(LockedPackage("x", "", source="vcs"), "linux/amd64") == "source"


def test_markers_and_other_os_only_wheels_are_skipped() -> None:
    windows = LockedPackage("tzdata", "2026.6", markers='sys_platform == "win32"', files=FLASK.files)
    assert status(windows, "linux/amd64") == "skipped"
    arm_only = LockedPackage("x", "1", markers="platform_machine == 'aarch64'", files=("x-1.tar.gz",))
    assert status(arm_only, "linux/amd64") == "skipped"
    assert status(arm_only, "linux/arm64") == "sdist"
    pywin32 = LockedPackage("pywin32", "308", files=("pywin32-308-cp311-cp311-win_amd64.whl",))
    assert status(pywin32, "linux/amd64") == "skipped"


def test_the_best_wheel_is_named() -> None:
    check = check_package(MARKUPSAFE, MARKUPSAFE.files, Target("linux/arm64", "aarch64", "musl"), "3.11")
    assert check.file == "MarkupSafe-3.0.2-cp311-cp311-musllinux_1_2_aarch64.whl"
    assert check.describe().startswith("markupsafe==3.0.2: wheel MarkupSafe-3.0.2-cp311")


def test_report_errors_and_warnings_name_the_packages() -> None:
    packages = (NUMPY, PSYCOPG2, PSYCOPG2_BINARY, MARKUPSAFE, FLASK)
    report = check_platforms(packages, None, ["linux/amd64", "linux/arm64", "linux/arm/v7"], "3.11")
    assert [c.label for c in report.platforms] == ["linux/amd64", "linux/arm64", "linux/arm/v7"]
    assert report.errors() == [
        "linux/arm/v7: no wheel and no sdist for psycopg2-binary==2.9.10; the build cannot install them"
    ]
    warnings = report.warnings()
    assert warnings[0].startswith("linux/amd64: no wheel for psycopg2==2.9.10; will compile from source")
    assert warnings[1].startswith("linux/arm64: no wheel for numpy==2.1.3, psycopg2==2.9.10;")
    assert "markupsafe" in warnings[2]
    data = to_jsonable(report)
    json.dumps(data)
    assert data["platforms"][0]["packages"][0]["status"] == "wheel"


def test_wheel_files_map_overrides_the_lock() -> None:
    bare = LockedPackage("numpy", "2.1.3")
    files = {("numpy", "2.1.3"): frozenset(NUMPY.files)}
    report = check_platforms([bare], files, ["linux/amd64"], "3.11")
    assert report.platforms[0].packages[0].status == "wheel"


def test_musl_blockers_name_what_would_compile_on_alpine() -> None:
    packages = (NUMPY, PSYCOPG2, MARKUPSAFE, FLASK, LockedPackage("gunicorn", "23.0.0"))
    blockers = musl_blockers(packages, "3.11", platforms=("linux/amd64", "linux/arm64"))
    assert [(b.name, b.status) for b in blockers] == [
        ("numpy", "sdist"),
        ("psycopg2", "sdist"),
        ("gunicorn", "unknown"),
    ]
    assert musl_blockers((MARKUPSAFE, FLASK), "3.11", platforms=("linux/arm64",)) == ()
    assert [b.name for b in musl_blockers((NUMPY,), "3.11", platforms=("linux/arm64",))] == []


def test_unknown_platforms_and_versions_are_config_errors() -> None:
    with pytest.raises(ConfigError, match="unknown platform 'windows/amd64'"):
        parse_platform("windows/amd64")
    with pytest.raises(ConfigError, match="not a Python version"):
        check_platforms([FLASK], None, ["linux/amd64"], "three")


# ---------------------------------------------------------------------------------------------- examples


@pytest.mark.parametrize("example", ["fastapi-uv", "django-poetry", "pdm-app"])
def test_examples_install_from_wheels_everywhere_offline(example: str) -> None:
    facts = detect_project(EXAMPLES / example)
    locked = facts.dependencies.locked
    platforms = ["linux/amd64", "linux/arm64", "linux/arm/v7"]
    report = check_platforms(locked, None, platforms, facts.python.version.value)
    assert report.errors() == [] and report.warnings() == []
    assert musl_blockers(locked, facts.python.version.value, platforms=platforms) == ()


def test_fastapi_uv_pydantic_core_has_binary_wheels_per_arch() -> None:
    facts = detect_project(EXAMPLES / "fastapi-uv")
    report = check_platforms(facts.dependencies.locked, None, ["linux/arm64"], "3.11", libc="musl")
    core = next(p for p in report.platforms[0].packages if p.name == "pydantic-core")
    assert (core.status, core.file) == ("wheel", "pydantic_core-2.46.5-cp311-cp311-musllinux_1_1_aarch64.whl")


def test_django_poetry_tzdata_marker_is_read_and_skips_linux() -> None:
    facts = detect_project(EXAMPLES / "django-poetry")
    tzdata = next(p for p in facts.dependencies.locked if p.name == "tzdata")
    assert tzdata.markers == 'sys_platform == "win32"'
    report = check_platforms([tzdata], None, ["linux/amd64"], "3.11")
    assert report.platforms[0].packages[0].status == "skipped"


# ---------------------------------------------------------------------------------------------- build hook


def _x86_only_project(tmp_path: Path, *, sdist: bool = False) -> Path:
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "demo"\nversion = "1.0"\nrequires-python = "==3.11.*"\n'
        'dependencies = ["fastthing"]\n',
        encoding="utf-8",
    )
    (tmp_path / "main.py").write_text('if __name__ == "__main__":\n    print("hi")\n', encoding="utf-8")
    (tmp_path / "Dockerfile").write_text("FROM scratch\n", encoding="utf-8")  # build needs no init
    wheel = "fastthing-1.0-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl"
    sdist_line = (
        f'sdist = {{ url = "https://files.example/fastthing-1.0.tar.gz", hash = "sha256:{"b" * 64}" }}\n'
    )
    (tmp_path / "uv.lock").write_text(
        'version = 1\nrequires-python = ">=3.11"\n\n'
        '[[package]]\nname = "demo"\nversion = "1.0"\nsource = { virtual = "." }\n\n'
        '[[package]]\nname = "fastthing"\nversion = "1.0"\nsource = { registry = "https://pypi.org/simple" }\n'
        + (sdist_line if sdist else "")
        + f'wheels = [\n    {{ url = "https://files.example/{wheel}", hash = "sha256:{"a" * 64}" }},\n]\n',
        encoding="utf-8",
    )
    return tmp_path


def test_build_refuses_a_platform_where_a_package_cannot_install(tmp_path: Path) -> None:
    engine = FakeEngine()
    root = _x86_only_project(tmp_path)
    with pytest.raises(PlanError, match=re.escape("linux/arm64: no wheel and no sdist for fastthing==1.0")):
        api.build(root, platforms="linux/amd64,linux/arm64", engine=engine, on_warning=lambda m: None)
    assert engine.requests == []


def test_build_warns_about_sdists_and_goes_on(tmp_path: Path) -> None:
    engine = FakeEngine()
    warnings: list[str] = []
    root = _x86_only_project(tmp_path, sdist=True)
    api.build(root, platforms=("linux/amd64", "linux/arm64"), engine=engine, on_warning=warnings.append)
    assert len(warnings) == 1
    assert warnings[0].startswith("linux/arm64: no wheel for fastthing==1.0; will compile from source")
    assert engine.requests[0].platforms == ("linux/amd64", "linux/arm64")


def test_a_single_host_platform_is_not_checked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("platform.machine", lambda: "aarch64")
    engine = FakeEngine()
    root = _x86_only_project(tmp_path)
    api.build(root, platforms="linux/arm64", engine=engine)
    assert len(engine.requests) == 1
    with pytest.raises(PlanError):
        api.build(root, platforms="linux/amd64,linux/arm64", engine=engine)


def test_build_check_can_be_turned_off(tmp_path: Path) -> None:
    engine = FakeEngine()
    root = _x86_only_project(tmp_path)
    api.build(root, platforms="linux/amd64,linux/arm64", engine=engine, check_wheels=False)
    assert len(engine.requests) == 1


def test_cli_check_platforms_prints_and_exits_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = _x86_only_project(tmp_path)
    assert main(["build", str(root), "--check-platforms", "--platform", "linux/amd64,linux/arm64"]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("CPython 3.11")
    assert out[1] == "linux/amd64: 1 wheel"
    assert out[2] == "linux/arm64: 1 missing"
    assert out[3] == "  fastthing==1.0: no wheel for this platform and no sdist"
    assert main(["build", str(EXAMPLES / "pdm-app"), "--check-platforms"]) == 0


def test_report_type_is_exported() -> None:
    assert PlatformReport.__name__ == "PlatformReport"
