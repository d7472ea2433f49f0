"""The app's own code starts a project manager (``subprocess.run(["uv", "run", "report"])``): the image
has none, so the plan names the line and says to run the program directly."""

from __future__ import annotations

from dockwright.project.detectors.scan import scan_module
from dockwright.project.programs import manager_runs, programs_run

VIEWS = """import subprocess


def rebuild():
    subprocess.run(["uv", "run", "python", "-m", "tally"], check=True)


def export():
    subprocess.check_call(["poetry", "run", "report"])


def optional():
    try:
        subprocess.run(["pdm", "run", "lint"])
    except FileNotFoundError:
        pass


def version():
    return subprocess.check_output(["git", "describe"])
"""


def test_a_project_manager_the_app_starts_is_named_with_its_line() -> None:
    scan = scan_module("views.py", VIEWS)
    assert scan is not None
    notes = manager_runs((scan,))
    assert [n.split(":", 2)[:2] for n in notes] == [["views.py", "5"], ["views.py", "9"]]
    assert "the app starts uv, which the image does not have" in notes[0]
    assert "FileNotFoundError" in notes[0] and "docs.astral.sh" in notes[0]
    assert "poetry" in notes[1]


def test_a_caught_absence_and_other_programs_are_not_named() -> None:
    scan = scan_module("views.py", VIEWS)
    assert scan is not None
    assert not any("pdm" in n or "git" in n for n in manager_runs((scan,)))
    assert [f.value for f in programs_run((scan,))] == ["git"]  # a manager is no Debian package to install
