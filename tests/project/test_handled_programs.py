"""A program the app starts inside a ``try`` that catches its absence is not installed (the app runs on
without it); the plan says where, and which package would give it."""

from __future__ import annotations

from pathlib import Path

from dockwright.plan.planner import make_plan
from dockwright.project.detect import detect_project
from dockwright.project.detectors.scan import scan_module
from dockwright.project.programs import handled_programs, programs_run

STATUS = """import subprocess


def build_label():
    try:
        return subprocess.check_output(["git", "describe", "--always"]).decode().strip()
    except (subprocess.CalledProcessError, FileNotFoundError):
        return "unknown"


def thumbnail(path):
    try:
        subprocess.run(["ffmpeg", "-i", path, "thumb.png"], check=True)
    except subprocess.CalledProcessError:
        return None


def archive(path):
    try:
        subprocess.run(["rsync", "-a", path, "/backup"])
    except Exception:
        pass
    subprocess.run(["rsync", "--version"])


if __name__ == "__main__":
    print(build_label(), thumbnail("a.mp4"), archive("."))
"""


def test_a_start_whose_absence_is_caught_is_left_out() -> None:
    scan = scan_module("status.py", STATUS)
    assert scan is not None
    assert scan.handled_runs[6] == 7  # git: FileNotFoundError caught
    assert 13 not in scan.handled_runs  # ffmpeg: CalledProcessError does not catch a missing program
    names = sorted(f.value for f in programs_run((scan,)))
    assert names == ["ffmpeg", "rsync"]  # rsync also runs once unguarded
    (note,) = handled_programs((scan,))
    assert note.startswith("status.py:6 (except at line 7): the app starts git where its absence is caught")
    assert "apt-get install --no-install-recommends git" in note


def test_the_plan_installs_only_what_the_app_needs(tmp_path: Path) -> None:
    (tmp_path / "status.py").write_text(STATUS, encoding="utf-8")
    facts = detect_project(tmp_path)
    plan = make_plan(facts)
    assert sorted(a.name for a in plan.runtime_apt) == ["ffmpeg", "rsync"]
    assert any("the app starts git where its absence is caught" in w for w in plan.warnings)
