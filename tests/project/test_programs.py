"""Programs the app starts through subprocess/os that a Debian package provides: found with their lines,
and the plan warns (decision runtime-programs) that the runtime image lacks them."""

from __future__ import annotations

from pathlib import Path

from dockwright.plan.planner import make_plan
from dockwright.project.detect import detect_project
from dockwright.project.detectors.scan import scan_module
from dockwright.project.programs import program_table

RUNS = """\
import os
import subprocess
from subprocess import check_output

TOOL = "pandoc"


def log(repo):
    return check_output(["git", "log", "--oneline"], cwd=repo)


def convert(path):
    subprocess.run(f"ffmpeg -i {path} out.mp3", shell=True, check=True)
    subprocess.run([TOOL, path])  # a variable: not guessed
    os.system("/usr/bin/pg_dump mydb > dump.sql")
    subprocess.run(["mytool", "--x"])  # not a table program
"""


def test_literal_first_words_of_subprocess_and_os_calls_are_recorded() -> None:
    scan = scan_module("tool.py", RUNS)
    assert scan is not None
    assert scan.programs == [("git", 9), ("ffmpeg", 13), ("/usr/bin/pg_dump", 15), ("mytool", 16)]


def test_every_table_row_names_a_debian_package_page() -> None:
    table = program_table()
    assert table["git"].apt == "git" and table["ffprobe"].apt == "ffmpeg"
    assert all(row.source.startswith("https://packages.debian.org/") for row in table.values())


def test_the_plan_warns_that_the_runtime_lacks_the_programs(tmp_path: Path) -> None:
    (tmp_path / "tool.py").write_text(RUNS + "\nif __name__ == '__main__':\n    log('.')\n", encoding="utf-8")
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "test_x.py").write_text("import subprocess\nsubprocess.run(['rsync'])\n")
    facts = detect_project(tmp_path)
    assert [(f.value, f.evidence[0].file, f.evidence[0].line) for f in facts.app.programs] == [
        ("git", "tool.py", 9),
        ("ffmpeg", "tool.py", 13),
        ("pg_dump", "tool.py", 15),
    ]  # tests/ is never the app: its rsync is not counted
    plan = make_plan(facts)
    decision = plan.decision("runtime-programs")
    assert decision is not None and decision.choice == "git ffmpeg postgresql-client"
    warning = next(w for w in plan.warnings if w.startswith("the app starts git (tool.py:9)"))
    assert "install the Debian package git in the runtime stage" in warning
    assert "packages.debian.org/trixie/git" in warning
