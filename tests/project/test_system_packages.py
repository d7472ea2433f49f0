"""Debian packages a platform file names (packages.txt, Aptfile, apt.txt): read as facts with their
lines, checked as Debian names, renamed for the suite, split between runtime and builder, deduplicated
with what the plan installs, or only warned about (programs = warn, a runtime without apt)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from dockwright.plan import system_packages
from dockwright.plan.planner import make_plan
from dockwright.plan.strategies.base import PlanOptions
from dockwright.project.detect import detect_project
from dockwright.project.system_packages import DEBIAN_NAME, gone_packages, platform_files
from dockwright.render.render import render_dockerfile

VIEWER = 'import streamlit as st\n\nst.title("frames")\n'


def _project(tmp_path: Path, file: str, text: str, requirements: str = "streamlit\n") -> Path:
    (tmp_path / "viewer.py").write_text(VIEWER, encoding="utf-8")
    (tmp_path / "requirements.txt").write_text(requirements, encoding="utf-8")
    (tmp_path / file).write_text(text, encoding="utf-8")
    return tmp_path


def test_every_platform_file_row_names_its_documentation() -> None:
    names = {f.name for f in platform_files()}
    assert names == {"packages.txt", "Aptfile", "apt.txt"}
    assert all(f.source.startswith("https://") for f in platform_files())
    assert all(row.source.startswith("https://packages.debian.org/") for row in gone_packages().values())


def test_words_are_facts_with_lines_renamed_for_the_suite_and_deduplicated(tmp_path: Path) -> None:
    text = "# for the frame grabber\nlibgl1-mesa-glx\nlibglib2.0-0  libsm6\n\nlibgl1\nffmpeg \n"
    facts = detect_project(_project(tmp_path, "packages.txt", text))
    found = [(f.value, f.evidence[0].file, f.evidence[0].line) for f in facts.system_packages]
    assert found == [
        ("libgl1", "packages.txt", 2),  # gone since bookworm: its replacement, once
        ("libglib2.0-0t64", "packages.txt", 3),  # trixie's name
        ("libsm6", "packages.txt", 3),
        ("ffmpeg", "packages.txt", 6),
    ]
    assert "libgl1-mesa-glx is a transitional package" in facts.system_packages[0].evidence[0].detail
    assert "Hugging Face Spaces" in facts.system_packages[0].evidence[0].detail


def test_words_that_are_no_debian_package_are_notes_never_packages(tmp_path: Path) -> None:
    text = "opencv-python-headless\nfoo;touch /x\n$(id)\npython3-numpy\nhttps://example.org/x.deb\n"
    text += ":repo:deb http://example.org/ stable main\nlibgl1=1.6.0-1\nlibgl1:i386\n"
    facts = detect_project(_project(tmp_path, "Aptfile", text, "streamlit\nopencv-python-headless\n"))
    assert [f.value for f in facts.system_packages] == ["libgl1"]
    notes = "\n".join(facts.notes)
    assert "Aptfile:1: 'opencv-python-headless' not installed: a Python distribution" in notes
    assert "Aptfile:2: 'foo;touch' not installed: not a Debian package name" in notes
    assert "Aptfile:3: '$(id)' not installed" in notes
    assert "Aptfile:4: 'python3-numpy' not installed: a module of Debian's own Python" in notes
    assert "Aptfile:5: 'https://example.org/x.deb' not installed: a download" in notes
    assert "Aptfile:6: ':repo:deb http://example.org/ stable main' not installed" in notes
    assert "Aptfile:7: libgl1=1.6.0-1 installed as libgl1" in notes
    assert "Aptfile:8: 'libgl1:i386' not installed" in notes
    assert all(DEBIAN_NAME.fullmatch(f.value) for f in facts.system_packages)


def test_names_no_table_knows_are_notes_not_an_apt_line_that_stops_the_build(tmp_path: Path) -> None:
    facts = detect_project(_project(tmp_path, "Aptfile", "libsm6\nfmpeg\nlibgl\nlibglib2.0-0t64\n"))
    assert [f.value for f in facts.system_packages] == ["libsm6", "libgl1", "libglib2.0-0t64"]
    assert any(
        n.startswith("Aptfile:2: fmpeg not installed: not a Debian package dockwright") for n in facts.notes
    )
    bookworm = detect_project(tmp_path, debian="bookworm", python="3.11")
    assert [f.value for f in bookworm.system_packages] == ["libsm6", "libgl1", "libglib2.0-0"]
    assert "libglib2.0-0t64 is Debian trixie's name" in bookworm.system_packages[2].evidence[0].detail


def test_runtime_gets_libraries_and_the_builder_headers_and_tools(tmp_path: Path) -> None:
    text = "libgl1\nlibxrender-dev\ncmake\nlibspatialindex-dev\n"
    plan = make_plan(detect_project(_project(tmp_path, "apt.txt", text, "psycopg2==2.9.10\n")))
    assert {"libxrender-dev", "cmake", "libspatialindex-dev"} <= {a.name for a in plan.builder_apt}
    assert "the library of libxrender-dev, which apt.txt:2 names" in plan.runtime_apt[2].why
    (unknown,) = [w for w in plan.warnings if w.startswith("apt.txt:4 names libspatialindex-dev")]
    assert "the runtime gets none of its libraries" in unknown
    decision = plan.decision("platform-packages")
    assert decision is not None
    assert decision.choice == "runtime: libgl1 libxrender1; builder: libxrender-dev cmake libspatialindex-dev"
    assert [a.name for a in plan.runtime_apt] == ["libpq5", "libgl1", "libxrender1"]
    assert "repo2docker" in decision.reason
    text_out = render_dockerfile(plan)
    base = text_out.split("FROM python:")[1]  # the trimmed base's apt step holds the runtime's
    assert "install -y --no-install-recommends libpq5 libgl1 libxrender1" in base
    builder = text_out.split("AS builder")[1].split("\nFROM ")[0]
    assert "libpq-dev libxrender-dev cmake libspatialindex-dev" in builder
    runtime = text_out.split("FROM root AS runtime")[1]
    assert "apt-get" not in runtime and "-dev" not in runtime


def test_headers_and_tools_stay_out_of_a_builder_that_compiles_nothing(tmp_path: Path) -> None:
    plan = make_plan(detect_project(_project(tmp_path, "packages.txt", "libgl1-mesa-dev\ncmake\n")))
    assert [a.name for a in plan.runtime_apt] == ["libgl1"] and plan.builder_apt == ()
    assert any("(libgl1-mesa-dev cmake), which this build does not install" in w for w in plan.warnings)
    # each name left out is said with the file and line that names it
    assert any(
        "packages.txt:1: libgl1-mesa-dev not installed" in w and "packages.txt:2: cmake not installed" in w
        for w in plan.warnings
    )


def test_packages_the_plan_already_installs_are_not_repeated(tmp_path: Path) -> None:
    project = _project(tmp_path, "packages.txt", "libpq5\nlibpq-dev\ngit\n", "psycopg2==2.9.10\n")
    (project / "viewer.py").write_text(VIEWER + "import subprocess\nsubprocess.run(['git', 'log'])\n")
    plan = make_plan(detect_project(project))
    names = [a.name for a in plan.runtime_apt]
    assert names.count("libpq5") == 1 and names.count("git") == 1
    builder = [a.name for a in plan.builder_apt]
    assert builder.count("libpq-dev") == 1
    assert render_dockerfile(plan).count("apt-get -c") == 1


def test_programs_warn_and_a_runtime_without_apt_only_warn(tmp_path: Path) -> None:
    facts = detect_project(_project(tmp_path, "packages.txt", "ffmpeg\n"))
    warned = make_plan(facts, PlanOptions(programs="warn"))
    bare = make_plan(dataclasses.replace(facts, system_packages=()))
    distroless = system_packages.apply(
        dataclasses.replace(bare, facts=facts, runtime_image="gcr.io/distroless/cc-debian13")
    )
    for plan in (warned, distroless):
        assert "ffmpeg" not in {a.name for a in plan.runtime_apt}
        decision = plan.decision("platform-packages")
        assert decision is not None and decision.reason.startswith("not installed: ")
        assert any(w.startswith("packages.txt names Debian packages") for w in plan.warnings)


def test_no_platform_file_changes_nothing(tmp_path: Path) -> None:
    (tmp_path / "viewer.py").write_text(VIEWER, encoding="utf-8")
    (tmp_path / "requirements.txt").write_text("streamlit\n", encoding="utf-8")
    plan = make_plan(detect_project(tmp_path))
    assert plan.decision("platform-packages") is None and plan.runtime_apt == ()
