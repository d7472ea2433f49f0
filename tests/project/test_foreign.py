"""C libraries Debian does not package (issue 12, class 3): the table, the repository's own
source builds (file:line), and when a locked package needs its library in the image."""

from __future__ import annotations

from pathlib import Path

from dockwright.project.detect import detect_project
from dockwright.project.facts import Dependencies, Fact, LockedPackage
from dockwright.project.foreign import detect_foreign, foreign_table, source_builds
from dockwright.project.native import native_table
from dockwright.project.tree import ProjectTree

TALIB_DOCKERFILE = """FROM python:3.12-slim
RUN apt-get update && apt-get install -y build-essential wget
RUN wget https://example.invalid/ta-lib-0.4.0-src.tar.gz && \\
    tar -xzf ta-lib-0.4.0-src.tar.gz && \\
    cd ta-lib/ && ./configure --prefix=/usr && make && make install
COPY . .
"""


def _deps(*packages: LockedPackage) -> Dependencies:
    return Dependencies(Fact("uv"), ("pyproject.toml",), None, "uv.lock", packages, ())


def _write(root: Path, files: dict[str, str]) -> ProjectTree:
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    return ProjectTree(root)


def test_every_row_has_a_source_markers_and_what_to_provide() -> None:
    rows, debian = foreign_table()
    assert {"ta-lib", "cx-oracle", "pymqi", "pyrfc"} <= set(rows)
    assert "trixie" in debian and "bookworm" in debian
    for row in rows.values():
        assert row.source.startswith("https://") and row.provide and row.markers
        assert row.name not in native_table().rows, "a library Debian packages belongs in native.toml"


def test_a_dockerfile_that_builds_a_library_from_source_is_a_fact_with_lines(tmp_path: Path) -> None:
    tree = _write(tmp_path, {"Dockerfile": TALIB_DOCKERFILE, "scripts/plain.sh": "echo hello\n"})
    builds = source_builds(tree)
    assert [(b.file, b.line) for b in builds] == [("Dockerfile", 3), ("Dockerfile", 5)]
    assert "make install" in builds[1].detail


def test_ci_workflows_and_scripts_are_read_but_not_other_yaml(tmp_path: Path) -> None:
    tree = _write(
        tmp_path,
        {
            ".github/workflows/ci.yml": "steps:\n  - run: |\n      cmake --build b && cmake --install b\n",
            "ci/install_talib.sh": "curl -LO https://x.invalid/ta-lib.tar.gz\nsudo make install\nsudo ldconfig\n",
            "config/settings.yml": "run: make install\n",
        },
    )
    assert [(b.file, b.line) for b in source_builds(tree)] == [
        (".github/workflows/ci.yml", 3),
        ("ci/install_talib.sh", 1),
        ("ci/install_talib.sh", 2),
        ("ci/install_talib.sh", 3),
    ]


def test_an_old_talib_pin_needs_the_library_and_names_the_repos_build(tmp_path: Path) -> None:
    tree = _write(tmp_path, {"Dockerfile": TALIB_DOCKERFILE})
    (need,) = detect_foreign(tree, _deps(LockedPackage("ta-lib", "0.4.28")), "3.12", source_builds(tree))
    assert need.package == "ta-lib" and "TA-Lib" in need.library
    assert "before 0.6.5" in need.evidence[0].detail
    assert [(e.file, e.line) for e in need.evidence if e.line] == [("Dockerfile", 3), ("Dockerfile", 5)]


def test_a_talib_wheel_bundles_the_library(tmp_path: Path) -> None:
    tree = ProjectTree(tmp_path)
    assert detect_foreign(tree, _deps(LockedPackage("ta-lib", "0.6.8")), "3.12", ()) == ()
    assert (
        detect_foreign(tree, _deps(LockedPackage("ta-lib", "0.4.28", has_wheel_for_target=True)), "3.12", ())
        == ()
    )
    (need,) = detect_foreign(
        tree, _deps(LockedPackage("ta-lib", "0.6.8", has_wheel_for_target=False)), "3.12", ()
    )
    assert "no wheel for the target" in need.evidence[0].detail


def test_a_run_time_library_is_needed_even_with_a_wheel(tmp_path: Path) -> None:
    tree = ProjectTree(tmp_path)
    (need,) = detect_foreign(
        tree, _deps(LockedPackage("cx-oracle", "8.3.0", has_wheel_for_target=True)), "3.12", ()
    )
    assert "Instant Client" in need.library and "thin mode" in need.provide


def test_declared_only_and_marker_excluded_packages(tmp_path: Path) -> None:
    tree = ProjectTree(tmp_path)
    declared = Dependencies(Fact("pep621"), ("pyproject.toml",), None, None, (), ("pymqi>=1.12",))
    (need,) = detect_foreign(tree, declared, "3.12", ())
    assert need.package == "pymqi"
    windows_only = LockedPackage("pyrfc", "3.3.1", markers="sys_platform == 'win32'")
    assert detect_foreign(tree, _deps(windows_only), "3.12", ()) == ()


def test_detection_carries_foreign_needs_and_source_builds(tmp_path: Path) -> None:
    _write(
        tmp_path,
        {
            "requirements.txt": "flask==3.0.3\nTA-Lib==0.4.28\n",
            "app.py": "from flask import Flask\nimport talib\napp = Flask(__name__)\n",
            "Dockerfile": TALIB_DOCKERFILE,
        },
    )
    facts = detect_project(tmp_path)
    assert [n.package for n in facts.foreign] == ["ta-lib"]
    assert [(b.file, b.line) for b in facts.source_builds] == [("Dockerfile", 3), ("Dockerfile", 5)]


def test_an_open_requirement_beside_pinned_ones_counts(tmp_path: Path) -> None:
    mixed = Dependencies(
        Fact("requirements"),
        ("requirements.txt",),
        None,
        None,
        (LockedPackage("django-crispy-forms", "1.11.1"),),
        ("cx-Oracle", "Django", "django-crispy-forms==1.11.1"),
    )
    (need,) = detect_foreign(ProjectTree(tmp_path), mixed, "3.12", ())
    assert need.package == "cx-oracle" and "(declared)" in need.evidence[0].detail


def test_unreadable_build_files_are_skipped(tmp_path: Path) -> None:
    tree = _write(tmp_path, {"Dockerfile": TALIB_DOCKERFILE})
    (tmp_path / "install.sh").write_bytes(b"make install\n\xfa\xfb")
    (tmp_path / "build.sh").symlink_to("/etc/hostname")
    assert {b.file for b in source_builds(tree)} == {"Dockerfile"}
