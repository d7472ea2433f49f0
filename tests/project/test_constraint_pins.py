"""The Python chosen for a project that states none sees the pins of the constraints file it installs
under (``pip install -r requirements.txt -c constraints.txt``) as it sees requirements pins: a pin with
binary wheels up to an older CPython only moves the choice down (project/detect.py)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from dockwright.project.detect import detect_project
from dockwright.project.facts import LockedPackage
from dockwright.project.index_pins import PinFiles, PinIndex
from dockwright.project.python_version import release_table

MakeProject = Callable[[dict[str, str | bytes]], Path]
TABLE = release_table()
MANYLINUX = "manylinux_2_17_x86_64.manylinux2014_x86_64"
WHEELS = tuple(f"oldffi-1.15.1-cp{m}-cp{m}-{MANYLINUX}.whl" for m in ("310", "311"))
LISTING = {
    ("oldffi", "1.15.1"): PinFiles((*WHEELS, "oldffi-1.15.1.tar.gz"), None),
    ("pureweb", "2.0"): PinFiles(("pureweb-2.0-py3-none-any.whl",), ">=3.8"),
}
FILES: dict[str, str | bytes] = {
    "requirements.txt": "oldffi\npureweb\n",
    "constraints.txt": "# frozen\npureweb==2.0\noldffi==1.15.1\n",
    "Makefile": "install:\n\tpip install -r requirements.txt -c constraints.txt\n",
    "app.py": "import oldffi\n\nprint(oldffi)\n",
}


def _index(packages: tuple[LockedPackage, ...], own_index: str | None) -> dict[tuple[str, str], PinFiles]:
    return {k: v for k, v in LISTING.items() if k in {(p.name, p.version) for p in packages}}


INDEX: PinIndex = _index


def test_a_constraints_pin_without_a_wheel_for_the_newest_python_moves_the_choice(
    make_project: MakeProject,
) -> None:
    facts = detect_project(make_project(FILES), start="python app.py", index_lookup=INDEX)
    assert facts.python.version.value == TABLE.latest["3.11"]
    detail = facts.python.version.evidence[0].detail
    assert "oldffi 1.15.1 (constraints.txt:3) has wheels up to Python 3.11" in detail
    assert "pureweb" not in detail


def test_a_stated_python_is_kept_whatever_the_constraints_pin(make_project: MakeProject) -> None:
    root = make_project({**FILES, ".python-version": "3.13\n"})
    facts = detect_project(root, start="python app.py", index_lookup=INDEX)
    assert facts.python.version.value.startswith("3.13")


def test_without_the_index_lookup_the_constraints_change_nothing(make_project: MakeProject) -> None:
    facts = detect_project(make_project(FILES), start="python app.py", index_lookup=None)
    assert facts.python.version.value == TABLE.latest[TABLE.default]
